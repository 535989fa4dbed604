#include "command_record.h"

#include <cstring>

#include "storage_format.h"

namespace ledger::es {
namespace {

constexpr char kDigestDomain[] = "ledger.es.request.v1";

void PutBytes(std::string_view bytes, std::string* out) {
  format::PutU32(out, static_cast<uint32_t>(bytes.size()));
  out->append(bytes);
}

}  // namespace

Hash RequestDigest(const AppendRequest& request, Sha256& sha) {
  std::string buf;
  PutBytes(request.actor_id, &buf);
  PutBytes(request.correlation_id, &buf);
  format::PutU32(&buf, static_cast<uint32_t>(request.streams.size()));
  for (const StreamAppend& stream : request.streams) {
    PutBytes(stream.stream_id, &buf);
    buf.push_back(stream.expected.is_any() ? 0 : 1);
    format::PutU64(&buf, stream.expected.is_any() ? 0 : stream.expected.exact());
    format::PutU32(&buf, static_cast<uint32_t>(stream.events.size()));
    for (const EventData& event : stream.events) {
      PutBytes(event.type, &buf);
      format::PutU32(&buf, event.schema_version);
      PutBytes(event.payload, &buf);
    }
  }
  return sha.Digest(kDigestDomain, buf);
}

std::string EncodeCommandRecord(const CommandRecord& record) {
  const std::string& tag = record.result.request_tag;
  std::string out;
  out.push_back(static_cast<char>(tag.empty() ? format::kCommandRecordVersion : format::kCommandRecordTaggedVersion));
  out.append(reinterpret_cast<const char*>(record.digest.data()), record.digest.size());
  format::PutU64(&out, record.result.first_position);
  format::PutU64(&out, record.result.last_position);
  format::PutU32(&out, static_cast<uint32_t>(record.result.stream_versions.size()));
  for (uint64_t v : record.result.stream_versions) format::PutU64(&out, v);
  if (!tag.empty()) {
    out.push_back(static_cast<char>(tag.size()));
    out.append(tag);
  }
  return out;
}

std::optional<CommandRecord> DecodeCommandRecord(std::string_view bytes) {
  constexpr size_t kFixed = 1 + format::kHashSize + 8 + 8 + 4;
  if (bytes.size() < kFixed) return std::nullopt;
  const uint8_t version = static_cast<uint8_t>(bytes[0]);
  if (version != format::kCommandRecordVersion && version != format::kCommandRecordTaggedVersion) return std::nullopt;
  CommandRecord record;
  const char* p = bytes.data() + 1;
  std::memcpy(record.digest.data(), p, format::kHashSize);
  p += format::kHashSize;
  record.result.first_position = format::GetU64(p);
  record.result.last_position = format::GetU64(p + 8);
  uint32_t count = format::GetU32(p + 16);
  p += 20;
  const size_t versions_end = kFixed + 8ull * count;
  if (version == format::kCommandRecordVersion ? bytes.size() != versions_end : bytes.size() < versions_end + 2) {
    return std::nullopt;
  }
  record.result.stream_versions.reserve(count);
  for (uint32_t i = 0; i < count; ++i, p += 8) record.result.stream_versions.push_back(format::GetU64(p));
  if (version == format::kCommandRecordTaggedVersion) {
    const size_t tag_size = static_cast<uint8_t>(bytes[versions_end]);
    if (tag_size == 0 || bytes.size() != versions_end + 1 + tag_size) return std::nullopt;
    record.result.request_tag.assign(bytes.substr(versions_end + 1));
  }
  return record;
}

}  // namespace ledger::es

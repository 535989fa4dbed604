#include "envelope_codec.h"

#include <cstring>
#include <stdexcept>

#include "envelope_generated.h"
#include "storage_format.h"

namespace ledger::es {
namespace {

void PutBytes(std::string_view bytes, std::string* out) {
  format::PutU32(out, static_cast<uint32_t>(bytes.size()));
  out->append(bytes);
}

std::string_view AsView(const flatbuffers::String* s) {
  return s == nullptr ? std::string_view() : std::string_view(s->data(), s->size());
}

}  // namespace

void AppendCanonicalBytes(const EnvelopeView& e, std::string* out) {
  out->push_back(static_cast<char>(format::kCanonicalVersion));
  format::PutU64(out, e.position);
  PutBytes(e.stream_id, out);
  format::PutU64(out, e.stream_version);
  PutBytes(e.type, out);
  format::PutU32(out, e.schema_version);
  format::PutU64(out, static_cast<uint64_t>(e.recorded_at_us));
  PutBytes(e.actor_id, out);
  PutBytes(e.command_id, out);
  PutBytes(e.correlation_id, out);
  PutBytes(e.payload, out);
}

EnvelopeView ViewOf(const Envelope& e) {
  EnvelopeView v;
  v.position = e.position;
  v.stream_id = e.stream_id;
  v.stream_version = e.stream_version;
  v.type = e.type;
  v.schema_version = e.schema_version;
  v.recorded_at_us = e.recorded_at_us;
  v.actor_id = e.actor_id;
  v.command_id = e.command_id;
  v.correlation_id = e.correlation_id;
  v.payload = e.payload;
  v.prev_hash = e.prev_hash.data();
  v.hash = e.hash.data();
  return v;
}

Hash ComputeEnvelopeHash(const EnvelopeView& e, const uint8_t* prev_hash, Sha256& sha, std::string* scratch) {
  scratch->clear();
  AppendCanonicalBytes(e, scratch);
  return sha.Digest(std::string_view(reinterpret_cast<const char*>(prev_hash), format::kHashSize), *scratch);
}

std::string EncodeEnvelope(const Envelope& e) {
  flatbuffers::FlatBufferBuilder b(256 + e.payload.size());
  auto stream_id = b.CreateString(e.stream_id);
  auto type = b.CreateString(e.type);
  auto actor_id = b.CreateString(e.actor_id);
  auto command_id = b.CreateString(e.command_id);
  auto correlation_id = b.CreateString(e.correlation_id);
  auto payload = b.CreateVector(reinterpret_cast<const uint8_t*>(e.payload.data()), e.payload.size());
  auto prev_hash = b.CreateVector(e.prev_hash.data(), e.prev_hash.size());
  auto hash = b.CreateVector(e.hash.data(), e.hash.size());
  b.Finish(fb::CreateEnvelope(b, e.position, stream_id, e.stream_version, type, e.schema_version, e.recorded_at_us,
                              actor_id, command_id, correlation_id, payload, prev_hash, hash));
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

Status DecodeEnvelopeView(std::string_view bytes, EnvelopeView* out, base::AlignedCopy* scratch) {
  bytes = scratch->Aligned(bytes);
  flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  if (!fb::VerifyEnvelopeBuffer(verifier)) return Status::Corruption("stored envelope is not a valid FlatBuffer");
  const fb::Envelope* e = fb::GetEnvelope(bytes.data());
  if (e->prev_hash() == nullptr || e->prev_hash()->size() != format::kHashSize || e->hash() == nullptr ||
      e->hash()->size() != format::kHashSize) {
    return Status::Corruption("stored envelope has a hash that is not 32 bytes");
  }
  out->position = e->position();
  out->stream_id = AsView(e->stream_id());
  out->stream_version = e->stream_version();
  out->type = AsView(e->type());
  out->schema_version = e->schema_version();
  out->recorded_at_us = e->recorded_at_us();
  out->actor_id = AsView(e->actor_id());
  out->command_id = AsView(e->command_id());
  out->correlation_id = AsView(e->correlation_id());
  out->payload = e->payload() == nullptr
                     ? std::string_view()
                     : std::string_view(reinterpret_cast<const char*>(e->payload()->data()), e->payload()->size());
  out->prev_hash = e->prev_hash()->data();
  out->hash = e->hash()->data();
  return Status::Ok();
}

Status DecodeEnvelope(std::string_view bytes, Envelope* out) {
  thread_local base::AlignedCopy scratch;
  EnvelopeView v;
  Status s = DecodeEnvelopeView(bytes, &v, &scratch);
  if (!s.ok()) return s;
  out->position = v.position;
  out->stream_id.assign(v.stream_id);
  out->stream_version = v.stream_version;
  out->type.assign(v.type);
  out->schema_version = v.schema_version;
  out->recorded_at_us = v.recorded_at_us;
  out->actor_id.assign(v.actor_id);
  out->command_id.assign(v.command_id);
  out->correlation_id.assign(v.correlation_id);
  out->payload.assign(v.payload);
  std::memcpy(out->prev_hash.data(), v.prev_hash, format::kHashSize);
  std::memcpy(out->hash.data(), v.hash, format::kHashSize);
  return Status::Ok();
}

}  // namespace ledger::es

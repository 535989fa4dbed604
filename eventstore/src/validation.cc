#include "validation.h"

#include <string>
#include <unordered_set>

#include "storage_format.h"

namespace ledger::es {
namespace {

bool IsAlnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsStreamChar(char c) { return IsAlnum(c) || c == '.' || c == '_' || c == ':' || c == '@' || c == '/' || c == '-'; }
bool IsTypeChar(char c) { return IsAlnum(c) || c == '.' || c == '_' || c == '-'; }
bool IsCommandIdChar(char c) { return c >= 0x21 && c <= 0x7e; }

std::string Quoted(std::string_view s) {
  constexpr size_t kShown = 64;
  std::string out = "\"" + std::string(s.substr(0, kShown));
  if (s.size() > kShown) out += "...";
  return out + "\"";
}

template <typename CharOk>
Status CheckName(std::string_view what, std::string_view value, size_t max_bytes, CharOk char_ok,
                 std::string_view allowed) {
  if (value.empty()) return Status::Invalid(std::string(what) + " is empty");
  if (value.size() > max_bytes) {
    return Status::Invalid(std::string(what) + " " + Quoted(value) + " is " + std::to_string(value.size()) +
                           " bytes; the limit is " + std::to_string(max_bytes));
  }
  for (char c : value) {
    if (!char_ok(c)) {
      return Status::Invalid(std::string(what) + " " + Quoted(value) + " has a character outside " +
                             std::string(allowed));
    }
  }
  return Status::Ok();
}

Status CheckFreeText(std::string_view what, std::string_view value, size_t max_bytes) {
  if (value.size() > max_bytes) {
    return Status::Invalid(std::string(what) + " is " + std::to_string(value.size()) + " bytes; the limit is " +
                           std::to_string(max_bytes));
  }
  if (value.find('\0') != std::string_view::npos) return Status::Invalid(std::string(what) + " contains a 0x00 byte");
  return Status::Ok();
}

Status ValidateEvent(const StreamAppend& stream, const EventData& event, const Options& options) {
  Status s = CheckName("event type", event.type, format::kMaxEventTypeBytes, IsTypeChar, "[A-Za-z0-9._-]");
  if (!s.ok()) return s;
  if (event.payload.size() > options.max_event_bytes) {
    return Status::Invalid("event " + event.type + " for stream " + stream.stream_id + " has a payload of " +
                           std::to_string(event.payload.size()) + " bytes; the limit is " +
                           std::to_string(options.max_event_bytes));
  }
  return Status::Ok();
}

}  // namespace

Status ValidateStreamId(std::string_view stream_id) {
  return CheckName("stream id", stream_id, format::kMaxStreamIdBytes, IsStreamChar, "[A-Za-z0-9._:@/-]");
}

Status ValidateRequestKey(std::string_view key) {
  return CheckName("request key", key, format::kMaxRequestKeyBytes, IsCommandIdChar, "printable ASCII without space");
}

Status ValidateAppend(const AppendRequest& request, const Options& options) {
  Status s = CheckName("command id", request.command_id, format::kMaxCommandIdBytes, IsCommandIdChar,
                       "printable ASCII without space");
  if (!s.ok()) return s;
  if (s = CheckFreeText("actor id", request.actor_id, format::kMaxActorIdBytes); !s.ok()) return s;
  if (s = CheckFreeText("correlation id", request.correlation_id, format::kMaxCorrelationIdBytes); !s.ok()) return s;
  if (request.request_tag.size() > format::kMaxRequestTagBytes) {
    return Status::Invalid("the request tag of command " + request.command_id + " is " +
                           std::to_string(request.request_tag.size()) + " bytes; the limit is " +
                           std::to_string(format::kMaxRequestTagBytes));
  }
  if (request.streams.empty()) return Status::Invalid("command " + request.command_id + " appends to no stream");
  size_t total_events = 0;
  std::unordered_set<std::string_view> seen;
  for (const StreamAppend& stream : request.streams) {
    if (s = ValidateStreamId(stream.stream_id); !s.ok()) return s;
    if (!seen.insert(stream.stream_id).second) {
      return Status::Invalid("stream " + stream.stream_id + " appears more than once in command " + request.command_id);
    }
    if (stream.events.empty()) return Status::Invalid("stream " + stream.stream_id + " has no events to append");
    total_events += stream.events.size();
    for (const EventData& event : stream.events) {
      if (s = ValidateEvent(stream, event, options); !s.ok()) return s;
    }
  }
  if (total_events > options.max_events_per_append) {
    return Status::Invalid("command " + request.command_id + " has " + std::to_string(total_events) +
                           " events; the limit is " + std::to_string(options.max_events_per_append));
  }
  return Status::Ok();
}

}  // namespace ledger::es

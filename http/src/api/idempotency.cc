#include "idempotency.h"

#include <array>
#include <utility>

#include "ledger/http/concurrency.h"
#include "ledger/http/problem.h"

namespace ledger::http {

IdempotencyLocks::Held::Held(IdempotencyLocks& locks, std::string key) : locks_(locks), key_(std::move(key)) {
  std::unique_lock lock(locks_.mu_);
  locks_.released_.wait(lock, [&] { return !locks_.held_.contains(key_); });
  locks_.held_.insert(key_);
}

IdempotencyLocks::Held::~Held() {
  {
    std::lock_guard lock(locks_.mu_);
    locks_.held_.erase(key_);
  }
  locks_.released_.notify_all();
}

namespace api {
namespace {

constexpr std::array<std::string_view, 5> kKeptHeaders = {"Content-Type", "Location", "ETag", "Content-Disposition",
                                                          "Cache-Control"};
constexpr size_t kMaxHeaderValueBytes = 0xffff;

bool IsWrite(std::string_view method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

void PutU16(std::string* out, size_t v) {
  out->push_back(static_cast<char>((v >> 8) & 0xff));
  out->push_back(static_cast<char>(v & 0xff));
}

// Reads from the front of *in; false when it is too short.
bool TakeU8(std::string_view* in, size_t* v) {
  if (in->empty()) return false;
  *v = static_cast<uint8_t>(in->front());
  in->remove_prefix(1);
  return true;
}
bool TakeU16(std::string_view* in, size_t* v) {
  if (in->size() < 2) return false;
  *v = (static_cast<size_t>(static_cast<uint8_t>((*in)[0])) << 8) | static_cast<uint8_t>((*in)[1]);
  in->remove_prefix(2);
  return true;
}
bool TakeBytes(std::string_view* in, size_t n, std::string* out) {
  if (in->size() < n) return false;
  out->assign(in->substr(0, n));
  in->remove_prefix(n);
  return true;
}

Response KeyReused() { return ToResponse(problems::IdempotencyKeyReused()); }

// The request tag of the command stored under `command_id` ("" when it has
// none); nullopt when no command is stored under it, or when the store could
// not tell (`*status` then says why).
std::optional<std::string> StoredTag(ApiDeps& deps, const std::string& command_id, es::Status* status) {
  auto found = deps.ledger.store().FindCommand(command_id);
  *status = found.status();
  if (!found.ok() || !found->has_value()) return std::nullopt;
  return (*found)->request_tag;
}

// An answer is kept when it says the request went through (below 400), or
// when it is a refusal whose attempt was stored under the key (a failed
// submission): either way a retry must not run the route again. Other
// refusals stored nothing, so a retry runs again.
bool ShouldKeep(ApiDeps& deps, const Response& response, const std::string& command_id,
                const std::string& fingerprint) {
  if (response.stream) return false;
  if (response.status < 400) return true;
  es::Status status;
  std::optional<std::string> tag = StoredTag(deps, command_id, &status);
  return tag && *tag == fingerprint;
}

// Runs the route once for a key the caller holds.
Response AnswerOnce(ApiDeps& deps, Call& call, const Handler& inner, const std::string& command_id,
                    const std::string& fingerprint) {
  auto record = deps.ledger.store().FindRequestRecord(command_id);
  if (!record.ok()) return ProblemResponse(record.status());
  if (record->has_value()) {
    std::optional<KeptAnswer> kept = DecodeKeptAnswer(**record);
    if (!kept) return ProblemResponse(es::Status::Corruption("the kept answer of " + command_id + " is malformed"));
    return kept->fingerprint == fingerprint ? std::move(kept->response) : KeyReused();
  }
  // No answer kept: the key is new, its earlier answers stored nothing, or the
  // process stopped between storing the command and keeping its answer.
  es::Status status;
  std::optional<std::string> tag = StoredTag(deps, command_id, &status);
  if (!status.ok()) return ProblemResponse(status);
  if (tag && !tag->empty() && *tag != fingerprint) return KeyReused();
  Response response = inner(call);
  // Kept with its instance, so a replay is this answer to the byte.
  AddProblemInstance(response, call.request_id());
  if (ShouldKeep(deps, response, command_id, fingerprint)) {
    // A failed write leaves the key as after a stop before it: the command
    // record still binds the key to this request.
    (void)deps.ledger.store().PutRequestRecord(command_id, EncodeKeptAnswer({fingerprint, response}));
  }
  return response;
}

}  // namespace

std::string EncodeKeptAnswer(const KeptAnswer& kept) {
  std::string out;
  out.push_back(static_cast<char>(kKeptAnswerVersion));
  out.push_back(static_cast<char>(kept.fingerprint.size()));
  out.append(kept.fingerprint);
  PutU16(&out, static_cast<size_t>(kept.response.status));
  std::string headers;
  size_t count = 0;
  for (std::string_view name : kKeptHeaders) {
    std::string_view value = kept.response.Header(name);
    if (value.empty() || value.size() > kMaxHeaderValueBytes) continue;
    headers.push_back(static_cast<char>(name.size()));
    headers.append(name);
    PutU16(&headers, value.size());
    headers.append(value);
    ++count;
  }
  out.push_back(static_cast<char>(count));
  out.append(headers);
  out.append(kept.response.body);
  return out;
}

std::optional<KeptAnswer> DecodeKeptAnswer(std::string_view bytes) {
  KeptAnswer kept;
  size_t version = 0, length = 0, status = 0, count = 0;
  if (!TakeU8(&bytes, &version) || version != kKeptAnswerVersion) return std::nullopt;
  if (!TakeU8(&bytes, &length) || !TakeBytes(&bytes, length, &kept.fingerprint)) return std::nullopt;
  if (!TakeU16(&bytes, &status) || !TakeU8(&bytes, &count)) return std::nullopt;
  kept.response.status = static_cast<int>(status);
  for (size_t i = 0; i < count; ++i) {
    std::string name, value;
    if (!TakeU8(&bytes, &length) || !TakeBytes(&bytes, length, &name)) return std::nullopt;
    if (!TakeU16(&bytes, &length) || !TakeBytes(&bytes, length, &value)) return std::nullopt;
    kept.response.Set(name, std::move(value));
  }
  kept.response.body.assign(bytes);
  return kept;
}

Handler Idempotent(ApiDeps& deps, Handler inner) {
  return [&deps, inner = std::move(inner)](Call& call) -> Response {
    if (!IsWrite(call.request().method) || !call.signed_in() || !call.request().HasHeader("idempotency-key")) {
      return inner(call);
    }
    std::optional<Response> bad;
    std::optional<std::string> key = IdempotencyKey(call.request(), &bad);
    if (bad) return std::move(*bad);
    std::string command_id = CommandIdFor(call.principal().username, *key);
    std::string fingerprint = RequestFingerprint(call.request());
    IdempotencyLocks::Held held(*deps.idempotency_locks, command_id);
    return AnswerOnce(deps, call, inner, command_id, fingerprint);
  };
}

}  // namespace api
}  // namespace ledger::http

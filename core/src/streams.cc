#include "ledger/core/streams.h"

#include <algorithm>

namespace ledger::core {
namespace {

constexpr size_t kMaxIdLength = 64;

std::string Join(std::string_view prefix, std::string_view id) {
  std::string out(prefix);
  out += '-';
  out += id;
  return out;
}

bool IsIdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

bool IsUsernameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

}  // namespace

std::string OrgStream(std::string_view org_code) { return Join("org", org_code); }
std::string AccountStream(std::string_view username) { return Join("account", username); }
std::string ServiceStream(std::string_view service_id) { return Join("service", service_id); }
std::string ClaimStream(std::string_view claim_id) { return Join("claim", claim_id); }
std::string PaymentRunStream(std::string_view run_id) { return Join("payrun", run_id); }

std::string OfferStream(std::string_view service_id, std::string_view provider_code) {
  return Join(Join("offer", service_id), provider_code);
}

std::string ClaimKeyStream(std::string_view provider_code, std::string_view service_id, std::string_view period) {
  std::string p(period);
  std::replace(p.begin(), p.end(), '/', '_');  // "2026/27" -> "2026_27"
  return Join(Join(Join("claimkey", provider_code), service_id), p);
}

StreamKind KindOfStream(std::string_view stream_id) {
  const std::string_view prefix = stream_id.substr(0, stream_id.find('-'));
  if (prefix.size() == stream_id.size()) return StreamKind::kUnknown;
  if (prefix == "org") return StreamKind::kOrg;
  if (prefix == "account") return StreamKind::kAccount;
  if (prefix == "service") return StreamKind::kService;
  if (prefix == "offer") return StreamKind::kOffer;
  if (prefix == "claim") return StreamKind::kClaim;
  if (prefix == "claimkey") return StreamKind::kClaimKey;
  if (prefix == "payrun") return StreamKind::kPaymentRun;
  return StreamKind::kUnknown;
}

bool IsValidId(std::string_view id) {
  return !id.empty() && id.size() <= kMaxIdLength && std::all_of(id.begin(), id.end(), IsIdChar);
}

bool IsValidUsername(std::string_view username) {
  return !username.empty() && username.size() <= kMaxIdLength &&
         std::all_of(username.begin(), username.end(), IsUsernameChar);
}

}  // namespace ledger::core

// Internal: pieces of the claim decider shared by claim.cc (lifecycle),
// claim_submit.cc (submission validation and pricing) and payment_run.cc.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/core/access.h"
#include "ledger/core/claim.h"
#include "ledger/core/domain.h"
#include "ledger/core/offer.h"
#include "ledger/core/organisation.h"
#include "ledger/core/service.h"

namespace ledger::core::internal {

// Everything a claim command may look at, taken from the loaded streams.
struct ClaimView {
  const ClaimState& claim;
  uint64_t claim_version;
  const ClaimKeyState& key;
  const ServiceState& service;
  const OfferState& offer;
  const OrgState& provider;
  const OrgState& commissioner;
};

// The view of the streams named by `ref` (the claim's routing keys).
ClaimView ViewClaim(const Loaded& loaded, const ClaimRef& ref);

// The outcome of validating and pricing a submission: either field errors
// (every problem at once) or the ClaimSubmitted event to record.
struct SubmissionCheck {
  std::vector<FieldError> errors;
  ClaimSubmitted submitted;
};

// Validates the claim in `view` for submission on `today` and prices it with
// the tariff in force for its period. Pure.
SubmissionCheck CheckSubmission(const ClaimView& view, Date today);

// The problem with one entered value of component `c`: outside c.min..c.max
// (or not 0/1 for yes/no), which covers every negative value. Applied when a
// value is entered and again at submission.
std::optional<FieldError> ValueProblem(const Component& c, int64_t value);

// Whether the amount needs Finance approval under the commissioner's settings.
bool NeedsFinanceApproval(const OrgState& commissioner, Pence amount);
// The risk band of an amount (by magnitude, so recoveries band like top-ups).
RiskBand RiskBandOfMagnitude(Pence amount);

// "1 November 2026".
std::string LongDate(Date date);
// A period as people say it: "October 2026", "January to March 2026",
// "April 2026 to March 2027", "14 October 2026".
std::string LongPeriod(const Period& period);

// Whether `text` is `bytes` bytes in lowercase hexadecimal digits; a
// SHA-256 digest is 32 bytes.
bool IsLowerHex(std::string_view text, size_t bytes);
inline bool IsSha256Hex(std::string_view text) { return IsLowerHex(text, 32); }

}  // namespace ledger::core::internal

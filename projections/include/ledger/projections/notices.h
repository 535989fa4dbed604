// Notices: what changed on a person's claims and offers, for the message
// centre of the home page ("since you last signed in"). Kept by the "notices"
// projection, keyed by organisation and time, so that a home page reads the
// newest few rows of its organisation instead of scanning the log; and each
// person's sign-ins (AccountSignedIn), so that "since" is the sign-in before
// the current one. Pure reads of the applied head. Thread-safe. Which notices
// a person may see is the caller's (app::EventVisibility on the notice's stream).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/core/types.h"
#include "ledger/eventstore/status.h"
#include "ledger/projections/projection_db.h"

namespace ledger::projections {

enum class NoticeKind : uint8_t {
  kReturned = 1,            // ClaimReturned (tier, reason)
  kReturnedByPractice = 2,  // ClaimReturnedByProvider (reason)
  kRejected = 3,            // ClaimRejected (tier, reason)
  kHeld = 4,                // PaymentHeld (reason)
  kReleased = 5,            // PaymentReleased
  kPaid = 6,                // ClaimPaid (amount, reference)
  kOffered = 7,             // ServiceOffered (date: respond by)
  kOfferAccepted = 8,       // OfferAccepted
  kOfferDeclined = 9,       // OfferDeclined (reason)
  kOfferWithdrawn = 10,     // OfferWithdrawn (reason)
};

// One notice: an event on a claim or an offer, with what its words need.
struct Notice {
  uint64_t position = 0;  // of the event in the log
  core::Timestamp at = 0;
  NoticeKind kind = NoticeKind::kReturned;
  std::string stream_id;  // the claim's or offer's stream
  std::string subject;    // the claim id, or the offered service's id
  std::string provider;
  std::string tier;  // core::ApprovalTierName of a return or rejection; "" otherwise
  std::string reason;
  std::string reference;  // a payment's reference
  std::string date;       // an offer's respond-by date, YYYY-MM-DD
  core::Pence amount = 0;
  bool operator==(const Notice&) const = default;
};

struct NoticePage {
  std::vector<Notice> notices;  // newest first
  size_t more = 0;              // further visible notices after `since`, counted up to the scan limit
  bool more_counted_fully = true;
};

// The notices of organisation `org` (a practice, or a commissioner) after
// `since` (exclusive), newest first: the first `limit` that `visible` accepts,
// and how many more it accepts among at most `scan_limit` rows in all.
es::Result<NoticePage> FindNotices(const ProjectionDb& db, std::string_view org, core::Timestamp since,
                                   const std::function<bool(const Notice&)>& visible, size_t limit = 20,
                                   size_t scan_limit = 2'000);

// A person's latest sign-in and the one before it (0 when there is none).
struct SignIns {
  core::Timestamp latest = 0;
  core::Timestamp previous = 0;
};
es::Result<SignIns> FindSignIns(const ProjectionDb& db, std::string_view username);

}  // namespace ledger::projections

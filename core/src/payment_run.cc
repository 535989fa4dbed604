// Payment run decider: a commissioner's batch of approved, unheld claims,
// created from the caller's selection (less the claims already in another
// run, at any stage), confirmed (claims sent for payment) and marked paid
// (each claim paid once, with the remittance reference).
#include "ledger/core/payment_run.h"

#include <algorithm>
#include <optional>
#include <set>

#include "claim_internal.h"
#include "decide_support.h"
#include "ledger/core/claim.h"
#include "ledger/core/domain.h"
#include "ledger/core/streams.h"
#include "variant_util.h"

namespace ledger::core {
namespace {

using internal::ActingPrincipal;
using internal::Deny;
using internal::LongDate;
using internal::NoChange;
using internal::Overloaded;
using internal::StateOf;

std::vector<std::string> RunAndClaims(std::string_view run_id, const std::vector<std::string>& claim_ids) {
  std::vector<std::string> out{PaymentRunStream(run_id)};
  for (const auto& id : claim_ids) {
    std::string stream = ClaimStream(id);
    if (std::find(out.begin(), out.end(), stream) == out.end()) out.push_back(std::move(stream));
  }
  return out;
}

Scope CommissionerScope(const std::string& commissioner) {
  Scope scope;
  scope.commissioner_code = commissioner;
  return scope;
}

FieldError ClaimError(const std::string& claim_id, std::string code, std::string message) {
  return FieldError{"claim_ids." + claim_id, std::move(code), std::move(message)};
}

bool OfCommissioner(const ClaimState& claim, const std::string& commissioner) {
  return claim.status != ClaimStatus::kNone && claim.claim.commissioner == commissioner;
}

// A claim of the commissioner already in a payment run stays in that run: a
// new run leaves it out (a claim is never in two runs), whatever the caller's
// selection, which may be older than the other run.
bool InOtherRun(const ClaimState& claim, const CreatePaymentRun& c) {
  return OfCommissioner(claim, c.commissioner) && !claim.payment_run.empty() && claim.payment_run != c.run_id;
}

// Why a claim cannot go into a new run for `commissioner`; nullopt when it can.
std::optional<FieldError> NotPayable(const std::string& id, const ClaimState& claim, const std::string& commissioner) {
  if (!OfCommissioner(claim, commissioner)) {
    return ClaimError(id, "claim_not_found", "Claim " + id + " is not one of your claims.");
  }
  if (claim.status == ClaimStatus::kPaymentHeld) {
    return ClaimError(id, "payment_held", "Claim " + id + " is on hold (" + claim.hold_reason + ").");
  }
  if (claim.status != ClaimStatus::kApprovedForPayment) {
    return ClaimError(id, "not_approved_for_payment",
                      "Claim " + id + " is " + std::string(StatusName(claim.status)) + ", not Approved for Payment.");
  }
  return std::nullopt;
}

// The signed head a run cites is either absent (every field empty) or whole:
// a root, a time, a key and a signature, each of its size. Whether the
// signature holds is for whoever reads the run to check against the public
// key (docs/auditing.md); the ledger signs what it cites.
std::optional<FieldError> SignedHeadProblem(const CitedHead& head) {
  if (head == CitedHead{}) return std::nullopt;
  if (!internal::IsSha256Hex(head.tree_root) || head.signed_at <= 0 || !internal::IsLowerHex(head.public_key, 32) ||
      !internal::IsLowerHex(head.signature, 64)) {
    return FieldError{"signed_head", "invalid_signed_head",
                      "The signed log head needs its tree root (32 bytes), the time it was signed, the public key (32 "
                      "bytes) and the signature (64 bytes), each in lowercase hex."};
  }
  return std::nullopt;
}

std::vector<FieldError> RunShapeProblems(const CreatePaymentRun& c, Date today) {
  std::vector<FieldError> errors;
  if (!IsValidId(c.run_id)) errors.push_back({"run_id", "invalid_run_id", "The payment run id is not valid."});
  // The pay date is the day the practices see the money in their bank: it
  // cannot have passed when the run is made (the command's own time says which day it is).
  if (c.pay_date < today) {
    errors.push_back({"pay_date", "pay_date_in_past",
                      "The pay date " + LongDate(c.pay_date) + " has passed. Enter today's date or a later one."});
  }
  if (c.claim_ids.empty()) errors.push_back({"claim_ids", "no_claims", "Choose at least one claim to pay."});
  if (!internal::IsSha256Hex(c.head_hash)) {
    errors.push_back({"head_hash", "invalid_head_hash", "The log head hash must be 64 lowercase hex digits."});
  }
  if (auto problem = SignedHeadProblem(c.signed_head)) errors.push_back(std::move(*problem));
  std::set<std::string> seen;
  for (const auto& id : c.claim_ids) {
    if (!seen.insert(id).second) errors.push_back(ClaimError(id, "duplicate", "Claim " + id + " is listed twice."));
  }
  return errors;
}

// Whether `run` is what `c` made: the same commissioner, pay date and the
// claims listed that are not in another run, in order (a repeated command).
bool SameRun(const PaymentRunState& run, const CreatePaymentRun& c, const Loaded& loaded) {
  if (run.commissioner != c.commissioner || run.pay_date != c.pay_date) return false;
  std::vector<std::string> taken;
  for (const auto& id : c.claim_ids) {
    if (!InOtherRun(StateOf<ClaimState>(loaded, ClaimStream(id)), c)) taken.push_back(id);
  }
  if (run.claims.size() != taken.size()) return false;
  for (size_t i = 0; i < run.claims.size(); ++i) {
    if (run.claims[i].claim_id != taken[i]) return false;
  }
  return true;
}

Outcome<Decision> Create(const CommandMeta& meta, const CreatePaymentRun& c, const Loaded& loaded) {
  auto who = ActingPrincipal(meta, loaded);
  if (!who.ok()) return who.rejection();
  if (auto denied = Deny(who.value(), Action::kManagePaymentRuns, CommissionerScope(c.commissioner))) return *denied;
  const auto& commissioner = StateOf<OrgState>(loaded, OrgStream(c.commissioner));
  if (!commissioner.exists || commissioner.kind != OrgKind::kCommissioner) {
    return Rejection::NotFound("commissioner_not_found", "There is no commissioner " + c.commissioner + ".");
  }
  const auto& run = StateOf<PaymentRunState>(loaded, PaymentRunStream(c.run_id));
  if (run.status != PaymentRunStatus::kNone) {
    if (SameRun(run, c, loaded)) return NoChange();
    return Rejection::Conflict("run_exists", "There is already a payment run " + c.run_id + ".");
  }
  std::vector<FieldError> errors = RunShapeProblems(c, internal::Today(meta));
  PaymentRunCreated created{c.run_id,        c.commissioner, c.pay_date,    {},      0,
                            c.head_position, c.head_hash,    who->username, meta.at, c.signed_head};
  for (const auto& id : c.claim_ids) {
    const auto& claim = StateOf<ClaimState>(loaded, ClaimStream(id));
    if (InOtherRun(claim, c)) continue;
    if (auto problem = NotPayable(id, claim, c.commissioner)) {
      errors.push_back(std::move(*problem));
      continue;
    }
    created.claims.push_back({id, claim.claim.provider, claim.amount});
    if (__builtin_add_overflow(created.total, claim.amount, &created.total)) {
      errors.push_back({"claim_ids", "amount_too_large", "The payment run's total is too large."});
    }
  }
  if (errors.empty() && created.claims.empty()) {
    errors.push_back(
        {"claim_ids", "no_claims", "Every claim chosen is already in a payment run; there is nothing new to pay."});
  }
  if (!errors.empty()) {
    return internal::InvalidFields("claims_not_payable", "Some claims cannot go into this payment run.",
                                   std::move(errors));
  }
  Decision d = internal::WriteTo(PaymentRunStream(c.run_id), {created});
  for (const PaymentRunLine& line : created.claims) {
    d.writes.push_back(
        {ClaimStream(line.claim_id), {ClaimAddedToPaymentRun{line.claim_id, c.run_id, c.pay_date, meta.at}}});
  }
  return d;
}

// The common start of Confirm and MarkPaid: the run exists, the actor may
// manage its commissioner's runs, and the command lists exactly its claims.
template <typename Body>
Outcome<Decision> OnRun(const CommandMeta& meta, const std::string& run_id, const std::vector<std::string>& claim_ids,
                        const Loaded& loaded, Body body) {
  auto who = ActingPrincipal(meta, loaded);
  if (!who.ok()) return who.rejection();
  const auto& run = StateOf<PaymentRunState>(loaded, PaymentRunStream(run_id));
  if (run.status == PaymentRunStatus::kNone) {
    return Rejection::NotFound("run_not_found", "There is no payment run " + run_id + ".");
  }
  if (auto denied = Deny(who.value(), Action::kManagePaymentRuns, CommissionerScope(run.commissioner))) return *denied;
  std::vector<std::string> listed = claim_ids;
  std::vector<std::string> in_run;
  for (const PaymentRunLine& line : run.claims) in_run.push_back(line.claim_id);
  std::sort(listed.begin(), listed.end());
  std::sort(in_run.begin(), in_run.end());
  if (listed != in_run) {
    return Rejection::Conflict("run_claims_mismatch",
                               "The claims given are not the claims in payment run " + run_id + ".");
  }
  return body(who.value(), run);
}

// Every claim of the run must be in `expected` status and in this run.
std::optional<Rejection> ClaimsNotIn(const PaymentRunState& run, const Loaded& loaded, ClaimStatus expected) {
  for (const PaymentRunLine& line : run.claims) {
    const auto& claim = StateOf<ClaimState>(loaded, ClaimStream(line.claim_id));
    if (claim.payment_run != run.run_id || claim.status != expected) {
      return Rejection::Conflict("claim_not_ready", "Claim " + line.claim_id + " is " +
                                                        std::string(StatusName(claim.status)) + ", not " +
                                                        std::string(StatusName(expected)) + ".");
    }
  }
  return std::nullopt;
}

Outcome<Decision> Confirm(const CommandMeta& meta, const ConfirmPaymentRun& c, const Loaded& loaded) {
  return OnRun(
      meta, c.run_id, c.claim_ids, loaded, [&](const Principal& who, const PaymentRunState& run) -> Outcome<Decision> {
        if (run.status != PaymentRunStatus::kCreated) return NoChange();
        if (auto refused = ClaimsNotIn(run, loaded, ClaimStatus::kApprovedForPayment)) return *refused;
        Decision d = internal::WriteTo(PaymentRunStream(run.run_id),
                                       {PaymentRunConfirmed{run.run_id, who.username, meta.at}});
        for (const PaymentRunLine& line : run.claims) {
          d.writes.push_back({ClaimStream(line.claim_id), {ClaimSentForPayment{line.claim_id, run.run_id, meta.at}}});
        }
        return d;
      });
}

Outcome<Decision> MarkPaid(const CommandMeta& meta, const MarkPaymentRunPaid& c, const Loaded& loaded) {
  return OnRun(meta, c.run_id, c.claim_ids, loaded,
               [&](const Principal&, const PaymentRunState& run) -> Outcome<Decision> {
                 if (c.payment_reference.empty()) {
                   return internal::InvalidFields("reference_required", "Enter the payment reference.",
                                                  {{"payment_reference", "required",
                                                    "Enter the remittance reference of the payment."}});
                 }
                 if (run.status == PaymentRunStatus::kCreated) {
                   return Rejection::Conflict("run_not_confirmed",
                                              "Payment run " + run.run_id + " has not been sent for payment yet.");
                 }
                 if (run.status == PaymentRunStatus::kPaid) {
                   if (run.payment_reference == c.payment_reference) return NoChange();
                   return Rejection::Conflict("run_already_paid", "Payment run " + run.run_id +
                                                                      " has already been paid with reference " +
                                                                      run.payment_reference + ".");
                 }
                 if (!DueForPayment(run, internal::Today(meta))) {
                   return Rejection::Conflict("before_pay_date", "Payment run " + run.run_id + " is paid on " +
                                                                     LongDate(run.pay_date) +
                                                                     ": mark it paid on or after that day.");
                 }
                 if (auto refused = ClaimsNotIn(run, loaded, ClaimStatus::kSentForPayment)) return *refused;
                 Decision d = internal::WriteTo(PaymentRunStream(run.run_id),
                                                {PaymentRunPaid{run.run_id, c.payment_reference, meta.at}});
                 for (const PaymentRunLine& line : run.claims) {
                   d.writes.push_back(
                       {ClaimStream(line.claim_id),
                        {ClaimPaid{line.claim_id, run.run_id, c.payment_reference, line.amount, meta.at}}});
                 }
                 return d;
               });
}

}  // namespace

bool DueForPayment(const PaymentRunState& run, Date today) {
  return run.status == PaymentRunStatus::kConfirmed && !(today < run.pay_date);
}

std::string_view PaymentRunStatusName(PaymentRunStatus status) {
  switch (status) {
    case PaymentRunStatus::kNone: return "none";
    case PaymentRunStatus::kCreated: return "created";
    case PaymentRunStatus::kConfirmed: return "confirmed";
    case PaymentRunStatus::kPaid: return "paid";
  }
  return "unknown";
}

std::vector<std::string> StreamsForPaymentRun(const PaymentRunCommand& command) {
  return std::visit(
      [](const auto& c) {
        auto streams = RunAndClaims(c.run_id, c.claim_ids);
        if constexpr (std::is_same_v<std::decay_t<decltype(c)>, CreatePaymentRun>) {
          streams.push_back(OrgStream(c.commissioner));
        }
        return streams;
      },
      command);
}

Outcome<Decision> DecidePaymentRun(const CommandMeta& meta, const PaymentRunCommand& command, const Loaded& loaded) {
  return std::visit(Overloaded{
                        [&](const CreatePaymentRun& c) { return Create(meta, c, loaded); },
                        [&](const ConfirmPaymentRun& c) { return Confirm(meta, c, loaded); },
                        [&](const MarkPaymentRunPaid& c) { return MarkPaid(meta, c, loaded); },
                    },
                    command);
}

PaymentRunState EvolvePaymentRun(PaymentRunState state, const PaymentRunEvent& event) {
  std::visit(Overloaded{
                 [&](const PaymentRunCreated& e) {
                   state = PaymentRunState{};
                   state.status = PaymentRunStatus::kCreated;
                   state.run_id = e.run_id;
                   state.commissioner = e.commissioner;
                   state.pay_date = e.pay_date;
                   state.claims = e.claims;
                   state.total = e.total;
                   state.created_by = e.created_by;
                   state.head_position = e.head_position;
                   state.head_hash = e.head_hash;
                   state.signed_head = e.signed_head;
                 },
                 [&](const PaymentRunConfirmed&) { state.status = PaymentRunStatus::kConfirmed; },
                 [&](const PaymentRunPaid& e) {
                   state.status = PaymentRunStatus::kPaid;
                   state.payment_reference = e.payment_reference;
                 },
             },
             event);
  return state;
}

}  // namespace ledger::core

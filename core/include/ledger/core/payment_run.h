// Payment run aggregate (stream payrun-<id>): one commissioner's batch of
// approved, unheld claims for a pay date.
//
//   CreatePaymentRun -> created -> ConfirmPaymentRun -> confirmed (claims sent for payment)
//                    -> MarkPaymentRunPaid -> paid (each claim paid with a reference)
// Every command lists the claim ids so that the claim streams to write are
// known before reading; Decide checks them against the run.
#pragma once

#include <boost/describe/class.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ledger/core/types.h"

namespace ledger::core {

enum class PaymentRunStatus : uint8_t { kNone = 0, kCreated = 1, kConfirmed = 2, kPaid = 3 };
std::string_view PaymentRunStatusName(PaymentRunStatus status);  // "none", "created", "confirmed", "paid"

struct PaymentRunLine {
  std::string claim_id;
  std::string provider;
  Pence amount = 0;
  bool operator==(const PaymentRunLine&) const = default;
};
BOOST_DESCRIBE_STRUCT(PaymentRunLine, (), (claim_id, provider, amount))

// The signed tree head a payment run was computed from, when the ledger signs
// its heads (every field empty or 0 when it does not): the Merkle tree's root
// over positions 1..head_position of the run, the time it was signed
// (microseconds since the epoch), the public key and the Ed25519 signature,
// lowercase hex, as GET /api/v1/ledger/heads answers them (docs/auditing.md).
struct CitedHead {
  std::string tree_root;
  Timestamp signed_at = 0;
  std::string public_key;
  std::string signature;
  bool operator==(const CitedHead&) const = default;
};
BOOST_DESCRIBE_STRUCT(CitedHead, (), (tree_root, signed_at, public_key, signature))
template <>
inline constexpr bool kAddedLater<CitedHead> = true;

// ---- Commands -------------------------------------------------------------

struct CreatePaymentRun {
  std::string run_id;
  std::string commissioner;
  Date pay_date;
  std::vector<std::string> claim_ids;  // chosen by the caller from the claims projection
  uint64_t head_position = 0;          // the log head the selection was computed from
  std::string head_hash;               // hex
  CitedHead signed_head;               // that head, signed
  bool operator==(const CreatePaymentRun&) const = default;
};
struct ConfirmPaymentRun {
  std::string run_id;
  std::vector<std::string> claim_ids;
  bool operator==(const ConfirmPaymentRun&) const = default;
};
struct MarkPaymentRunPaid {
  std::string run_id;
  std::vector<std::string> claim_ids;
  std::string payment_reference;  // the remittance reference of the payment system
  bool operator==(const MarkPaymentRunPaid&) const = default;
};
using PaymentRunCommand = std::variant<CreatePaymentRun, ConfirmPaymentRun, MarkPaymentRunPaid>;

// ---- Events ---------------------------------------------------------------

struct PaymentRunCreated {
  static constexpr std::string_view kTypeName = "PaymentRunCreated";
  std::string run_id;
  std::string commissioner;
  Date pay_date;
  std::vector<PaymentRunLine> claims;
  Pence total = 0;  // sum of claims[].amount
  uint64_t head_position = 0;
  std::string head_hash;
  std::string created_by;
  Timestamp at = 0;
  CitedHead signed_head;  // added later: absent from runs made before heads were signed
  bool operator==(const PaymentRunCreated&) const = default;
};
BOOST_DESCRIBE_STRUCT(PaymentRunCreated, (),
                      (run_id, commissioner, pay_date, claims, total, head_position, head_hash, created_by, at,
                       signed_head))
struct PaymentRunConfirmed {
  static constexpr std::string_view kTypeName = "PaymentRunConfirmed";
  std::string run_id;
  std::string confirmed_by;
  Timestamp at = 0;
  bool operator==(const PaymentRunConfirmed&) const = default;
};
BOOST_DESCRIBE_STRUCT(PaymentRunConfirmed, (), (run_id, confirmed_by, at))
struct PaymentRunPaid {
  static constexpr std::string_view kTypeName = "PaymentRunPaid";
  std::string run_id;
  std::string payment_reference;
  Timestamp at = 0;
  bool operator==(const PaymentRunPaid&) const = default;
};
BOOST_DESCRIBE_STRUCT(PaymentRunPaid, (), (run_id, payment_reference, at))
using PaymentRunEvent = std::variant<PaymentRunCreated, PaymentRunConfirmed, PaymentRunPaid>;

// ---- State ----------------------------------------------------------------

struct PaymentRunState {
  PaymentRunStatus status = PaymentRunStatus::kNone;
  std::string run_id;
  std::string commissioner;
  Date pay_date;
  std::vector<PaymentRunLine> claims;
  Pence total = 0;
  std::string created_by;
  std::string payment_reference;  // once paid
  // The log head the run was computed from (PaymentRunCreated).
  uint64_t head_position = 0;
  std::string head_hash;
  CitedHead signed_head;
  bool operator==(const PaymentRunState&) const = default;
};
BOOST_DESCRIBE_STRUCT(PaymentRunState, (),
                      (status, run_id, commissioner, pay_date, claims, total, created_by, payment_reference,
                       head_position, head_hash, signed_head))

// Whether a confirmed run may be marked paid on `today`: on its pay date or
// after (MarkPaymentRunPaid is refused with "before_pay_date" earlier). Pure.
bool DueForPayment(const PaymentRunState& run, Date today);

// Folds one event into the state. Pure. DecidePaymentRun is in domain.h.
PaymentRunState EvolvePaymentRun(PaymentRunState state, const PaymentRunEvent& event);

}  // namespace ledger::core

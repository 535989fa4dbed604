// Payment run decider. Placeholder bodies: payment runs are not implemented
// yet; DecidePaymentRun refuses every command.
#include "ledger/core/payment_run.h"

#include "ledger/core/domain.h"
#include "ledger/core/streams.h"

namespace ledger::core {
namespace {

std::vector<std::string> RunAndClaims(std::string_view run_id, const std::vector<std::string>& claim_ids) {
  std::vector<std::string> out{PaymentRunStream(run_id)};
  for (const auto& id : claim_ids) out.push_back(ClaimStream(id));
  return out;
}

}  // namespace

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

Outcome<Decision> DecidePaymentRun(const CommandMeta&, const PaymentRunCommand&, const Loaded&) {
  return Rejection::Conflict("not_implemented", "Payment runs are not available yet.");
}

PaymentRunState EvolvePaymentRun(PaymentRunState state, const PaymentRunEvent&) { return state; }

}  // namespace ledger::core

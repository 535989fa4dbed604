// Submission of a claim: every validation rule, then pricing with the tariff
// in force for the claim's period. Errors are collected, never short-circuited,
// so that the practice sees every problem at once.
#include <array>
#include <charconv>
#include <cstdlib>

#include "claim_internal.h"
#include "decide_support.h"
#include "ledger/core/streams.h"

namespace ledger::core::internal {
namespace {

FieldError Error(std::string path, std::string code, std::string message) {
  return FieldError{std::move(path), std::move(code), std::move(message)};
}

std::string ComponentPath(const Component& c) { return "components." + c.id; }
std::string QuestionPath(const Question& q) { return "answers." + q.id; }

// How a value of the component reads to a practice manager.
std::string ShowValue(const Component& c, int64_t value) {
  if (c.unit_kind == UnitKind::kMoney) return FormatPounds(value);
  return std::to_string(value);
}

void CheckWindow(const ClaimView& view, const Period& period, Date today, std::vector<FieldError>& errors) {
  const ClaimWindow window = WindowFor(view.service.definition, period);
  const std::string name = LongPeriod(period);
  if (today < window.opens) {
    errors.push_back(Error("period", "window_not_open",
                           "Claims for " + name + " can be submitted from " + LongDate(window.opens) + "."));
  } else if (today > window.closes) {
    errors.push_back(Error("period", "window_closed",
                           "The claim window for " + name + " closed on " + LongDate(window.closes) +
                               ". Contact your commissioner if you need to make a late claim."));
  }
}

void CheckPeriod(const ClaimView& view, const Period& period, Date today, std::vector<FieldError>& errors) {
  const std::string name = LongPeriod(period);
  if (!Participates(view.offer, period)) {
    errors.push_back(Error("period", "period_outside_participation",
                           "Your organisation is not signed up to " + view.service.definition.name + " for " + name +
                               ". Check the service offer with your commissioner."));
  }
  CheckWindow(view, period, today, errors);
  if (!view.key.holder.empty() && view.key.holder != view.claim.claim.claim_id) {
    errors.push_back(Error("period", "duplicate_claim",
                           "A claim for " + view.service.definition.name + " for " + name + " already exists (claim " +
                               view.key.holder + ")."));
  }
}

void CheckComponentValue(const Component& c, int64_t value, std::optional<int64_t> list_size,
                         std::vector<FieldError>& errors) {
  if (auto problem = ValueProblem(c, value)) {
    errors.push_back(std::move(*problem));
    return;
  }
  if (c.unit_kind == UnitKind::kYesNo) return;
  const bool counts_patients = c.unit_kind == UnitKind::kCount || c.unit_kind == UnitKind::kPercentage;
  if (counts_patients && list_size && value > *list_size) {
    errors.push_back(Error(ComponentPath(c), "units_above_list_size",
                           c.name + " (" + std::to_string(value) +
                               ") cannot be more than your registered list size of " + std::to_string(*list_size) +
                               " patients."));
  }
}

void CheckComponents(const ClaimView& view, std::optional<int64_t> list_size, std::vector<FieldError>& errors) {
  const ServiceDefinition& def = view.service.definition;
  const UnitValues& values = view.claim.values;
  for (const Component& c : def.components) {
    auto it = values.find(c.id);
    if (it == values.end()) {
      if (c.required) errors.push_back(Error(ComponentPath(c), "required", "Enter a value for " + c.name + "."));
      continue;
    }
    CheckComponentValue(c, it->second, list_size, errors);
    if (c.numerator_of.empty()) continue;
    const Component* denominator = def.FindComponent(c.numerator_of);
    auto den = values.find(c.numerator_of);
    if (denominator && den != values.end() && it->second > den->second) {
      errors.push_back(Error(ComponentPath(c), "numerator_above_denominator",
                             c.name + " (" + std::to_string(it->second) + ") cannot be more than " + denominator->name +
                                 " (" + std::to_string(den->second) + ")."));
    }
  }
  for (const auto& [id, value] : values) {
    if (!def.FindComponent(id)) {
      errors.push_back(Error("components." + id, "unknown_component", "This service has no component " + id + "."));
    }
  }
}

bool IsWholeNumber(std::string_view text) {
  if (text.empty()) return false;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return ec == std::errc() && end == text.data() + text.size();
}

void CheckAnswers(const ClaimView& view, std::vector<FieldError>& errors) {
  const Answers& answers = view.claim.answers;
  for (const Question& q : view.service.definition.questions) {
    auto it = answers.find(q.id);
    const bool answered = it != answers.end() && !it->second.empty();
    if (!answered) {
      if (q.required) {
        errors.push_back(Error(QuestionPath(q), "answer_required", "Answer the question: " + q.text));
      }
      continue;
    }
    if (q.kind == QuestionKind::kNumber && !IsWholeNumber(it->second)) {
      errors.push_back(Error(QuestionPath(q), "answer_not_a_number", "Enter a whole number for: " + q.text));
    } else if (q.kind == QuestionKind::kYesNo && it->second != "yes" && it->second != "no") {
      errors.push_back(Error(QuestionPath(q), "answer_not_yes_no", "Answer yes or no for: " + q.text));
    }
  }
  for (const auto& [id, text] : answers) {
    bool known = false;
    for (const Question& q : view.service.definition.questions) known = known || q.id == id;
    if (!known) {
      errors.push_back(Error("answers." + id, "unknown_question", "This service has no question " + id + "."));
    }
  }
}

void CheckEvidence(const ClaimView& view, std::vector<FieldError>& errors) {
  if (view.service.definition.evidence_required && view.claim.evidence.empty()) {
    errors.push_back(
        Error("evidence", "evidence_required", "Attach supporting evidence before submitting this claim."));
  }
}

// Prices the claim; adds field errors when it cannot be priced.
Pence PriceClaim(const ClaimView& view, const Period& period, int64_t list_size, ClaimSubmitted& out,
                 std::vector<FieldError>& errors) {
  const Tariff* tariff = TariffFor(view.service, period);
  if (!tariff) {
    errors.push_back(Error("period", "no_tariff",
                           "There is no payment rate for " + view.service.definition.name + " for " +
                               LongPeriod(period) + ". Contact your commissioner."));
    return 0;
  }
  out.tariff_effective_from = tariff->effective_from;
  out.payment_type = tariff->payment_type;
  auto price = Price(*tariff, view.claim.values, list_size);
  if (price.ok()) return price.value();
  if (price.rejection().errors.empty()) {
    errors.push_back(Error("amount", price.rejection().code, price.rejection().message));
  } else {
    for (const FieldError& e : price.rejection().errors) errors.push_back(e);
  }
  return 0;
}

std::vector<std::string> EvidenceHashes(const std::vector<Evidence>& evidence) {
  std::vector<std::string> out;
  for (const Evidence& e : evidence) out.push_back(e.sha256);
  return out;
}

}  // namespace

std::optional<FieldError> ValueProblem(const Component& c, int64_t value) {
  if (c.unit_kind == UnitKind::kYesNo) {
    if (value == 0 || value == 1) return std::nullopt;
    return Error(ComponentPath(c), "value_out_of_range", "Answer yes or no for " + c.name + ".");
  }
  if (value >= c.min && value <= c.max) return std::nullopt;
  return Error(ComponentPath(c), "value_out_of_range",
               "Enter a value for " + c.name + " between " + ShowValue(c, c.min) + " and " + ShowValue(c, c.max) +
                   " (you entered " + ShowValue(c, value) + ").");
}

SubmissionCheck CheckSubmission(const ClaimView& view, Date today) {
  SubmissionCheck check;
  std::vector<FieldError>& errors = check.errors;
  if (view.service.status != ServiceStatus::kPublished) {
    errors.push_back(Error("service", "service_not_open", "This service is not open for claims."));
  }
  auto period = Period::Parse(view.service.definition.frequency, view.claim.claim.period);
  if (!period) {
    errors.push_back(Error("period", "invalid_period", "The claim period is not a valid period for this service."));
    return check;
  }
  const std::optional<int64_t> list_size = view.provider.ListSizeAt(period->end);
  CheckPeriod(view, *period, today, errors);
  CheckComponents(view, list_size, errors);
  CheckAnswers(view, errors);
  CheckEvidence(view, errors);
  if (!errors.empty()) return check;

  ClaimSubmitted& s = check.submitted;
  s.claim_id = view.claim.claim.claim_id;
  s.list_size = list_size.value_or(0);
  s.amount = PriceClaim(view, *period, s.list_size, s, errors);
  if (!errors.empty()) return check;
  s.risk_band = RiskBandOfMagnitude(s.amount);
  s.values = view.claim.values;
  s.answers = view.claim.answers;
  s.evidence = EvidenceHashes(view.claim.evidence);
  s.provider_approval_required = view.provider.approval_mode == ApprovalMode::kMultiLevel;
  s.finance_approval_required = NeedsFinanceApproval(view.commissioner, s.amount);
  return check;
}

bool NeedsFinanceApproval(const OrgState& commissioner, Pence amount) {
  const Pence magnitude = amount < 0 ? -amount : amount;
  return commissioner.uses_finance_role && magnitude >= commissioner.finance_threshold_pence;
}

RiskBand RiskBandOfMagnitude(Pence amount) { return RiskBandFor(amount < 0 ? -amount : amount); }

namespace {
constexpr std::array<std::string_view, 12> kMonths = {"January",   "February", "March",    "April",
                                                      "May",       "June",     "July",     "August",
                                                      "September", "October",  "November", "December"};
std::string MonthYear(Date date) { return std::string(kMonths[date.month() - 1]) + " " + std::to_string(date.year()); }
}  // namespace

std::string LongDate(Date date) { return std::to_string(date.day()) + " " + MonthYear(date); }

std::string LongPeriod(const Period& period) {
  switch (period.frequency) {
    case Frequency::kMonthly: return MonthYear(period.start);
    case Frequency::kQuarterly: return std::string(kMonths[period.start.month() - 1]) + " to " + MonthYear(period.end);
    case Frequency::kAnnual: return MonthYear(period.start) + " to " + MonthYear(period.end);
    case Frequency::kOneOff: return LongDate(period.start);
  }
  return period.ToString();
}

bool IsLowerHex(std::string_view text, size_t bytes) {
  if (text.size() != 2 * bytes) return false;
  for (char ch : text) {
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return false;
  }
  return true;
}

ClaimView ViewClaim(const Loaded& loaded, const ClaimRef& ref) {
  auto it = loaded.find(ClaimStream(ref.claim_id));
  const uint64_t version = it == loaded.end() ? 0 : it->second.version;
  return ClaimView{
      StateOf<ClaimState>(loaded, ClaimStream(ref.claim_id)),
      version,
      StateOf<ClaimKeyState>(loaded, ClaimKeyStream(ref.provider, ref.service_id, ref.period)),
      StateOf<ServiceState>(loaded, ServiceStream(ref.service_id)),
      StateOf<OfferState>(loaded, OfferStream(ref.service_id, ref.provider)),
      StateOf<OrgState>(loaded, OrgStream(ref.provider)),
      StateOf<OrgState>(loaded, OrgStream(ref.commissioner)),
  };
}

}  // namespace ledger::core::internal

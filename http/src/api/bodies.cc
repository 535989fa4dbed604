#include "bodies.h"

#include <boost/json/parse.hpp>

#include <stdexcept>

#include "ledger/app/credentials.h"
#include "ledger/core/account.h"
#include "ledger/core/offer.h"
#include "ledger/core/organisation.h"
#include "ledger/core/payment_run.h"
#include "ledger/core/service.h"
#include "ledger/core/types.h"
#include "ledger/projections/table.h"

namespace ledger::http::api::bodies {

boost::json::object ClaimSummary::Notes() {
  using core::ClaimStatus;
  return {
      {"status", {{"enum", wire::EnumOf(core::StatusName, ClaimStatus::kDraft, ClaimStatus::kDeleted)}}},
      {"status_since", {{"format", "date-time"}}},
      {"original_claim_id", {{"description", "an adjustment's: the claim it adjusts"}}},
      {"holder_role", {{"description", "the worklist that holds the claim now; empty once it is final"}}},
      {"risk_band", {{"enum", wire::EnumOf(core::RiskBandName, core::RiskBand::kLow, core::RiskBand::kHigh)}}},
      {"amount", {{"pattern", "^-?[0-9]+\\.[0-9]{2}$"}}},
      {"paid_amount", {{"pattern", "^-?[0-9]+\\.[0-9]{2}$"}}},
      {"pay_date", {{"description", "YYYY-MM-DD once the claim is in a payment run"}}},
      {"stages", {{"description", "when the claim reached each stage it has reached (drafted, submitted, ...)"}}},
      {"valid_from", {{"description", "the log positions this view is valid for: [valid_from, valid_to)"}}},
  };
}

boost::json::object Claim::Notes() {
  boost::json::array actions;
  for (int a = 0; a < core::kClaimActionCount; ++a) {
    actions.emplace_back(core::ClaimActionName(static_cast<core::ClaimAction>(a)));
  }
  return {{"version", {{"description", "the claim's stream version: its ETag, and what If-Match names"}}},
          {"actions",
           {{"items", {{"type", "string"}, {"enum", std::move(actions)}}},
            {"description", "the claim actions the caller may take now, as core decides them"}}}};
}

boost::json::object Worklist::Notes() {
  boost::json::array roles;
  for (const std::string& role : projections::WorklistRoleNames()) roles.emplace_back(role);
  return {{"role", {{"enum", std::move(roles)}}}};
}

boost::json::object Organisation::Notes() {
  using core::OrgKind;
  return {{"kind", {{"enum", wire::EnumOf(core::OrgKindName, OrgKind::kSystem, OrgKind::kFederation)}}},
          {"approval_mode",
           {{"enum",
             wire::EnumOf(core::ApprovalModeName, core::ApprovalMode::kSingleLevel, core::ApprovalMode::kMultiLevel)},
            {"description", "a provider's"}}},
          {"finance_threshold_pence", {{"description", "a commissioner's: claims of this much or more need Finance"}}},
          {"uses_finance_role", {{"description", "a commissioner's"}}}};
}

boost::json::object Account::Notes() {
  using core::AccountStatus;
  boost::json::object role = RolesNote().at("items").as_object();
  return {{"org_kind", {{"enum", wire::EnumOf(core::OrgKindName, core::OrgKind::kSystem, core::OrgKind::kFederation)}}},
          {"status",
           {{"enum", wire::EnumOf(core::AccountStatusName, AccountStatus::kRequested, AccountStatus::kDisabled)}}},
          {"roles", {{"items", role}}},
          {"roles_requested", {{"items", role}}},
          {"dual_tier_warning", {{"description", "the account holds both Tier 1 and Tier 2"}}}};
}

boost::json::object Service::Notes() {
  using core::ServiceStatus;
  return {{"status", {{"enum", wire::EnumOf(core::ServiceStatusName, ServiceStatus::kDraft, ServiceStatus::kRetired)}}},
          {"shared_with", {{"description", "other commissioners that may offer it"}}},
          {"offer_status",
           {{"enum", wire::EnumOf(core::OfferStatusName, core::OfferStatus::kPending, core::OfferStatus::kWithdrawn)},
            {"description", "in a provider's list: the status of its offer"}}}};
}

boost::json::object Offer::Notes() {
  using core::OfferStatus;
  return {{"status", {{"enum", wire::EnumOf(core::OfferStatusName, OfferStatus::kPending, OfferStatus::kWithdrawn)}}},
          {"start", {{"format", "date"}}},
          {"end", {{"format", "date"}}},
          {"respond_by", {{"format", "date"}}}};
}

boost::json::object PaymentRun::Notes() {
  using core::PaymentRunStatus;
  return {{"status",
           {{"enum", wire::EnumOf(core::PaymentRunStatusName, PaymentRunStatus::kCreated, PaymentRunStatus::kPaid)}}},
          {"pay_date", {{"format", "date"}}},
          {"head_hash", Hex("the hash of the log's head when the run was made")},
          {"signed_head", {{"description", "the signed tree head the run cites"}}}};
}

boost::json::object Column::Notes() {
  using projections::ColumnKind;
  return {{"kind", {{"enum", wire::EnumOf(projections::ColumnKindName, ColumnKind::kText, ColumnKind::kDecimal2)}}}};
}

boost::json::object RolesNote() {
  boost::json::array names;
  for (int r = 0; r < core::kRoleCount; ++r) names.emplace_back(core::RoleName(static_cast<core::Role>(r)));
  return {{"items", {{"enum", std::move(names)}, {"maxLength", 32}}}, {"minItems", 1}};
}

boost::json::object ClaimEdit::Notes() {
  boost::json::object key{{"pattern", "^[A-Za-z0-9._-]{1,64}$"}};
  return {{"values",
           {{"additionalProperties", {{"minimum", 0}}},
            {"propertyNames", key},
            {"description", "component id to a whole number (pence for money, hundredths for a percentage)"}}},
          {"answers",
           {{"additionalProperties", {{"maxLength", 2000}, {"minLength", 0}}},
            {"propertyNames", key},
            {"description", "question id to the answer"}}}};
}

boost::json::object ClaimDraft::Notes() {
  boost::json::object notes = ClaimEdit::Notes();
  notes["service_id"] = IdNote("the service claimed for");
  notes["period"] = {{"maxLength", 16}, {"description", "2026-10, 2026-Q3 or 2026/27, as the service's frequency"}};
  return notes;
}

boost::json::object AccountRequest::Notes() {
  return {{"username", {{"maxLength", 64}, {"pattern", "^[a-z0-9._-]+$"}}},
          {"org_code", IdNote("the organisation's ODS code")},
          {"full_name", {{"maxLength", 200}}},
          {"email", {{"maxLength", 200}}},
          {"roles", RolesNote()},
          {"password", {{"minLength", app::kMinPasswordLength}, {"maxLength", 200}}}};
}

namespace {
boost::json::object ModeNote() {
  return {{"enum",
           wire::EnumOf(core::ApprovalModeName, core::ApprovalMode::kSingleLevel, core::ApprovalMode::kMultiLevel)}};
}
boost::json::object MembersNote() {
  return {{"items", {{"maxLength", 64}}}, {"description", "for a PCN or federation: its member practices' ODS codes"}};
}
}  // namespace

boost::json::object ProviderSettings::Notes() { return {{"approval_mode", ModeNote()}, {"members", MembersNote()}}; }

boost::json::object Provider::Notes() {
  using core::OrgKind;
  return {{"code", IdNote("its ODS code")},
          {"name", {{"maxLength", 200}}},
          {"postcode", {{"maxLength", 16}, {"minLength", 0}}},
          {"kind", {{"enum", wire::EnumOf(core::OrgKindName, OrgKind::kPractice, OrgKind::kFederation)}}},
          {"approval_mode", ModeNote()},
          {"members", MembersNote()},
          {"commissioner_code", IdNote("the operator only: the commissioner it belongs to (default: mine)")}};
}

boost::json::object Component::Notes() {
  using core::UnitKind;
  return {{"id", IdNote("the component's id")},
          {"name", {{"maxLength", 200}}},
          {"unit_kind", {{"enum", wire::EnumOf(core::UnitKindName, UnitKind::kCount, UnitKind::kPercentage)}}},
          {"required", {{"description", "default true"}}},
          {"numerator_of", {{"maxLength", 64}, {"minLength", 0}}}};
}

boost::json::object Question::Notes() {
  using core::QuestionKind;
  return {{"id", IdNote("the question's id")},
          {"kind", {{"enum", wire::EnumOf(core::QuestionKindName, QuestionKind::kText, QuestionKind::kYesNo)}}},
          {"required", {{"description", "default false"}}}};
}

boost::json::object ServiceDefinition::Notes() {
  using core::Frequency;
  return {{"code", {{"maxLength", 32}}},
          {"name", {{"maxLength", 200}}},
          {"description", {{"maxLength", 4000}, {"minLength", 0}}},
          {"category",
           {{"enum", wire::EnumOf(core::ServiceCategoryName, core::ServiceCategory::kLes, core::ServiceCategory::kLis)},
            {"description", "default LES"}}},
          {"frequency", {{"enum", wire::EnumOf(core::FrequencyName, Frequency::kMonthly, Frequency::kOneOff)}}},
          {"window_days", {{"minimum", 1}, {"maximum", 3650}}},
          {"start", DateNote()},
          {"end", DateNote()},
          {"components", {{"minItems", 1}}}};
}

boost::json::object NewService::Notes() {
  boost::json::object notes = ServiceDefinition::Notes();
  notes["service_id"] = IdNote("the new service's id");
  return notes;
}

boost::json::object Tariff::Notes() {
  using core::PaymentType;
  return {{"effective_from", DateNote()},
          {"payment_type",
           {{"enum", wire::EnumOf(core::PaymentTypeName, PaymentType::kItemOfService, PaymentType::kParticipation)}}},
          {"unit_rates",
           {{"additionalProperties", {{"minimum", 0}}},
            {"description", "item of service: component id to pence per unit"}}},
          {"population_basis",
           {{"enum", {"per_patient", "per_thousand"}}, {"description", "population: default per_patient"}}},
          {"population_rate_pence", {{"minimum", 0}}},
          {"numerator_component", {{"maxLength", 64}, {"minLength", 0}}},
          {"denominator_component", {{"maxLength", 64}, {"minLength", 0}}},
          {"participation_pence", {{"minimum", 0}}}};
}

AsOf AsOfBody(const projections::Answered& as_of) {
  return {.position = as_of.position, .at = projections::FormatTimestamp(as_of.at)};
}

ClaimSummary SummaryBody(const projections::ClaimView& c) {
  ClaimSummary s;
  s.claim_id = c.claim_id;
  s.commissioner = c.commissioner;
  s.provider = c.provider;
  s.service_id = c.service_id;
  s.period = c.period;
  if (!c.original_claim_id.empty()) s.original_claim_id = c.original_claim_id;
  s.status = core::StatusName(c.status);
  s.status_since = projections::FormatTimestamp(c.status_since_at);
  s.status_since_position = c.status_since_position;
  s.holder_role = c.holder_role;
  s.holder_org = c.holder_org;
  s.amount_pence = c.amount;
  s.amount = core::FormatPoundsPlain(c.amount);
  s.paid_amount_pence = c.paid_amount;
  s.paid_amount = core::FormatPoundsPlain(c.paid_amount);
  s.risk_band = core::RiskBandName(c.risk_band);
  s.units = c.units;
  s.list_size = c.list_size;
  s.prepared_by = c.prepared_by;
  s.submitted_by = c.submitted_by;
  s.submissions = c.submissions;
  s.failed_submissions = c.failed_submissions;
  s.returns = c.returns;
  s.hold_reason = c.hold_reason;
  s.payment_run = c.payment_run;
  s.pay_date = c.pay_date;
  s.payment_reference = c.payment_reference;
  s.last_reason_code = c.last_reason_code;
  s.last_reason = c.last_reason;
  s.evidence_in_force = c.evidence_in_force;
  for (int i = 0; i < projections::kStageCount; ++i) {
    if (c.stage_at[i] != 0) {
      s.stages[std::string(projections::StageName(static_cast<projections::Stage>(i)))] = projections::FormatTimestamp(
          c.stage_at[i]);
    }
  }
  s.valid_from = c.valid_from;
  if (c.valid_to != 0) s.valid_to = c.valid_to;
  return s;
}

ClaimPage ClaimPageBody(const projections::ClaimPage& page) {
  ClaimPage out{.as_of = AsOfBody(page.as_of), .claims = {}, .next_cursor = page.next_cursor};
  out.claims.reserve(page.claims.size());
  for (const projections::ClaimView& c : page.claims) out.claims.push_back(SummaryBody(c));
  return out;
}

AuditPage AuditPageBody(const projections::AuditPage& page) {
  AuditPage out{.as_of = AsOfBody(page.as_of), .entries = {}, .next_cursor = page.next_cursor};
  for (const projections::AuditEntry& e : page.entries) {
    AuditEntry entry;
    std::string error;
    if (!wire::FromJson(boost::json::parse(e.json), &entry, &error)) {
      throw std::logic_error("an audit entry is not an AuditEntry: " + error);
    }
    if (entry.amount_pence) entry.amount = core::FormatPoundsPlain(*entry.amount_pence);
    out.entries.push_back(std::move(entry));
  }
  return out;
}

}  // namespace ledger::http::api::bodies

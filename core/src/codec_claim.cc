// Codec of claim and claim-key events: FlatBuffers tables of
// core/schema/claim_events.fbs (schema version 1) and their JSON view.
#include <flatbuffers/flatbuffers.h>

#include "claim_events_generated.h"
#include "codec_internal.h"
#include "variant_util.h"

namespace ledger::core::internal {
namespace {

namespace fb = ::ledger::fb::claim;
using Fbb = flatbuffers::FlatBufferBuilder;
using FbString = flatbuffers::Offset<flatbuffers::String>;
using boost::json::object;

// ---- Encoding helpers -------------------------------------------------------

FbString S(Fbb& b, const std::string& s) { return b.CreateString(s); }

template <typename T>
std::string Finish(Fbb& b, flatbuffers::Offset<T> root) {
  b.Finish(root);
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

flatbuffers::Offset<fb::ClaimRef> RefOf(Fbb& b, const ClaimRef& r) {
  auto id = S(b, r.claim_id);
  auto provider = S(b, r.provider);
  auto commissioner = S(b, r.commissioner);
  auto service = S(b, r.service_id);
  auto period = S(b, r.period);
  return fb::CreateClaimRef(b, id, provider, commissioner, service, period);
}

flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<fb::UnitValue>>> ValuesOf(Fbb& b, const UnitValues& v) {
  std::vector<flatbuffers::Offset<fb::UnitValue>> out;
  for (const auto& [id, value] : v) {
    auto key = S(b, id);
    out.push_back(fb::CreateUnitValue(b, key, value));
  }
  return b.CreateVector(out);
}

flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<fb::Answer>>> AnswersOf(Fbb& b, const Answers& a) {
  std::vector<flatbuffers::Offset<fb::Answer>> out;
  for (const auto& [id, text] : a) {
    auto key = S(b, id);
    auto value = S(b, text);
    out.push_back(fb::CreateAnswer(b, key, value));
  }
  return b.CreateVector(out);
}

flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<fb::FieldError>>> ErrorsOf(
    Fbb& b, const std::vector<FieldError>& errors) {
  std::vector<flatbuffers::Offset<fb::FieldError>> out;
  for (const FieldError& e : errors) {
    auto path = S(b, e.path);
    auto code = S(b, e.code);
    auto message = S(b, e.message);
    out.push_back(fb::CreateFieldError(b, path, code, message));
  }
  return b.CreateVector(out);
}

flatbuffers::Offset<fb::Evidence> EvidenceOf(Fbb& b, const Evidence& e) {
  auto sha = S(b, e.sha256);
  auto name = S(b, e.filename);
  auto type = S(b, e.content_type);
  return fb::CreateEvidence(b, sha, name, type, e.size);
}

uint8_t U8(auto e) { return static_cast<uint8_t>(e); }

// ---- Encoding, one function per event ------------------------------------------

std::string Payload(const ClaimDrafted& e) {
  Fbb b;
  auto ref = RefOf(b, e.claim);
  auto by = S(b, e.prepared_by);
  return Finish(b, fb::CreateClaimDrafted(b, ref, by, e.at));
}

std::string Payload(const ClaimValuesEntered& e) {
  Fbb b;
  auto id = S(b, e.claim_id);
  auto values = ValuesOf(b, e.values);
  auto answers = AnswersOf(b, e.answers);
  auto by = S(b, e.entered_by);
  return Finish(b, fb::CreateClaimValuesEntered(b, id, values, answers, by, e.at));
}

std::string Payload(const EvidenceAttached& e) {
  Fbb b;
  auto id = S(b, e.claim_id);
  auto evidence = EvidenceOf(b, e.evidence);
  auto by = S(b, e.attached_by);
  return Finish(b, fb::CreateEvidenceAttached(b, id, evidence, by, e.at));
}

std::string Payload(const EvidenceRemoved& e) {
  Fbb b;
  auto id = S(b, e.claim_id);
  auto sha = S(b, e.sha256);
  auto by = S(b, e.removed_by);
  return Finish(b, fb::CreateEvidenceRemoved(b, id, sha, by, e.at));
}

std::string Payload(const ClaimDraftDeleted& e) {
  Fbb b;
  auto id = S(b, e.claim_id);
  auto by = S(b, e.deleted_by);
  return Finish(b, fb::CreateClaimDraftDeleted(b, id, by, e.at));
}

std::string Payload(const ClaimSubmissionFailed& e) {
  Fbb b;
  auto id = S(b, e.claim_id);
  auto errors = ErrorsOf(b, e.errors);
  auto by = S(b, e.attempted_by);
  return Finish(b, fb::CreateClaimSubmissionFailed(b, id, errors, by, e.at));
}

std::string Payload(const ClaimSubmitted& e) {
  Fbb b;
  auto id = S(b, e.claim_id);
  auto values = ValuesOf(b, e.values);
  auto answers = AnswersOf(b, e.answers);
  auto evidence = b.CreateVectorOfStrings(e.evidence);
  auto by = S(b, e.submitted_by);
  return Finish(b, fb::CreateClaimSubmitted(b, id, e.amount, U8(e.risk_band), e.tariff_effective_from.days,
                                            U8(e.payment_type), e.list_size, values, answers, evidence,
                                            e.provider_approval_required, e.finance_approval_required, by, e.at));
}

std::string Payload(const ClaimApprovedByProvider& e) {
  Fbb b;
  auto id = S(b, e.claim_id);
  auto by = S(b, e.approved_by);
  return Finish(b, fb::CreateClaimApprovedByProvider(b, id, by, e.at));
}

std::string Payload(const ClaimReturnedByProvider& e) {
  Fbb b;
  auto id = S(b, e.claim_id);
  auto reason = S(b, e.reason);
  auto by = S(b, e.returned_by);
  return Finish(b, fb::CreateClaimReturnedByProvider(b, id, reason, by, e.at));
}

std::string Payload(const ClaimApprovedAtTier& e) {
  Fbb b;
  auto id = S(b, e.claim_id);
  auto by = S(b, e.approved_by);
  return Finish(b, fb::CreateClaimApprovedAtTier(b, id, U8(e.tier), by, e.at));
}

std::string Payload(const ClaimApprovedForPayment& e) {
  Fbb b;
  auto id = S(b, e.claim_id);
  return Finish(b, fb::CreateClaimApprovedForPayment(b, id, e.amount, e.at));
}

std::string Payload(const ClaimRejected& e) {
  Fbb b;
  auto id = S(b, e.claim_id);
  auto code = S(b, e.reason_code);
  auto reason = S(b, e.reason);
  auto by = S(b, e.rejected_by);
  return Finish(b, fb::CreateClaimRejected(b, id, U8(e.tier), code, reason, by, e.at));
}

std::string Payload(const ClaimReturned& e) {
  Fbb b;
  auto id = S(b, e.claim_id);
  auto reason = S(b, e.reason);
  auto by = S(b, e.returned_by);
  return Finish(b, fb::CreateClaimReturned(b, id, U8(e.tier), reason, by, e.at));
}

std::string Payload(const ClaimWithdrawn& e) {
  Fbb b;
  auto id = S(b, e.claim_id);
  auto reason = S(b, e.reason);
  auto by = S(b, e.withdrawn_by);
  return Finish(b, fb::CreateClaimWithdrawn(b, id, reason, by, e.at));
}

std::string Payload(const PaymentHeld& e) {
  Fbb b;
  auto id = S(b, e.claim_id);
  auto reason = S(b, e.reason);
  auto by = S(b, e.held_by);
  return Finish(b, fb::CreatePaymentHeld(b, id, reason, by, e.at));
}

std::string Payload(const PaymentReleased& e) {
  Fbb b;
  auto id = S(b, e.claim_id);
  auto by = S(b, e.released_by);
  return Finish(b, fb::CreatePaymentReleased(b, id, by, e.at));
}

std::string Payload(const ClaimAddedToPaymentRun& e) {
  Fbb b;
  auto id = S(b, e.claim_id);
  auto run = S(b, e.run_id);
  return Finish(b, fb::CreateClaimAddedToPaymentRun(b, id, run, e.pay_date.days, e.at));
}

std::string Payload(const ClaimSentForPayment& e) {
  Fbb b;
  auto id = S(b, e.claim_id);
  auto run = S(b, e.run_id);
  return Finish(b, fb::CreateClaimSentForPayment(b, id, run, e.at));
}

std::string Payload(const ClaimPaid& e) {
  Fbb b;
  auto id = S(b, e.claim_id);
  auto run = S(b, e.run_id);
  auto reference = S(b, e.reference);
  return Finish(b, fb::CreateClaimPaid(b, id, run, reference, e.amount, e.at));
}

std::string Payload(const AdjustmentRaised& e) {
  Fbb b;
  auto ref = RefOf(b, e.claim);
  auto original = S(b, e.original_claim_id);
  auto reason = S(b, e.reason);
  auto by = S(b, e.raised_by);
  return Finish(b, fb::CreateAdjustmentRaised(b, ref, original, e.amount, reason, by, e.at));
}

template <typename Key, typename Table>
std::string KeyPayload(const Key& e, Table (*create)(Fbb&, FbString, FbString, FbString, FbString, int64_t)) {
  Fbb b;
  auto provider = S(b, e.provider);
  auto service = S(b, e.service_id);
  auto period = S(b, e.period);
  auto id = S(b, e.claim_id);
  return Finish(b, create(b, provider, service, period, id, e.at));
}

std::string Payload(const ClaimKeyReserved& e) { return KeyPayload(e, &fb::CreateClaimKeyReserved); }
std::string Payload(const ClaimKeyReleased& e) { return KeyPayload(e, &fb::CreateClaimKeyReleased); }

// ---- Decoding helpers -----------------------------------------------------------

std::string Str(const flatbuffers::String* s) { return s ? s->str() : std::string(); }

ClaimRef RefFrom(const fb::ClaimRef* r) {
  if (!r) return {};
  return ClaimRef{Str(r->claim_id()), Str(r->provider()), Str(r->commissioner()), Str(r->service_id()),
                  Str(r->period())};
}

UnitValues ValuesFrom(const flatbuffers::Vector<flatbuffers::Offset<fb::UnitValue>>* v) {
  UnitValues out;
  if (!v) return out;
  for (const fb::UnitValue* x : *v) out[Str(x->component_id())] = x->value();
  return out;
}

Answers AnswersFrom(const flatbuffers::Vector<flatbuffers::Offset<fb::Answer>>* v) {
  Answers out;
  if (!v) return out;
  for (const fb::Answer* x : *v) out[Str(x->question_id())] = Str(x->text());
  return out;
}

std::vector<FieldError> ErrorsFrom(const flatbuffers::Vector<flatbuffers::Offset<fb::FieldError>>* v) {
  std::vector<FieldError> out;
  if (!v) return out;
  for (const fb::FieldError* x : *v) out.push_back({Str(x->path()), Str(x->code()), Str(x->message())});
  return out;
}

std::vector<std::string> StringsFrom(const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* v) {
  std::vector<std::string> out;
  if (!v) return out;
  for (const flatbuffers::String* x : *v) out.push_back(Str(x));
  return out;
}

Evidence EvidenceFrom(const fb::Evidence* e) {
  if (!e) return {};
  return Evidence{Str(e->sha256()), Str(e->filename()), Str(e->content_type()), e->size()};
}

// Enum values outside the schema's documented range mean a corrupt payload.
template <typename E>
std::optional<E> EnumFrom(uint8_t value, uint8_t max) {
  if (value > max) return std::nullopt;
  return static_cast<E>(value);
}
std::optional<ApprovalTier> TierFrom(uint8_t v) { return EnumFrom<ApprovalTier>(v, 3); }

// ---- Decoding, one function per event ------------------------------------------

std::optional<ClaimEvent> From(const fb::ClaimDrafted& t) {
  return ClaimDrafted{RefFrom(t.claim()), Str(t.prepared_by()), t.at()};
}
std::optional<ClaimEvent> From(const fb::ClaimValuesEntered& t) {
  return ClaimValuesEntered{Str(t.claim_id()), ValuesFrom(t.values()), AnswersFrom(t.answers()),
                            Str(t.entered_by()), t.at()};
}
std::optional<ClaimEvent> From(const fb::EvidenceAttached& t) {
  return EvidenceAttached{Str(t.claim_id()), EvidenceFrom(t.evidence()), Str(t.attached_by()), t.at()};
}
std::optional<ClaimEvent> From(const fb::EvidenceRemoved& t) {
  return EvidenceRemoved{Str(t.claim_id()), Str(t.sha256()), Str(t.removed_by()), t.at()};
}
std::optional<ClaimEvent> From(const fb::ClaimDraftDeleted& t) {
  return ClaimDraftDeleted{Str(t.claim_id()), Str(t.deleted_by()), t.at()};
}
std::optional<ClaimEvent> From(const fb::ClaimSubmissionFailed& t) {
  return ClaimSubmissionFailed{Str(t.claim_id()), ErrorsFrom(t.errors()), Str(t.attempted_by()), t.at()};
}
std::optional<ClaimEvent> From(const fb::ClaimSubmitted& t) {
  auto band = EnumFrom<RiskBand>(t.risk_band(), 2);
  auto type = EnumFrom<PaymentType>(t.payment_type(), 3);
  if (!band || !type) return std::nullopt;
  ClaimSubmitted e;
  e.claim_id = Str(t.claim_id());
  e.amount = t.amount();
  e.risk_band = *band;
  e.tariff_effective_from = Date{t.tariff_effective_from()};
  e.payment_type = *type;
  e.list_size = t.list_size();
  e.values = ValuesFrom(t.values());
  e.answers = AnswersFrom(t.answers());
  e.evidence = StringsFrom(t.evidence());
  e.provider_approval_required = t.provider_approval_required();
  e.finance_approval_required = t.finance_approval_required();
  e.submitted_by = Str(t.submitted_by());
  e.at = t.at();
  return e;
}
std::optional<ClaimEvent> From(const fb::ClaimApprovedByProvider& t) {
  return ClaimApprovedByProvider{Str(t.claim_id()), Str(t.approved_by()), t.at()};
}
std::optional<ClaimEvent> From(const fb::ClaimReturnedByProvider& t) {
  return ClaimReturnedByProvider{Str(t.claim_id()), Str(t.reason()), Str(t.returned_by()), t.at()};
}
std::optional<ClaimEvent> From(const fb::ClaimApprovedAtTier& t) {
  auto tier = TierFrom(t.tier());
  if (!tier) return std::nullopt;
  return ClaimApprovedAtTier{Str(t.claim_id()), *tier, Str(t.approved_by()), t.at()};
}
std::optional<ClaimEvent> From(const fb::ClaimApprovedForPayment& t) {
  return ClaimApprovedForPayment{Str(t.claim_id()), t.amount(), t.at()};
}
std::optional<ClaimEvent> From(const fb::ClaimRejected& t) {
  auto tier = TierFrom(t.tier());
  if (!tier) return std::nullopt;
  return ClaimRejected{Str(t.claim_id()), *tier, Str(t.reason_code()), Str(t.reason()), Str(t.rejected_by()), t.at()};
}
std::optional<ClaimEvent> From(const fb::ClaimReturned& t) {
  auto tier = TierFrom(t.tier());
  if (!tier) return std::nullopt;
  return ClaimReturned{Str(t.claim_id()), *tier, Str(t.reason()), Str(t.returned_by()), t.at()};
}
std::optional<ClaimEvent> From(const fb::ClaimWithdrawn& t) {
  return ClaimWithdrawn{Str(t.claim_id()), Str(t.reason()), Str(t.withdrawn_by()), t.at()};
}
std::optional<ClaimEvent> From(const fb::PaymentHeld& t) {
  return PaymentHeld{Str(t.claim_id()), Str(t.reason()), Str(t.held_by()), t.at()};
}
std::optional<ClaimEvent> From(const fb::PaymentReleased& t) {
  return PaymentReleased{Str(t.claim_id()), Str(t.released_by()), t.at()};
}
std::optional<ClaimEvent> From(const fb::ClaimAddedToPaymentRun& t) {
  return ClaimAddedToPaymentRun{Str(t.claim_id()), Str(t.run_id()), Date{t.pay_date()}, t.at()};
}
std::optional<ClaimEvent> From(const fb::ClaimSentForPayment& t) {
  return ClaimSentForPayment{Str(t.claim_id()), Str(t.run_id()), t.at()};
}
std::optional<ClaimEvent> From(const fb::ClaimPaid& t) {
  return ClaimPaid{Str(t.claim_id()), Str(t.run_id()), Str(t.reference()), t.amount(), t.at()};
}
std::optional<ClaimEvent> From(const fb::AdjustmentRaised& t) {
  return AdjustmentRaised{RefFrom(t.claim()), Str(t.original_claim_id()), t.amount(), Str(t.reason()),
                          Str(t.raised_by()), t.at()};
}

std::optional<ClaimKeyEvent> KeyFrom(const fb::ClaimKeyReserved& t) {
  return ClaimKeyReserved{Str(t.provider()), Str(t.service_id()), Str(t.period()), Str(t.claim_id()), t.at()};
}
std::optional<ClaimKeyEvent> KeyFrom(const fb::ClaimKeyReleased& t) {
  return ClaimKeyReleased{Str(t.provider()), Str(t.service_id()), Str(t.period()), Str(t.claim_id()), t.at()};
}

// Verifies `payload` as a `Table` and converts it; a kInvalid rejection when
// the bytes are not a valid table or hold an impossible value.
template <typename Table, typename Convert>
Outcome<Event> DecodeTable(std::string_view type, std::string_view payload, Convert convert) {
  flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(payload.data()), payload.size());
  if (payload.empty() || !verifier.VerifyBuffer<Table>(nullptr)) return CorruptPayload(type);
  auto event = convert(*flatbuffers::GetRoot<Table>(payload.data()));
  if (!event) return CorruptPayload(type);
  return Widen<Event>(*event);
}

using Decoder = Outcome<Event> (*)(std::string_view type, std::string_view payload);

template <typename Table>
Outcome<Event> DecodeClaimTable(std::string_view type, std::string_view payload) {
  return DecodeTable<Table>(type, payload, [](const Table& t) { return From(t); });
}

template <typename Table>
Outcome<Event> DecodeKeyTable(std::string_view type, std::string_view payload) {
  return DecodeTable<Table>(type, payload, [](const Table& t) { return KeyFrom(t); });
}

struct DecoderRow {
  std::string_view type;
  Decoder decode;
};

constexpr DecoderRow kClaimDecoders[] = {
    {ClaimDrafted::kTypeName, DecodeClaimTable<fb::ClaimDrafted>},
    {ClaimValuesEntered::kTypeName, DecodeClaimTable<fb::ClaimValuesEntered>},
    {EvidenceAttached::kTypeName, DecodeClaimTable<fb::EvidenceAttached>},
    {EvidenceRemoved::kTypeName, DecodeClaimTable<fb::EvidenceRemoved>},
    {ClaimDraftDeleted::kTypeName, DecodeClaimTable<fb::ClaimDraftDeleted>},
    {ClaimSubmissionFailed::kTypeName, DecodeClaimTable<fb::ClaimSubmissionFailed>},
    {ClaimSubmitted::kTypeName, DecodeClaimTable<fb::ClaimSubmitted>},
    {ClaimApprovedByProvider::kTypeName, DecodeClaimTable<fb::ClaimApprovedByProvider>},
    {ClaimReturnedByProvider::kTypeName, DecodeClaimTable<fb::ClaimReturnedByProvider>},
    {ClaimApprovedAtTier::kTypeName, DecodeClaimTable<fb::ClaimApprovedAtTier>},
    {ClaimApprovedForPayment::kTypeName, DecodeClaimTable<fb::ClaimApprovedForPayment>},
    {ClaimRejected::kTypeName, DecodeClaimTable<fb::ClaimRejected>},
    {ClaimReturned::kTypeName, DecodeClaimTable<fb::ClaimReturned>},
    {ClaimWithdrawn::kTypeName, DecodeClaimTable<fb::ClaimWithdrawn>},
    {PaymentHeld::kTypeName, DecodeClaimTable<fb::PaymentHeld>},
    {PaymentReleased::kTypeName, DecodeClaimTable<fb::PaymentReleased>},
    {ClaimAddedToPaymentRun::kTypeName, DecodeClaimTable<fb::ClaimAddedToPaymentRun>},
    {ClaimSentForPayment::kTypeName, DecodeClaimTable<fb::ClaimSentForPayment>},
    {ClaimPaid::kTypeName, DecodeClaimTable<fb::ClaimPaid>},
    {AdjustmentRaised::kTypeName, DecodeClaimTable<fb::AdjustmentRaised>},
};

constexpr DecoderRow kKeyDecoders[] = {
    {ClaimKeyReserved::kTypeName, DecodeKeyTable<fb::ClaimKeyReserved>},
    {ClaimKeyReleased::kTypeName, DecodeKeyTable<fb::ClaimKeyReleased>},
};

template <size_t N>
DecodeResult DecodeWith(const DecoderRow (&rows)[N], std::string_view type, uint32_t schema_version,
                        std::string_view payload) {
  for (const DecoderRow& row : rows) {
    if (row.type != type) continue;
    if (schema_version != kCurrentSchemaVersion) return Outcome<Event>(UnsupportedSchemaVersion(type, schema_version));
    return row.decode(type, payload);
  }
  return std::nullopt;
}

// ---- JSON ---------------------------------------------------------------------

object RefJson(const ClaimRef& r) {
  return {{"claim_id", r.claim_id},
          {"provider", r.provider},
          {"commissioner", r.commissioner},
          {"service_id", r.service_id},
          {"period", r.period}};
}

object ValuesJson(const UnitValues& values) {
  object out;
  for (const auto& [id, v] : values) out[id] = v;
  return out;
}

object AnswersJson(const Answers& answers) {
  object out;
  for (const auto& [id, text] : answers) out[id] = text;
  return out;
}

object EvidenceJson(const Evidence& e) {
  return {{"sha256", e.sha256}, {"filename", e.filename}, {"content_type", e.content_type}, {"size", e.size}};
}

boost::json::array ErrorsJson(const std::vector<FieldError>& errors) {
  boost::json::array out;
  for (const FieldError& e : errors) out.emplace_back(FieldErrorJson(e));
  return out;
}

std::string_view Tier(ApprovalTier t) { return ApprovalTierName(t); }

object Json(const ClaimDrafted& e) {
  return {{"claim", RefJson(e.claim)}, {"prepared_by", e.prepared_by}, {"at", e.at}};
}
object Json(const ClaimValuesEntered& e) {
  return {{"claim_id", e.claim_id},
          {"values", ValuesJson(e.values)},
          {"answers", AnswersJson(e.answers)},
          {"entered_by", e.entered_by},
          {"at", e.at}};
}
object Json(const EvidenceAttached& e) {
  return {{"claim_id", e.claim_id}, {"evidence", EvidenceJson(e.evidence)}, {"attached_by", e.attached_by},
          {"at", e.at}};
}
object Json(const EvidenceRemoved& e) {
  return {{"claim_id", e.claim_id}, {"sha256", e.sha256}, {"removed_by", e.removed_by}, {"at", e.at}};
}
object Json(const ClaimDraftDeleted& e) {
  return {{"claim_id", e.claim_id}, {"deleted_by", e.deleted_by}, {"at", e.at}};
}
object Json(const ClaimSubmissionFailed& e) {
  return {{"claim_id", e.claim_id}, {"errors", ErrorsJson(e.errors)}, {"attempted_by", e.attempted_by},
          {"at", e.at}};
}
object Json(const ClaimSubmitted& e) {
  return {{"claim_id", e.claim_id},
          {"amount", e.amount},
          {"risk_band", RiskBandName(e.risk_band)},
          {"tariff_effective_from", DateJson(e.tariff_effective_from)},
          {"payment_type", PaymentTypeName(e.payment_type)},
          {"list_size", e.list_size},
          {"values", ValuesJson(e.values)},
          {"answers", AnswersJson(e.answers)},
          {"evidence", StringsJson(e.evidence)},
          {"provider_approval_required", e.provider_approval_required},
          {"finance_approval_required", e.finance_approval_required},
          {"submitted_by", e.submitted_by},
          {"at", e.at}};
}
object Json(const ClaimApprovedByProvider& e) {
  return {{"claim_id", e.claim_id}, {"approved_by", e.approved_by}, {"at", e.at}};
}
object Json(const ClaimReturnedByProvider& e) {
  return {{"claim_id", e.claim_id}, {"reason", e.reason}, {"returned_by", e.returned_by}, {"at", e.at}};
}
object Json(const ClaimApprovedAtTier& e) {
  return {{"claim_id", e.claim_id}, {"tier", Tier(e.tier)}, {"approved_by", e.approved_by}, {"at", e.at}};
}
object Json(const ClaimApprovedForPayment& e) {
  return {{"claim_id", e.claim_id}, {"amount", e.amount}, {"at", e.at}};
}
object Json(const ClaimRejected& e) {
  return {{"claim_id", e.claim_id},       {"tier", Tier(e.tier)},         {"reason_code", e.reason_code},
          {"reason", e.reason},           {"rejected_by", e.rejected_by}, {"at", e.at}};
}
object Json(const ClaimReturned& e) {
  return {{"claim_id", e.claim_id}, {"tier", Tier(e.tier)}, {"reason", e.reason}, {"returned_by", e.returned_by},
          {"at", e.at}};
}
object Json(const ClaimWithdrawn& e) {
  return {{"claim_id", e.claim_id}, {"reason", e.reason}, {"withdrawn_by", e.withdrawn_by}, {"at", e.at}};
}
object Json(const PaymentHeld& e) {
  return {{"claim_id", e.claim_id}, {"reason", e.reason}, {"held_by", e.held_by}, {"at", e.at}};
}
object Json(const PaymentReleased& e) {
  return {{"claim_id", e.claim_id}, {"released_by", e.released_by}, {"at", e.at}};
}
object Json(const ClaimAddedToPaymentRun& e) {
  return {{"claim_id", e.claim_id}, {"run_id", e.run_id}, {"pay_date", DateJson(e.pay_date)}, {"at", e.at}};
}
object Json(const ClaimSentForPayment& e) {
  return {{"claim_id", e.claim_id}, {"run_id", e.run_id}, {"at", e.at}};
}
object Json(const ClaimPaid& e) {
  return {{"claim_id", e.claim_id}, {"run_id", e.run_id}, {"reference", e.reference}, {"amount", e.amount},
          {"at", e.at}};
}
object Json(const AdjustmentRaised& e) {
  return {{"claim", RefJson(e.claim)}, {"original_claim_id", e.original_claim_id}, {"amount", e.amount},
          {"reason", e.reason},        {"raised_by", e.raised_by},                 {"at", e.at}};
}
template <typename Key>
object KeyJson(const Key& e) {
  return {{"provider", e.provider}, {"service_id", e.service_id}, {"period", e.period}, {"claim_id", e.claim_id},
          {"at", e.at}};
}

}  // namespace

EncodedEvent EncodeClaimEvent(const ClaimEvent& event) {
  return std::visit(
      [](const auto& e) {
        return EncodedEvent{std::string(std::decay_t<decltype(e)>::kTypeName), kCurrentSchemaVersion, Payload(e)};
      },
      event);
}

DecodeResult DecodeClaimEvent(std::string_view type, uint32_t schema_version, std::string_view payload) {
  return DecodeWith(kClaimDecoders, type, schema_version, payload);
}

boost::json::object ClaimEventToJson(const ClaimEvent& event) {
  return std::visit([](const auto& e) { return Json(e); }, event);
}

EncodedEvent EncodeClaimKeyEvent(const ClaimKeyEvent& event) {
  return std::visit(
      [](const auto& e) {
        return EncodedEvent{std::string(std::decay_t<decltype(e)>::kTypeName), kCurrentSchemaVersion, Payload(e)};
      },
      event);
}

DecodeResult DecodeClaimKeyEvent(std::string_view type, uint32_t schema_version, std::string_view payload) {
  return DecodeWith(kKeyDecoders, type, schema_version, payload);
}

boost::json::object ClaimKeyEventToJson(const ClaimKeyEvent& event) {
  return std::visit([](const auto& e) { return KeyJson(e); }, event);
}

}  // namespace ledger::core::internal

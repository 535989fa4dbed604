// Service events <-> FlatBuffers (schema/service_events.fbs) and JSON.
#include "codec_fb.h"
#include "service_events_generated.h"
#include "variant_util.h"

namespace ledger::core::internal {
namespace {

namespace fb = ledger::fb::service;
using Fbb = flatbuffers::FlatBufferBuilder;
using Obj = boost::json::object;

// ---- Encoding -------------------------------------------------------------

flatbuffers::Offset<fb::Definition> DefinitionFb(Fbb& fbb, const ServiceDefinition& d) {
  std::vector<flatbuffers::Offset<fb::Component>> components;
  for (const Component& c : d.components) {
    components.push_back(fb::CreateComponent(fbb, fbb.CreateString(c.id), fbb.CreateString(c.name),
                                             static_cast<uint8_t>(c.unit_kind), c.min, c.max, c.required,
                                             fbb.CreateString(c.numerator_of)));
  }
  std::vector<flatbuffers::Offset<fb::Question>> questions;
  for (const Question& q : d.questions) {
    questions.push_back(fb::CreateQuestion(fbb, fbb.CreateString(q.id), fbb.CreateString(q.text),
                                           static_cast<uint8_t>(q.kind), q.required));
  }
  return fb::CreateDefinition(fbb, fbb.CreateString(d.code), fbb.CreateString(d.name), fbb.CreateString(d.description),
                              static_cast<uint8_t>(d.category), static_cast<uint8_t>(d.frequency), d.window_days,
                              fbb.CreateVector(components), fbb.CreateVector(questions), d.evidence_required,
                              d.start.days, d.end.days);
}

flatbuffers::Offset<fb::Tariff> TariffFb(Fbb& fbb, const Tariff& t) {
  std::vector<flatbuffers::Offset<fb::ComponentRate>> rates;
  for (const ComponentRate& r : t.unit_rates) {
    rates.push_back(fb::CreateComponentRate(fbb, fbb.CreateString(r.component_id), r.pence_per_unit));
  }
  std::vector<flatbuffers::Offset<fb::ThresholdTier>> tiers;
  for (const ThresholdTier& tier : t.tiers) {
    tiers.push_back(fb::CreateThresholdTier(fbb, tier.min_basis_points, tier.pence));
  }
  return fb::CreateTariff(fbb, t.effective_from.days, static_cast<uint8_t>(t.payment_type), fbb.CreateVector(rates),
                          static_cast<uint8_t>(t.population_basis), t.population_rate_pence,
                          fbb.CreateString(t.numerator_component), fbb.CreateString(t.denominator_component),
                          fbb.CreateVector(tiers), t.participation_pence);
}

std::string Payload(Fbb& fbb, const ServiceDefined& e) {
  return Finish(fbb, fb::CreateServiceDefined(fbb, fbb.CreateString(e.service_id), fbb.CreateString(e.commissioner),
                                              DefinitionFb(fbb, e.definition), e.at));
}

std::string Payload(Fbb& fbb, const ServiceDraftEdited& e) {
  return Finish(fbb, fb::CreateServiceDraftEdited(fbb, fbb.CreateString(e.service_id),
                                                  DefinitionFb(fbb, e.definition), e.at));
}

std::string Payload(Fbb& fbb, const ServicePublished& e) {
  return Finish(fbb, fb::CreateServicePublished(fbb, fbb.CreateString(e.service_id), e.at));
}

std::string Payload(Fbb& fbb, const ServiceRetired& e) {
  return Finish(fbb, fb::CreateServiceRetired(fbb, fbb.CreateString(e.service_id), e.at));
}

std::string Payload(Fbb& fbb, const TariffVersionAdded& e) {
  return Finish(fbb,
                fb::CreateTariffVersionAdded(fbb, fbb.CreateString(e.service_id), TariffFb(fbb, e.tariff), e.at));
}

std::string Payload(Fbb& fbb, const ServiceShared& e) {
  return Finish(fbb, fb::CreateServiceShared(fbb, fbb.CreateString(e.service_id),
                                             fbb.CreateString(e.with_commissioner), e.at));
}

// ---- Decoding -------------------------------------------------------------

std::optional<Component> ComponentFrom(const fb::Component& c) {
  auto kind = EnumFrom(c.unit_kind(), UnitKind::kPercentage);
  if (!kind) return std::nullopt;
  return Component{Str(c.id()), Str(c.name()), *kind, c.min_value(), c.max_value(), c.required(),
                   Str(c.numerator_of())};
}

std::optional<Question> QuestionFrom(const fb::Question& q) {
  auto kind = EnumFrom(q.kind(), QuestionKind::kYesNo);
  if (!kind) return std::nullopt;
  return Question{Str(q.id()), Str(q.text()), *kind, q.required()};
}

// Converts every element with `from`; nullopt if any fails.
template <typename T, typename FbT, typename F>
std::optional<std::vector<T>> AllFrom(const flatbuffers::Vector<flatbuffers::Offset<FbT>>* v, F from) {
  std::vector<T> out;
  if (v == nullptr) return out;
  for (const FbT* item : *v) {
    auto converted = from(*item);
    if (!converted) return std::nullopt;
    out.push_back(std::move(*converted));
  }
  return out;
}

std::optional<ServiceDefinition> DefinitionFrom(const fb::Definition* d) {
  if (d == nullptr) return std::nullopt;
  auto category = EnumFrom(d->category(), ServiceCategory::kLis);
  auto frequency = EnumFrom(d->frequency(), Frequency::kOneOff);
  auto components = AllFrom<Component>(d->components(), ComponentFrom);
  auto questions = AllFrom<Question>(d->questions(), QuestionFrom);
  if (!category || !frequency || !components || !questions) return std::nullopt;
  return ServiceDefinition{Str(d->code()), Str(d->name()), Str(d->description()), *category, *frequency,
                           d->window_days(), std::move(*components), std::move(*questions), d->evidence_required(),
                           Date{d->start_date()}, Date{d->end_date()}};
}

std::optional<ComponentRate> RateFrom(const fb::ComponentRate& r) {
  return ComponentRate{Str(r.component_id()), r.pence_per_unit()};
}

std::optional<ThresholdTier> TierFrom(const fb::ThresholdTier& t) {
  return ThresholdTier{t.min_basis_points(), t.pence()};
}

std::optional<Tariff> TariffFrom(const fb::Tariff* t) {
  if (t == nullptr) return std::nullopt;
  auto type = EnumFrom(t->payment_type(), PaymentType::kParticipation);
  auto basis = EnumFrom(t->population_basis(), PopulationBasis::kPerThousand);
  auto rates = AllFrom<ComponentRate>(t->unit_rates(), RateFrom);
  auto tiers = AllFrom<ThresholdTier>(t->tiers(), TierFrom);
  if (!type || !basis || !rates || !tiers) return std::nullopt;
  return Tariff{Date{t->effective_from()}, *type, std::move(*rates), *basis, t->population_rate_pence(),
                Str(t->numerator_component()), Str(t->denominator_component()), std::move(*tiers),
                t->participation_pence()};
}

Outcome<Event> DecodeDefined(std::string_view type, std::string_view payload) {
  const auto* t = VerifiedRoot<fb::ServiceDefined>(payload);
  if (t == nullptr) return CorruptPayload(type);
  auto definition = DefinitionFrom(t->definition());
  if (!definition) return CorruptPayload(type);
  return Event{ServiceDefined{Str(t->service_id()), Str(t->commissioner()), std::move(*definition), t->at()}};
}

Outcome<Event> DecodeEdited(std::string_view type, std::string_view payload) {
  const auto* t = VerifiedRoot<fb::ServiceDraftEdited>(payload);
  if (t == nullptr) return CorruptPayload(type);
  auto definition = DefinitionFrom(t->definition());
  if (!definition) return CorruptPayload(type);
  return Event{ServiceDraftEdited{Str(t->service_id()), std::move(*definition), t->at()}};
}

Outcome<Event> DecodePublished(std::string_view type, std::string_view payload) {
  const auto* t = VerifiedRoot<fb::ServicePublished>(payload);
  if (t == nullptr) return CorruptPayload(type);
  return Event{ServicePublished{Str(t->service_id()), t->at()}};
}

Outcome<Event> DecodeRetired(std::string_view type, std::string_view payload) {
  const auto* t = VerifiedRoot<fb::ServiceRetired>(payload);
  if (t == nullptr) return CorruptPayload(type);
  return Event{ServiceRetired{Str(t->service_id()), t->at()}};
}

Outcome<Event> DecodeTariffAdded(std::string_view type, std::string_view payload) {
  const auto* t = VerifiedRoot<fb::TariffVersionAdded>(payload);
  if (t == nullptr) return CorruptPayload(type);
  auto tariff = TariffFrom(t->tariff());
  if (!tariff) return CorruptPayload(type);
  return Event{TariffVersionAdded{Str(t->service_id()), std::move(*tariff), t->at()}};
}

Outcome<Event> DecodeShared(std::string_view type, std::string_view payload) {
  const auto* t = VerifiedRoot<fb::ServiceShared>(payload);
  if (t == nullptr) return CorruptPayload(type);
  return Event{ServiceShared{Str(t->service_id()), Str(t->with_commissioner()), t->at()}};
}

constexpr DecoderEntry kDecoders[] = {
    {ServiceDefined::kTypeName, DecodeDefined},     {ServiceDraftEdited::kTypeName, DecodeEdited},
    {ServicePublished::kTypeName, DecodePublished}, {ServiceRetired::kTypeName, DecodeRetired},
    {TariffVersionAdded::kTypeName, DecodeTariffAdded}, {ServiceShared::kTypeName, DecodeShared},
};

// ---- JSON -----------------------------------------------------------------

Obj ComponentJson(const Component& c) {
  return {{"id", c.id},   {"name", c.name},         {"unit_kind", UnitKindName(c.unit_kind)},
          {"min", c.min}, {"max", c.max},           {"required", c.required},
          {"numerator_of", c.numerator_of}};
}

Obj QuestionJson(const Question& q) {
  return {{"id", q.id}, {"text", q.text}, {"kind", QuestionKindName(q.kind)}, {"required", q.required}};
}

Obj DefinitionJson(const ServiceDefinition& d) {
  boost::json::array components;
  for (const Component& c : d.components) components.emplace_back(ComponentJson(c));
  boost::json::array questions;
  for (const Question& q : d.questions) questions.emplace_back(QuestionJson(q));
  return {{"code", d.code},
          {"name", d.name},
          {"description", d.description},
          {"category", ServiceCategoryName(d.category)},
          {"frequency", FrequencyName(d.frequency)},
          {"window_days", d.window_days},
          {"components", std::move(components)},
          {"questions", std::move(questions)},
          {"evidence_required", d.evidence_required},
          {"start", DateJson(d.start)},
          {"end", DateJson(d.end)}};
}

Obj TariffJson(const Tariff& t) {
  boost::json::array rates;
  for (const ComponentRate& r : t.unit_rates) {
    rates.emplace_back(Obj{{"component_id", r.component_id}, {"pence_per_unit", r.pence_per_unit}});
  }
  boost::json::array tiers;
  for (const ThresholdTier& tier : t.tiers) {
    tiers.emplace_back(Obj{{"min_basis_points", tier.min_basis_points}, {"pence", tier.pence}});
  }
  return {{"effective_from", DateJson(t.effective_from)},
          {"payment_type", PaymentTypeName(t.payment_type)},
          {"unit_rates", std::move(rates)},
          {"population_basis", t.population_basis == PopulationBasis::kPerThousand ? "per_1000" : "per_patient"},
          {"population_rate_pence", t.population_rate_pence},
          {"numerator_component", t.numerator_component},
          {"denominator_component", t.denominator_component},
          {"tiers", std::move(tiers)},
          {"participation_pence", t.participation_pence}};
}

}  // namespace

EncodedEvent EncodeServiceEvent(const ServiceEvent& event) {
  Fbb fbb;
  std::string payload = std::visit([&](const auto& e) { return Payload(fbb, e); }, event);
  return {TypeNameOf(event), kCurrentSchemaVersion, std::move(payload)};
}

DecodeResult DecodeServiceEvent(std::string_view type, uint32_t schema_version, std::string_view payload) {
  return DecodeByType(kDecoders, type, schema_version, payload);
}

boost::json::object ServiceEventToJson(const ServiceEvent& event) {
  return std::visit(
      Overloaded{
          [](const ServiceDefined& e) -> Obj {
            return {{"service_id", e.service_id}, {"commissioner", e.commissioner},
                    {"definition", DefinitionJson(e.definition)}, {"at", e.at}};
          },
          [](const ServiceDraftEdited& e) -> Obj {
            return {{"service_id", e.service_id}, {"definition", DefinitionJson(e.definition)}, {"at", e.at}};
          },
          [](const ServicePublished& e) -> Obj { return {{"service_id", e.service_id}, {"at", e.at}}; },
          [](const ServiceRetired& e) -> Obj { return {{"service_id", e.service_id}, {"at", e.at}}; },
          [](const TariffVersionAdded& e) -> Obj {
            return {{"service_id", e.service_id}, {"tariff", TariffJson(e.tariff)}, {"at", e.at}};
          },
          [](const ServiceShared& e) -> Obj {
            return {{"service_id", e.service_id}, {"with_commissioner", e.with_commissioner}, {"at", e.at}};
          },
      },
      event);
}

}  // namespace ledger::core::internal

// Offer events <-> FlatBuffers (schema/offer_events.fbs) and JSON.
#include "codec_fb.h"
#include "offer_events_generated.h"
#include "variant_util.h"

namespace ledger::core::internal {
namespace {

namespace fb = ledger::fb::offer;
using Fbb = flatbuffers::FlatBufferBuilder;

std::string Payload(Fbb& fbb, const ServiceOffered& e) {
  return Finish(fbb, fb::CreateServiceOffered(fbb, fbb.CreateString(e.service_id), fbb.CreateString(e.provider),
                                              fbb.CreateString(e.commissioner), e.start.days, e.end.days,
                                              e.respond_by.days, e.at));
}

std::string Payload(Fbb& fbb, const OfferAccepted& e) {
  return Finish(fbb, fb::CreateOfferAccepted(fbb, fbb.CreateString(e.service_id), fbb.CreateString(e.provider),
                                             e.start.days, e.end.days, fbb.CreateString(e.accepted_by), e.at));
}

std::string Payload(Fbb& fbb, const OfferDeclined& e) {
  return Finish(fbb, fb::CreateOfferDeclined(fbb, fbb.CreateString(e.service_id), fbb.CreateString(e.provider),
                                             fbb.CreateString(e.reason), fbb.CreateString(e.declined_by), e.at));
}

std::string Payload(Fbb& fbb, const OfferWithdrawn& e) {
  return Finish(fbb, fb::CreateOfferWithdrawn(fbb, fbb.CreateString(e.service_id), fbb.CreateString(e.provider),
                                              fbb.CreateString(e.reason), fbb.CreateString(e.withdrawn_by), e.at));
}

Outcome<Event> DecodeOffered(std::string_view type, std::string_view payload) {
  const auto* t = VerifiedRoot<fb::ServiceOffered>(payload);
  if (t == nullptr) return CorruptPayload(type);
  return Event{ServiceOffered{Str(t->service_id()), Str(t->provider()), Str(t->commissioner()), Date{t->start_date()},
                              Date{t->end_date()}, Date{t->respond_by()}, t->at()}};
}

Outcome<Event> DecodeAccepted(std::string_view type, std::string_view payload) {
  const auto* t = VerifiedRoot<fb::OfferAccepted>(payload);
  if (t == nullptr) return CorruptPayload(type);
  return Event{OfferAccepted{Str(t->service_id()), Str(t->provider()), Date{t->start_date()}, Date{t->end_date()},
                             Str(t->accepted_by()), t->at()}};
}

Outcome<Event> DecodeDeclined(std::string_view type, std::string_view payload) {
  const auto* t = VerifiedRoot<fb::OfferDeclined>(payload);
  if (t == nullptr) return CorruptPayload(type);
  return Event{
      OfferDeclined{Str(t->service_id()), Str(t->provider()), Str(t->reason()), Str(t->declined_by()), t->at()}};
}

Outcome<Event> DecodeWithdrawn(std::string_view type, std::string_view payload) {
  const auto* t = VerifiedRoot<fb::OfferWithdrawn>(payload);
  if (t == nullptr) return CorruptPayload(type);
  return Event{
      OfferWithdrawn{Str(t->service_id()), Str(t->provider()), Str(t->reason()), Str(t->withdrawn_by()), t->at()}};
}

constexpr DecoderEntry kDecoders[] = {
    {ServiceOffered::kTypeName, DecodeOffered},
    {OfferAccepted::kTypeName, DecodeAccepted},
    {OfferDeclined::kTypeName, DecodeDeclined},
    {OfferWithdrawn::kTypeName, DecodeWithdrawn},
};

}  // namespace

EncodedEvent EncodeOfferEvent(const OfferEvent& event) {
  Fbb fbb;
  std::string payload = std::visit([&](const auto& e) { return Payload(fbb, e); }, event);
  return {TypeNameOf(event), kCurrentSchemaVersion, std::move(payload)};
}

DecodeResult DecodeOfferEvent(std::string_view type, uint32_t schema_version, std::string_view payload) {
  return DecodeByType(kDecoders, type, schema_version, payload);
}

boost::json::object OfferEventToJson(const OfferEvent& event) {
  using Obj = boost::json::object;
  return std::visit(
      Overloaded{
          [](const ServiceOffered& e) -> Obj {
            return {{"service_id", e.service_id}, {"provider", e.provider},       {"commissioner", e.commissioner},
                    {"start", DateJson(e.start)}, {"end", DateJson(e.end)},       {"respond_by", DateJson(e.respond_by)},
                    {"at", e.at}};
          },
          [](const OfferAccepted& e) -> Obj {
            return {{"service_id", e.service_id}, {"provider", e.provider}, {"start", DateJson(e.start)},
                    {"end", DateJson(e.end)},     {"accepted_by", e.accepted_by}, {"at", e.at}};
          },
          [](const OfferDeclined& e) -> Obj {
            return {{"service_id", e.service_id}, {"provider", e.provider}, {"reason", e.reason},
                    {"declined_by", e.declined_by}, {"at", e.at}};
          },
          [](const OfferWithdrawn& e) -> Obj {
            return {{"service_id", e.service_id}, {"provider", e.provider}, {"reason", e.reason},
                    {"withdrawn_by", e.withdrawn_by}, {"at", e.at}};
          },
      },
      event);
}

}  // namespace ledger::core::internal

// Organisation events <-> FlatBuffers (schema/org_events.fbs) and JSON.
#include "codec_fb.h"
#include "org_events_generated.h"
#include "variant_util.h"

namespace ledger::core::internal {
namespace {

namespace fb = ledger::fb::org;

std::string Payload(flatbuffers::FlatBufferBuilder& fbb, const OrganisationRegistered& e) {
  return Finish(fbb, fb::CreateOrganisationRegistered(
                         fbb, fbb.CreateString(e.code), fbb.CreateString(e.name), static_cast<uint8_t>(e.kind),
                         fbb.CreateString(e.commissioner_code), fbb.CreateString(e.postcode),
                         static_cast<uint8_t>(e.approval_mode), Strs(fbb, e.members), e.at));
}

std::string Payload(flatbuffers::FlatBufferBuilder& fbb, const ProviderConfigured& e) {
  return Finish(fbb, fb::CreateProviderConfigured(fbb, fbb.CreateString(e.code), static_cast<uint8_t>(e.approval_mode),
                                                  Strs(fbb, e.members), e.at));
}

std::string Payload(flatbuffers::FlatBufferBuilder& fbb, const ListSizeRecorded& e) {
  return Finish(fbb, fb::CreateListSizeRecorded(fbb, fbb.CreateString(e.code), e.effective_from.days, e.patients, e.at));
}

std::string Payload(flatbuffers::FlatBufferBuilder& fbb, const CommissionerConfigured& e) {
  return Finish(fbb, fb::CreateCommissionerConfigured(fbb, fbb.CreateString(e.code), e.finance_threshold_pence,
                                                      e.uses_finance_role, e.at));
}

Outcome<Event> DecodeRegistered(std::string_view type, std::string_view payload) {
  const auto* t = VerifiedRoot<fb::OrganisationRegistered>(payload);
  if (t == nullptr) return CorruptPayload(type);
  auto kind = EnumFrom(t->kind(), OrgKind::kFederation);
  auto mode = EnumFrom(t->approval_mode(), ApprovalMode::kMultiLevel);
  if (!kind || !mode) return CorruptPayload(type);
  return Event{OrganisationRegistered{Str(t->code()), Str(t->name()), *kind, Str(t->commissioner_code()),
                                      Str(t->postcode()), *mode, Strs(t->members()), t->at()}};
}

Outcome<Event> DecodeConfigured(std::string_view type, std::string_view payload) {
  const auto* t = VerifiedRoot<fb::ProviderConfigured>(payload);
  if (t == nullptr) return CorruptPayload(type);
  auto mode = EnumFrom(t->approval_mode(), ApprovalMode::kMultiLevel);
  if (!mode) return CorruptPayload(type);
  return Event{ProviderConfigured{Str(t->code()), *mode, Strs(t->members()), t->at()}};
}

Outcome<Event> DecodeListSize(std::string_view type, std::string_view payload) {
  const auto* t = VerifiedRoot<fb::ListSizeRecorded>(payload);
  if (t == nullptr) return CorruptPayload(type);
  return Event{ListSizeRecorded{Str(t->code()), Date{t->effective_from()}, t->patients(), t->at()}};
}

Outcome<Event> DecodeCommissioner(std::string_view type, std::string_view payload) {
  const auto* t = VerifiedRoot<fb::CommissionerConfigured>(payload);
  if (t == nullptr) return CorruptPayload(type);
  return Event{
      CommissionerConfigured{Str(t->code()), t->finance_threshold_pence(), t->uses_finance_role(), t->at()}};
}

constexpr DecoderEntry kDecoders[] = {
    {OrganisationRegistered::kTypeName, DecodeRegistered},
    {ProviderConfigured::kTypeName, DecodeConfigured},
    {ListSizeRecorded::kTypeName, DecodeListSize},
    {CommissionerConfigured::kTypeName, DecodeCommissioner},
};

}  // namespace

EncodedEvent EncodeOrgEvent(const OrgEvent& event) {
  flatbuffers::FlatBufferBuilder fbb;
  std::string payload = std::visit([&](const auto& e) { return Payload(fbb, e); }, event);
  return {TypeNameOf(event), kCurrentSchemaVersion, std::move(payload)};
}

DecodeResult DecodeOrgEvent(std::string_view type, uint32_t schema_version, std::string_view payload) {
  return DecodeByType(kDecoders, type, schema_version, payload);
}

boost::json::object OrgEventToJson(const OrgEvent& event) {
  return std::visit(
      Overloaded{
          [](const OrganisationRegistered& e) -> boost::json::object {
            return {{"code", e.code},
                    {"name", e.name},
                    {"kind", OrgKindName(e.kind)},
                    {"commissioner_code", e.commissioner_code},
                    {"postcode", e.postcode},
                    {"approval_mode", ApprovalModeName(e.approval_mode)},
                    {"members", StringsJson(e.members)},
                    {"at", e.at}};
          },
          [](const ProviderConfigured& e) -> boost::json::object {
            return {{"code", e.code},
                    {"approval_mode", ApprovalModeName(e.approval_mode)},
                    {"members", StringsJson(e.members)},
                    {"at", e.at}};
          },
          [](const ListSizeRecorded& e) -> boost::json::object {
            return {{"code", e.code},
                    {"effective_from", DateJson(e.effective_from)},
                    {"patients", e.patients},
                    {"at", e.at}};
          },
          [](const CommissionerConfigured& e) -> boost::json::object {
            return {{"code", e.code},
                    {"finance_threshold_pence", e.finance_threshold_pence},
                    {"uses_finance_role", e.uses_finance_role},
                    {"at", e.at}};
          },
      },
      event);
}

}  // namespace ledger::core::internal

// Account events <-> FlatBuffers (schema/account_events.fbs) and JSON.
// ToJson never shows a password hash.
#include "account_events_generated.h"
#include "codec_fb.h"
#include "variant_util.h"

namespace ledger::core::internal {
namespace {

namespace fb = ledger::fb::account;
using Fbb = flatbuffers::FlatBufferBuilder;

std::string Payload(Fbb& fbb, const AccountRequested& e) {
  return Finish(fbb, fb::CreateAccountRequested(fbb, fbb.CreateString(e.username), fbb.CreateString(e.org_code),
                                                static_cast<uint8_t>(e.org_kind), fbb.CreateString(e.commissioner_code),
                                                fbb.CreateString(e.full_name), fbb.CreateString(e.email),
                                                e.roles_requested.bits(), fbb.CreateString(e.password_hash), e.at));
}

std::string Payload(Fbb& fbb, const AccountApproved& e) {
  return Finish(fbb, fb::CreateAccountApproved(fbb, fbb.CreateString(e.username), e.roles.bits(),
                                               fbb.CreateString(e.approved_by), e.dual_tier_warning, e.at));
}

std::string Payload(Fbb& fbb, const AccountRefused& e) {
  return Finish(fbb, fb::CreateAccountRefused(fbb, fbb.CreateString(e.username), fbb.CreateString(e.reason),
                                              fbb.CreateString(e.refused_by), e.at));
}

std::string Payload(Fbb& fbb, const AccountDisabled& e) {
  return Finish(fbb, fb::CreateAccountDisabled(fbb, fbb.CreateString(e.username), fbb.CreateString(e.reason),
                                               fbb.CreateString(e.disabled_by), e.at));
}

std::string Payload(Fbb& fbb, const AccountEnabled& e) {
  return Finish(fbb,
                fb::CreateAccountEnabled(fbb, fbb.CreateString(e.username), fbb.CreateString(e.enabled_by), e.at));
}

std::string Payload(Fbb& fbb, const RolesAssigned& e) {
  return Finish(fbb, fb::CreateRolesAssigned(fbb, fbb.CreateString(e.username), e.roles.bits(),
                                             fbb.CreateString(e.assigned_by), e.dual_tier_warning, e.at));
}

std::string Payload(Fbb& fbb, const PasswordChanged& e) {
  return Finish(fbb, fb::CreatePasswordChanged(fbb, fbb.CreateString(e.username), fbb.CreateString(e.password_hash),
                                               e.at));
}

std::string Payload(Fbb& fbb, const PasswordReset& e) {
  return Finish(fbb, fb::CreatePasswordReset(fbb, fbb.CreateString(e.username), fbb.CreateString(e.password_hash),
                                             fbb.CreateString(e.reset_by), e.at));
}

std::string Payload(Fbb& fbb, const AccountCreated& e) {
  return Finish(fbb, fb::CreateAccountCreated(fbb, fbb.CreateString(e.username), fbb.CreateString(e.org_code),
                                              static_cast<uint8_t>(e.org_kind), fbb.CreateString(e.commissioner_code),
                                              fbb.CreateString(e.full_name), fbb.CreateString(e.email),
                                              e.roles.bits(), fbb.CreateString(e.password_hash), e.dual_tier_warning,
                                              e.at));
}

Outcome<Event> DecodeRequested(std::string_view type, std::string_view payload) {
  const auto* t = VerifiedRoot<fb::AccountRequested>(payload);
  if (t == nullptr) return CorruptPayload(type);
  auto kind = EnumFrom(t->org_kind(), OrgKind::kFederation);
  auto roles = RolesFrom(t->roles_requested());
  if (!kind || !roles) return CorruptPayload(type);
  return Event{AccountRequested{Str(t->username()), Str(t->org_code()), *kind, Str(t->commissioner_code()),
                                Str(t->full_name()), Str(t->email()), *roles, Str(t->password_hash()), t->at()}};
}

Outcome<Event> DecodeApproved(std::string_view type, std::string_view payload) {
  const auto* t = VerifiedRoot<fb::AccountApproved>(payload);
  if (t == nullptr) return CorruptPayload(type);
  auto roles = RolesFrom(t->roles());
  if (!roles) return CorruptPayload(type);
  return Event{AccountApproved{Str(t->username()), *roles, Str(t->approved_by()), t->dual_tier_warning(), t->at()}};
}

Outcome<Event> DecodeRefused(std::string_view type, std::string_view payload) {
  const auto* t = VerifiedRoot<fb::AccountRefused>(payload);
  if (t == nullptr) return CorruptPayload(type);
  return Event{AccountRefused{Str(t->username()), Str(t->reason()), Str(t->refused_by()), t->at()}};
}

Outcome<Event> DecodeDisabled(std::string_view type, std::string_view payload) {
  const auto* t = VerifiedRoot<fb::AccountDisabled>(payload);
  if (t == nullptr) return CorruptPayload(type);
  return Event{AccountDisabled{Str(t->username()), Str(t->reason()), Str(t->disabled_by()), t->at()}};
}

Outcome<Event> DecodeEnabled(std::string_view type, std::string_view payload) {
  const auto* t = VerifiedRoot<fb::AccountEnabled>(payload);
  if (t == nullptr) return CorruptPayload(type);
  return Event{AccountEnabled{Str(t->username()), Str(t->enabled_by()), t->at()}};
}

Outcome<Event> DecodeRolesAssigned(std::string_view type, std::string_view payload) {
  const auto* t = VerifiedRoot<fb::RolesAssigned>(payload);
  if (t == nullptr) return CorruptPayload(type);
  auto roles = RolesFrom(t->roles());
  if (!roles) return CorruptPayload(type);
  return Event{RolesAssigned{Str(t->username()), *roles, Str(t->assigned_by()), t->dual_tier_warning(), t->at()}};
}

Outcome<Event> DecodePasswordChanged(std::string_view type, std::string_view payload) {
  const auto* t = VerifiedRoot<fb::PasswordChanged>(payload);
  if (t == nullptr) return CorruptPayload(type);
  return Event{PasswordChanged{Str(t->username()), Str(t->password_hash()), t->at()}};
}

Outcome<Event> DecodePasswordReset(std::string_view type, std::string_view payload) {
  const auto* t = VerifiedRoot<fb::PasswordReset>(payload);
  if (t == nullptr) return CorruptPayload(type);
  return Event{PasswordReset{Str(t->username()), Str(t->password_hash()), Str(t->reset_by()), t->at()}};
}

Outcome<Event> DecodeCreated(std::string_view type, std::string_view payload) {
  const auto* t = VerifiedRoot<fb::AccountCreated>(payload);
  if (t == nullptr) return CorruptPayload(type);
  auto kind = EnumFrom(t->org_kind(), OrgKind::kFederation);
  auto roles = RolesFrom(t->roles());
  if (!kind || !roles) return CorruptPayload(type);
  return Event{AccountCreated{Str(t->username()), Str(t->org_code()), *kind, Str(t->commissioner_code()),
                              Str(t->full_name()), Str(t->email()), *roles, Str(t->password_hash()),
                              t->dual_tier_warning(), t->at()}};
}

constexpr DecoderEntry kDecoders[] = {
    {AccountRequested::kTypeName, DecodeRequested},    {AccountApproved::kTypeName, DecodeApproved},
    {AccountRefused::kTypeName, DecodeRefused},        {AccountDisabled::kTypeName, DecodeDisabled},
    {AccountEnabled::kTypeName, DecodeEnabled},        {RolesAssigned::kTypeName, DecodeRolesAssigned},
    {PasswordChanged::kTypeName, DecodePasswordChanged}, {PasswordReset::kTypeName, DecodePasswordReset},
    {AccountCreated::kTypeName, DecodeCreated},
};

}  // namespace

EncodedEvent EncodeAccountEvent(const AccountEvent& event) {
  Fbb fbb;
  std::string payload = std::visit([&](const auto& e) { return Payload(fbb, e); }, event);
  return {TypeNameOf(event), kCurrentSchemaVersion, std::move(payload)};
}

DecodeResult DecodeAccountEvent(std::string_view type, uint32_t schema_version, std::string_view payload) {
  return DecodeByType(kDecoders, type, schema_version, payload);
}

boost::json::object AccountEventToJson(const AccountEvent& event) {
  using Obj = boost::json::object;
  return std::visit(
      Overloaded{
          [](const AccountRequested& e) -> Obj {
            return {{"username", e.username},   {"org_code", e.org_code},
                    {"org_kind", OrgKindName(e.org_kind)},
                    {"commissioner_code", e.commissioner_code},
                    {"full_name", e.full_name}, {"email", e.email},
                    {"roles_requested", RolesJson(e.roles_requested)},
                    {"password_hash", kRedacted}, {"at", e.at}};
          },
          [](const AccountApproved& e) -> Obj {
            return {{"username", e.username}, {"roles", RolesJson(e.roles)}, {"approved_by", e.approved_by},
                    {"dual_tier_warning", e.dual_tier_warning}, {"at", e.at}};
          },
          [](const AccountRefused& e) -> Obj {
            return {{"username", e.username}, {"reason", e.reason}, {"refused_by", e.refused_by}, {"at", e.at}};
          },
          [](const AccountDisabled& e) -> Obj {
            return {{"username", e.username}, {"reason", e.reason}, {"disabled_by", e.disabled_by}, {"at", e.at}};
          },
          [](const AccountEnabled& e) -> Obj {
            return {{"username", e.username}, {"enabled_by", e.enabled_by}, {"at", e.at}};
          },
          [](const RolesAssigned& e) -> Obj {
            return {{"username", e.username}, {"roles", RolesJson(e.roles)}, {"assigned_by", e.assigned_by},
                    {"dual_tier_warning", e.dual_tier_warning}, {"at", e.at}};
          },
          [](const PasswordChanged& e) -> Obj {
            return {{"username", e.username}, {"password_hash", kRedacted}, {"at", e.at}};
          },
          [](const PasswordReset& e) -> Obj {
            return {{"username", e.username}, {"password_hash", kRedacted}, {"reset_by", e.reset_by}, {"at", e.at}};
          },
          [](const AccountCreated& e) -> Obj {
            return {{"username", e.username},   {"org_code", e.org_code},
                    {"org_kind", OrgKindName(e.org_kind)},
                    {"commissioner_code", e.commissioner_code},
                    {"full_name", e.full_name}, {"email", e.email},
                    {"roles", RolesJson(e.roles)},
                    {"password_hash", kRedacted},
                    {"dual_tier_warning", e.dual_tier_warning}, {"at", e.at}};
          },
      },
      event);
}

}  // namespace ledger::core::internal

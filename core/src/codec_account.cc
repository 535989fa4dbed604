// Account events <-> FlatBuffers tables of core/schema/account_events.fbs,
// from the events' descriptions (codec_described.h).
#include "account_events_generated.h"
#include "codec_described.h"

namespace ledger::core::internal {
namespace {

namespace fb = ::ledger::fb::account;

constexpr DecoderEntry kDecoders[] = {
    Described<AccountRequested, fb::AccountRequested>(), Described<AccountApproved, fb::AccountApproved>(),
    Described<AccountRefused, fb::AccountRefused>(),     Described<AccountDisabled, fb::AccountDisabled>(),
    Described<AccountEnabled, fb::AccountEnabled>(),     Described<RolesAssigned, fb::RolesAssigned>(),
    Described<PasswordChanged, fb::PasswordChanged>(),   Described<PasswordReset, fb::PasswordReset>(),
    Described<AccountCreated, fb::AccountCreated>(),     Described<AccountSignedIn, fb::AccountSignedIn>(),
};

}  // namespace

EncodedEvent EncodeAccountEvent(const AccountEvent& event) { return EncodeVariant(event, BuildOrder::kReverseFields); }

DecodeResult DecodeAccountEvent(std::string_view type, uint32_t schema_version, std::string_view payload) {
  return DecodeByType(kDecoders, type, schema_version, payload);
}

}  // namespace ledger::core::internal

// Organisation events <-> FlatBuffers tables of core/schema/org_events.fbs,
// from the events' descriptions (codec_described.h).
#include "codec_described.h"
#include "org_events_generated.h"

namespace ledger::core::internal {
namespace {

namespace fb = ::ledger::fb::org;

constexpr DecoderEntry kDecoders[] = {
    Described<OrganisationRegistered, fb::OrganisationRegistered>(),
    Described<ProviderConfigured, fb::ProviderConfigured>(),
    Described<ListSizeRecorded, fb::ListSizeRecorded>(),
    Described<CommissionerConfigured, fb::CommissionerConfigured>(),
    Described<SigningKeyRotated, fb::SigningKeyRotated>(),
};

}  // namespace

EncodedEvent EncodeOrgEvent(const OrgEvent& event) { return EncodeVariant(event, BuildOrder::kReverseFields); }

DecodeResult DecodeOrgEvent(std::string_view type, uint32_t schema_version, std::string_view payload) {
  return DecodeByType(kDecoders, type, schema_version, payload);
}

}  // namespace ledger::core::internal

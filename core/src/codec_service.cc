// Service events <-> FlatBuffers tables of core/schema/service_events.fbs,
// from the events' descriptions (codec_described.h).
#include "codec_described.h"
#include "service_events_generated.h"

namespace ledger::core::internal {
namespace {

namespace fb = ::ledger::fb::service;

constexpr DecoderEntry kDecoders[] = {
    Described<ServiceDefined, fb::ServiceDefined>(),         Described<ServiceDraftEdited, fb::ServiceDraftEdited>(),
    Described<ServicePublished, fb::ServicePublished>(),     Described<ServiceRetired, fb::ServiceRetired>(),
    Described<TariffVersionAdded, fb::TariffVersionAdded>(), Described<ServiceShared, fb::ServiceShared>(),
};

}  // namespace

EncodedEvent EncodeServiceEvent(const ServiceEvent& event) { return EncodeVariant(event, BuildOrder::kReverseFields); }

DecodeResult DecodeServiceEvent(std::string_view type, uint32_t schema_version, std::string_view payload) {
  return DecodeByType(kDecoders, type, schema_version, payload);
}

}  // namespace ledger::core::internal

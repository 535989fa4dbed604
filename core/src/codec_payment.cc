// Payment run events <-> FlatBuffers tables of core/schema/payment_events.fbs,
// from the events' descriptions (codec_described.h).
#include "codec_described.h"
#include "payment_events_generated.h"

namespace ledger::core::internal {
namespace {

namespace fb = ::ledger::fb::payment;

constexpr DecoderEntry kDecoders[] = {
    Described<PaymentRunCreated, fb::PaymentRunCreated>(),
    Described<PaymentRunConfirmed, fb::PaymentRunConfirmed>(),
    Described<PaymentRunPaid, fb::PaymentRunPaid>(),
};

}  // namespace

EncodedEvent EncodePaymentRunEvent(const PaymentRunEvent& event) {
  return EncodeVariant(event, BuildOrder::kFieldOrder);
}

DecodeResult DecodePaymentRunEvent(std::string_view type, uint32_t schema_version, std::string_view payload) {
  return DecodeByType(kDecoders, type, schema_version, payload);
}

}  // namespace ledger::core::internal

// Claim and claim-key events <-> FlatBuffers tables of
// core/schema/claim_events.fbs, from the events' descriptions
// (codec_described.h).
#include "claim_events_generated.h"
#include "codec_described.h"

namespace ledger::core::internal {
namespace {

namespace fb = ::ledger::fb::claim;

constexpr DecoderEntry kClaimDecoders[] = {
    Described<ClaimDrafted, fb::ClaimDrafted>(),
    Described<ClaimValuesEntered, fb::ClaimValuesEntered>(),
    Described<EvidenceAttached, fb::EvidenceAttached>(),
    Described<EvidenceRemoved, fb::EvidenceRemoved>(),
    Described<ClaimDraftDeleted, fb::ClaimDraftDeleted>(),
    Described<ClaimSubmissionFailed, fb::ClaimSubmissionFailed>(),
    Described<ClaimSubmitted, fb::ClaimSubmitted>(),
    Described<ClaimApprovedByProvider, fb::ClaimApprovedByProvider>(),
    Described<ClaimReturnedByProvider, fb::ClaimReturnedByProvider>(),
    Described<ClaimApprovedAtTier, fb::ClaimApprovedAtTier>(),
    Described<ClaimApprovedForPayment, fb::ClaimApprovedForPayment>(),
    Described<ClaimRejected, fb::ClaimRejected>(),
    Described<ClaimReturned, fb::ClaimReturned>(),
    Described<ClaimWithdrawn, fb::ClaimWithdrawn>(),
    Described<PaymentHeld, fb::PaymentHeld>(),
    Described<PaymentReleased, fb::PaymentReleased>(),
    Described<ClaimAddedToPaymentRun, fb::ClaimAddedToPaymentRun>(),
    Described<ClaimSentForPayment, fb::ClaimSentForPayment>(),
    Described<ClaimPaid, fb::ClaimPaid>(),
    Described<AdjustmentRaised, fb::AdjustmentRaised>(),
};

constexpr DecoderEntry kKeyDecoders[] = {
    Described<ClaimKeyReserved, fb::ClaimKeyReserved>(),
    Described<ClaimKeyReleased, fb::ClaimKeyReleased>(),
};

}  // namespace

EncodedEvent EncodeClaimEvent(const ClaimEvent& event) { return EncodeVariant(event, BuildOrder::kFieldOrder); }

DecodeResult DecodeClaimEvent(std::string_view type, uint32_t schema_version, std::string_view payload) {
  return DecodeByType(kClaimDecoders, type, schema_version, payload);
}

EncodedEvent EncodeClaimKeyEvent(const ClaimKeyEvent& event) { return EncodeVariant(event, BuildOrder::kFieldOrder); }

DecodeResult DecodeClaimKeyEvent(std::string_view type, uint32_t schema_version, std::string_view payload) {
  return DecodeByType(kKeyDecoders, type, schema_version, payload);
}

}  // namespace ledger::core::internal

// The event store's envelope decoder on arbitrary bytes (what a damaged disk
// could hand it): it must answer a Status, never crash or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "envelope_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ledger::es::Envelope envelope;
  (void)ledger::es::DecodeEnvelope(bytes, &envelope);
  // The view decoder reads in place from 8-byte aligned storage, as the store gives it.
  std::string aligned(bytes);
  ledger::base::AlignedCopy scratch;
  ledger::es::EnvelopeView view;
  (void)ledger::es::DecodeEnvelopeView(aligned, &view, &scratch);
  return 0;
}

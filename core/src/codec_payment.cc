// Codec of payment run events: FlatBuffers tables of
// core/schema/payment_events.fbs (schema version 1) and their JSON view.
#include <flatbuffers/flatbuffers.h>

#include "codec_internal.h"
#include "payment_events_generated.h"
#include "variant_util.h"

namespace ledger::core::internal {
namespace {

namespace fb = ::ledger::fb::payment;
using Fbb = flatbuffers::FlatBufferBuilder;
using boost::json::object;

template <typename T>
std::string Finish(Fbb& b, flatbuffers::Offset<T> root) {
  b.Finish(root);
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

std::string Str(const flatbuffers::String* s) { return s ? s->str() : std::string(); }

std::string Payload(const PaymentRunCreated& e) {
  Fbb b;
  auto run = b.CreateString(e.run_id);
  auto commissioner = b.CreateString(e.commissioner);
  std::vector<flatbuffers::Offset<fb::PaymentRunLine>> lines;
  for (const PaymentRunLine& line : e.claims) {
    auto id = b.CreateString(line.claim_id);
    auto provider = b.CreateString(line.provider);
    lines.push_back(fb::CreatePaymentRunLine(b, id, provider, line.amount));
  }
  auto claims = b.CreateVector(lines);
  auto hash = b.CreateString(e.head_hash);
  auto by = b.CreateString(e.created_by);
  return Finish(b, fb::CreatePaymentRunCreated(b, run, commissioner, e.pay_date.days, claims, e.total,
                                               e.head_position, hash, by, e.at));
}

std::string Payload(const PaymentRunConfirmed& e) {
  Fbb b;
  auto run = b.CreateString(e.run_id);
  auto by = b.CreateString(e.confirmed_by);
  return Finish(b, fb::CreatePaymentRunConfirmed(b, run, by, e.at));
}

std::string Payload(const PaymentRunPaid& e) {
  Fbb b;
  auto run = b.CreateString(e.run_id);
  auto reference = b.CreateString(e.payment_reference);
  return Finish(b, fb::CreatePaymentRunPaid(b, run, reference, e.at));
}

PaymentRunEvent From(const fb::PaymentRunCreated& t) {
  PaymentRunCreated e;
  e.run_id = Str(t.run_id());
  e.commissioner = Str(t.commissioner());
  e.pay_date = Date{t.pay_date()};
  if (t.claims()) {
    for (const fb::PaymentRunLine* line : *t.claims()) {
      e.claims.push_back({Str(line->claim_id()), Str(line->provider()), line->amount()});
    }
  }
  e.total = t.total();
  e.head_position = t.head_position();
  e.head_hash = Str(t.head_hash());
  e.created_by = Str(t.created_by());
  e.at = t.at();
  return e;
}

PaymentRunEvent From(const fb::PaymentRunConfirmed& t) {
  return PaymentRunConfirmed{Str(t.run_id()), Str(t.confirmed_by()), t.at()};
}

PaymentRunEvent From(const fb::PaymentRunPaid& t) {
  return PaymentRunPaid{Str(t.run_id()), Str(t.payment_reference()), t.at()};
}

template <typename Table>
Outcome<Event> DecodeTable(std::string_view type, std::string_view payload) {
  flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(payload.data()), payload.size());
  if (payload.empty() || !verifier.VerifyBuffer<Table>(nullptr)) return CorruptPayload(type);
  return Widen<Event>(From(*flatbuffers::GetRoot<Table>(payload.data())));
}

struct DecoderRow {
  std::string_view type;
  Outcome<Event> (*decode)(std::string_view type, std::string_view payload);
};

constexpr DecoderRow kDecoders[] = {
    {PaymentRunCreated::kTypeName, DecodeTable<fb::PaymentRunCreated>},
    {PaymentRunConfirmed::kTypeName, DecodeTable<fb::PaymentRunConfirmed>},
    {PaymentRunPaid::kTypeName, DecodeTable<fb::PaymentRunPaid>},
};

object Json(const PaymentRunCreated& e) {
  boost::json::array claims;
  for (const PaymentRunLine& line : e.claims) {
    claims.emplace_back(object{{"claim_id", line.claim_id}, {"provider", line.provider}, {"amount", line.amount}});
  }
  return {{"run_id", e.run_id},
          {"commissioner", e.commissioner},
          {"pay_date", DateJson(e.pay_date)},
          {"claims", std::move(claims)},
          {"total", e.total},
          {"head_position", e.head_position},
          {"head_hash", e.head_hash},
          {"created_by", e.created_by},
          {"at", e.at}};
}

object Json(const PaymentRunConfirmed& e) {
  return {{"run_id", e.run_id}, {"confirmed_by", e.confirmed_by}, {"at", e.at}};
}

object Json(const PaymentRunPaid& e) {
  return {{"run_id", e.run_id}, {"payment_reference", e.payment_reference}, {"at", e.at}};
}

}  // namespace

EncodedEvent EncodePaymentRunEvent(const PaymentRunEvent& event) {
  return std::visit(
      [](const auto& e) {
        return EncodedEvent{std::string(std::decay_t<decltype(e)>::kTypeName), kCurrentSchemaVersion, Payload(e)};
      },
      event);
}

DecodeResult DecodePaymentRunEvent(std::string_view type, uint32_t schema_version, std::string_view payload) {
  for (const DecoderRow& row : kDecoders) {
    if (row.type != type) continue;
    if (schema_version != kCurrentSchemaVersion) return Outcome<Event>(UnsupportedSchemaVersion(type, schema_version));
    return row.decode(type, payload);
  }
  return std::nullopt;
}

boost::json::object PaymentRunEventToJson(const PaymentRunEvent& event) {
  return std::visit([](const auto& e) { return Json(e); }, event);
}

}  // namespace ledger::core::internal

// app::EnvelopeJson: the one JSON form of an envelope, printed by `ledger
// replay` and served by /api/v1/events (docs/api.md).
#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>

#include "ledger/app/event_json.h"
#include "ledger/core/codec.h"

namespace ledger::app {
namespace {

es::Envelope EnvelopeOf(const core::Event& event) {
  const core::EncodedEvent encoded = core::Encode(event);
  es::Envelope e;
  e.position = 7;
  e.stream_id = "account-sam";
  e.stream_version = 2;
  e.type = encoded.type;
  e.schema_version = encoded.schema_version;
  e.recorded_at_us = 1'794'000'000'123'456;
  e.actor_id = "c1admin";
  e.command_id = "cmd-1";
  e.correlation_id = "corr-1";
  e.payload = encoded.payload;
  e.prev_hash.fill(0x11);
  e.hash.fill(0xab);
  return e;
}

TEST_CASE("an envelope prints its documented keys in order, with the event decoded under payload") {
  const es::Envelope e = EnvelopeOf(core::PasswordChanged{"sam", "$argon2id$secret", 1'794'000'000'000'000});
  std::string hash;
  for (int i = 0; i < 32; ++i) hash += "ab";
  CHECK(boost::json::serialize(EnvelopeJson(e)) ==
        "{\"position\":7,\"stream\":\"account-sam\",\"version\":2,\"type\":\"PasswordChanged\",\"schema_version\":1,"
        "\"recorded_at\":\"2026-11-06T21:20:00.123456Z\",\"actor\":\"c1admin\",\"command_id\":\"cmd-1\","
        "\"correlation_id\":\"corr-1\",\"prev_hash\":\"" +
            std::string(64, '1') + "\",\"hash\":\"" + hash +
            "\",\"payload\":{\"username\":\"sam\",\"password_hash\":\"[redacted]\",\"at\":\"2026-11-06T21:20:00."
            "000000Z\","
            "\"type\":\"PasswordChanged\"}}");
}

TEST_CASE("an envelope whose payload cannot be decoded prints a null payload and the decoder's code") {
  es::Envelope e = EnvelopeOf(core::PasswordChanged{"sam", "x", 1});
  e.payload = "not a flatbuffer";
  boost::json::object json = EnvelopeJson(e);
  CHECK(json.at("payload").is_null());
  CHECK(json.at("payload_error") == "corrupt_payload");
  e.type = "NoSuchEvent";
  CHECK(EnvelopeJson(e).at("payload_error") == "unknown_event_type");
}

}  // namespace
}  // namespace ledger::app

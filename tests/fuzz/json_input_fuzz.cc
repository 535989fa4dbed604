// The strict JSON body reader on arbitrary bodies, read as a claim draft is
// (strings, a nested map of numbers, optional fields): it must answer with
// field errors or a 400/415, never crash; an accepted body is valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ledger/http/json_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ledger::http::Request request;
  request.method = "POST";
  request.target = "/api/v1/claims";
  request.headers.emplace_back("Content-Type", "application/json");
  request.body.assign(reinterpret_cast<const char*>(data), size);
  ledger::http::JsonInput in(request);
  if (in.Open()) return 0;
  (void)in.String("service_id", {.max_length = 64});
  (void)in.OptionalString("period", {.max_length = 16});
  (void)in.OptionalPence("amount_pence");
  (void)in.OptionalInt("tier", {.min = 1, .max = 3});
  (void)in.OptionalBool("submit");
  if (auto values = in.body().OptionalChild("values")) {
    for (const auto& member : values->Members()) (void)member;
  }
  (void)in.Strings("tags");
  (void)in.Finish();
  return 0;
}

// The real `ledger serve` on a loopback port: bad input stores nothing. Every
// mutating route answers a table of bad requests (unknown, negative,
// fractional or out-of-range values, malformed or out-of-scheme periods,
// repeated keys, control characters, bytes that are not UTF-8, over-long bulk
// files) with a 4xx that names the field, and the log head does not move;
// afterwards the event log still reads back as valid UTF-8 JSON.
#include <doctest/doctest.h>

#include <chrono>

#include "api_world.h"
#include "ledger/app/claim_import.h"
#include "ledger/http/auth.h"
#include "live_ledger.h"

namespace ledger::http::testing {
namespace {

// The log head, as the auditor's verify reports it.
uint64_t HeadOf(Client& c, const std::string& auditor) {
  Reply r = c.Send("GET", "/api/v1/verify", "", auditor);
  REQUIRE(r.status == 200);
  return boost::json::parse(r.body).at("head").at("position").to_number<uint64_t>();
}

std::vector<std::string> ErrorsOf(const Reply& r) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(r.body, ec);
  if (ec || !body.is_object() || !body.as_object().contains("errors")) return out;
  for (const auto& e : body.at("errors").as_array())
    out.push_back(std::string(e.at("path").as_string()) + ":" + std::string(e.at("code").as_string()));
  return out;
}

struct BadRequest {
  std::string what;
  std::string user;  // "" = no session (a public route)
  std::string method;
  std::string target;
  std::string body;
  int status;         // the answer expected
  std::string error;  // "path:code" among the problem's errors; "" = not checked
  std::string content_type = "application/json";
};

// Sends `bad` and checks the answer, and that the log head did not move: an
// answer of 4xx stores nothing (the one documented exception, 422
// submission-failed, is not in any table).
void ExpectNothingStored(Client& c, const std::map<std::string, std::string>& tokens, const BadRequest& bad) {
  CAPTURE(bad.what);
  const std::string& auditor = tokens.at("c1auditor");
  const uint64_t before = HeadOf(c, auditor);
  Reply r = c.Send(bad.method, bad.target, bad.body, bad.user.empty() ? "" : tokens.at(bad.user), {}, bad.content_type);
  INFO(r.body);
  CHECK(r.status == bad.status);
  CHECK(r.status >= 400);
  CHECK(r.status < 500);
  CHECK(r.Header("Content-Type") == "application/problem+json");
  boost::system::error_code ec;
  boost::json::parse(r.body, ec);  // the problem itself is valid UTF-8 JSON
  CHECK_FALSE(ec);
  if (!bad.error.empty()) {
    auto errors = ErrorsOf(r);
    CHECK_MESSAGE(std::find(errors.begin(), errors.end(), bad.error) != errors.end(), bad.error);
  }
  CHECK(HeadOf(c, auditor) == before);
}

std::string Id(const Reply& r) { return std::string(boost::json::parse(r.body).at("claim_id").as_string()); }

TEST_CASE("every mutating route refuses bad input with a 4xx naming the field, and the log does not grow") {
  LiveWorld world;
  LiveLedger server(world.dir.str());
  Client c(server.port());
  std::map<std::string, std::string> tokens;
  for (const char* user : {"p1user", "p2user", "c1admin", "c1tier1", "c1tier2", "c1auditor", "op"})
    tokens[user] = SignIn(c, user);

  // A draft and a claim awaiting Tier 1, to aim the claim routes at.
  Reply draft = c.Send("POST", "/api/v1/claims",
                       R"({"service_id":"SPEND","period":")" + world.Day(-1) + R"(","values":{"cost":100}})",
                       tokens["p1user"]);
  REQUIRE_MESSAGE(draft.status == 201, draft.body);
  const std::string draft_at = "/api/v1/claims/" + Id(draft);
  Reply other = c.Send("POST", "/api/v1/claims",
                       R"({"service_id":"SPEND","period":")" + world.Day(-2) + R"(","values":{"cost":100}})",
                       tokens["p1user"]);
  REQUIRE_MESSAGE(other.status == 201, other.body);
  const std::string submitted_at = "/api/v1/claims/" + Id(other);
  REQUIRE(c.Send("POST", submitted_at + "/submit", "", tokens["p1user"]).status == 200);

  const std::string day = world.Day(-3);
  auto claim = [&](const std::string& rest) {
    return R"({"service_id":"SPEND","period":")" + day + R"(")" + rest + "}";
  };
  const std::vector<BadRequest> table = {
      // Values: unknown, negative, fractional, written as a decimal, over the component's maximum.
      {"unknown component", "p1user", "POST", "/api/v1/claims", claim(R"(,"values":{"nope":1})"), 400,
       "components.nope:unknown_component"},
      {"negative value", "p1user", "POST", "/api/v1/claims", claim(R"(,"values":{"cost":-1})"), 400,
       "values.cost:negative"},
      {"fractional value", "p1user", "POST", "/api/v1/claims", claim(R"(,"values":{"cost":12.5})"), 400,
       "values.cost:fractional"},
      {"100.0", "p1user", "POST", "/api/v1/claims", claim(R"(,"values":{"cost":100.0})"), 400,
       "values.cost:wrong_type"},
      {"1e2", "p1user", "POST", "/api/v1/claims", claim(R"(,"values":{"cost":1e2})"), 400, "values.cost:wrong_type"},
      {"\"100\"", "p1user", "POST", "/api/v1/claims", claim(R"(,"values":{"cost":"100"})"), 400,
       "values.cost:wrong_type"},
      {"over the maximum", "p1user", "POST", "/api/v1/claims", claim(R"(,"values":{"cost":100000001})"), 400,
       "components.cost:value_out_of_range"},
      // Periods: malformed, year 0000, outside the service's dates.
      {"year 0000", "p1user", "POST", "/api/v1/claims", R"({"service_id":"SPEND","period":"0000-01-01"})", 400,
       "period:invalid_period"},
      {"month 13", "p1user", "POST", "/api/v1/claims", R"({"service_id":"SPEND","period":"2026-13-01"})", 400,
       "period:invalid_period"},
      {"after the service ends", "p1user", "POST", "/api/v1/claims",
       R"({"service_id":"SPEND","period":")" + world.Day(300) + R"("})", 400, "period:period_outside_service"},
      // Repeated keys, at the top and nested.
      {"repeated key", "p1user", "POST", "/api/v1/claims",
       R"({"service_id":"SPEND","service_id":"SPEND","period":")" + day + R"("})", 400, "service_id:duplicate_key"},
      {"repeated nested key", "p1user", "PUT", draft_at, R"({"values":{"cost":1,"cost":2}})", 400,
       "values.cost:duplicate_key"},
      // Text: NUL, another control character, a Latin-1 byte, a new line in a one-line field.
      {"NUL in an answer", "p1user", "POST", "/api/v1/claims", claim(R"(,"answers":{"notes":"a\u0000b"})"), 400,
       "answers.notes:control_character"},
      {"Latin-1 byte in an answer", "p1user", "POST", "/api/v1/claims", claim(",\"answers\":{\"notes\":\"caf\xE9\"}"),
       400, ":malformed_json"},
      {"escape sequence in an answer", "p1user", "PUT", draft_at, R"({"answers":{"notes":"\u001b[2J"}})", 400,
       "answers.notes:control_character"},
      {"negative value on edit", "p1user", "PUT", draft_at, R"({"values":{"cost":-5}})", 400, "values.cost:negative"},
      {"over the maximum on edit", "p1user", "PUT", draft_at, R"({"values":{"cost":100000001}})", 400,
       "components.cost:value_out_of_range"},
      {"NUL in a rejection reason", "c1tier1", "POST", submitted_at + "/reject",
       R"({"reason_code":"other","reason":"no\u0000"})", 400, "reason:control_character"},
      {"new line in a reason code", "c1tier1", "POST", submitted_at + "/reject",
       R"({"reason_code":"other\n","reason":"why"})", 400, "reason_code:control_character"},
      {"bell in a return reason", "c1tier1", "POST", submitted_at + "/return", R"({"reason":"\u0007"})", 400,
       "reason:control_character"},
      {"C1 control in a withdrawal reason", "p1user", "POST", submitted_at + "/withdraw", R"({"reason":"\u0085"})", 400,
       "reason:control_character"},
      {"NUL in a hold reason", "c1tier2", "POST", submitted_at + "/hold", R"({"reason":"\u0000"})", 400,
       "reason:control_character"},
      {"new line in a provider's name", "c1admin", "POST", "/api/v1/providers",
       R"({"code":"P9","name":"Two\nlines","kind":"practice","approval_mode":"single"})", 400,
       "name:control_character"},
      {"NUL in a service's name", "c1admin", "POST", "/api/v1/services",
       R"({"service_id":"NEW","code":"NEW","name":"a\u0000"})", 400, "name:control_character"},
      {"repeated key in a service's component", "c1admin", "POST", "/api/v1/services",
       R"({"service_id":"NEW","components":[{"id":"a","id":"b"}]})", 400, "components.0.id:duplicate_key"},
      {"C1 control in an organisation's name", "op", "POST", "/api/v1/organisations",
       R"({"code":"C9","name":"x\u009b"})", 400, "name:control_character"},
      {"tab in a requested account's name", "", "POST", "/api/v1/accounts",
       R"({"username":"new.person","org_code":"P1","full_name":"A\tB","email":"a@nhs.invalid",)"
       R"("roles":["provider_user"],"password":"a long enough password"})",
       400, "full_name:control_character"},
      {"NUL in a payment run id", "c1tier2", "POST", "/api/v1/payment-runs",
       R"({"pay_date":")" + world.Day(7) + R"(","run_id":"R\u0000"})", 400, "run_id:control_character"},
      {"NUL in an offer's decline reason", "p1user", "POST", "/api/v1/offers/SPEND/P1/decline",
       R"({"reason":"\u0000"})", 400, "reason:control_character"},
      // Bulk upload: one bad row refuses the whole file.
      {"bulk file with one negative value", "p1user", "POST", "/api/v1/claims/bulk",
       "provider,service,period,cost\n"
       "P1,"
       "SPEND," +
           world.Day(-4) + ",12.50\nP1,SPEND," + world.Day(-5) + ",-3\nP1,SPEND," + world.Day(-6) + ",1.00\n",
       422, "line 3, column cost:invalid_row", "text/csv"},
      {"bulk file with a Latin-1 answer", "p1user", "POST", "/api/v1/claims/bulk",
       "provider,service,period,cost,answer:notes\nP1,SPEND," + world.Day(-4) + ",12.50,caf\xE9\n", 422,
       "line 2, column answer:notes:invalid_row", "text/csv"},
      {"bulk file with a NUL", "p1user", "POST", "/api/v1/claims/bulk",
       "provider,service,period,cost\nP1,SPEND," + world.Day(-4) +
           std::string(",1\0"
                       "2\n",
                       5),
       422, "line 2, column cost:invalid_row", "text/csv"},
  };
  for (const BadRequest& bad : table) ExpectNothingStored(c, tokens, bad);

  // Every event stored so far reads back as valid JSON (valid UTF-8) for the operator.
  Reply events = c.Send("GET", "/api/v1/events?from=1&limit=1000", "", tokens["op"]);
  REQUIRE(events.status == 200);
  boost::system::error_code ec;
  boost::json::parse(events.body, ec);
  CHECK_FALSE(ec);
}

TEST_CASE("a bulk file over the row limit is refused at once with the limit in rows, and nothing is stored") {
  LiveWorld world;
  LiveLedger server(world.dir.str());
  Client c(server.port());
  std::map<std::string, std::string> tokens;
  for (const char* user : {"p1user", "c1auditor"}) tokens[user] = SignIn(c, user);
  std::string csv = "provider,service,period,cost\n";
  const std::string row = "P1,SPEND," + world.Day(-1) + ",1.00\n";
  for (int i = 0; i < app::kMaxImportRows + 1; ++i) csv += row;
  const uint64_t before = HeadOf(c, tokens["c1auditor"]);
  Reply r = c.Send("POST", "/api/v1/claims/bulk", csv, tokens["p1user"], {}, "text/csv");
  CHECK(r.status == 413);
  boost::json::value body = boost::json::parse(r.body);
  CHECK(body.at("code") == "too_many_rows");
  CHECK(std::string(body.at("detail").as_string()).find("at most 2500 claim rows") != std::string::npos);
  CHECK(ErrorsOf(r) == std::vector<std::string>{"line 2502:too_many_rows"});
  CHECK(HeadOf(c, tokens["c1auditor"]) == before);
}

}  // namespace
}  // namespace ledger::http::testing

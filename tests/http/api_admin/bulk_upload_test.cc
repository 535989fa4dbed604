// Bulk upload of claims as CSV: all rows in one append, or nothing.
#include <doctest/doctest.h>

#include "admin_world.h"

namespace ledger::http::testing {
namespace {

constexpr const char* kBulk = "/api/v1/claims/bulk";

std::vector<std::string> ErrorPaths(const Response& r) {
  std::vector<std::string> out;
  boost::json::value body = Json(r);
  for (const auto& e : body.at("errors").as_array()) out.push_back(Str(e, "path"));
  return out;
}

TEST_CASE("a valid file stores every draft in one append") {
  ApiWorld w;
  uint64_t before = w.Head();
  Response r = PostCsv(w, "p1user", kBulk,
                       "provider,service,period,cost,answer:notes\r\n"
                       "P1,SPEND,2026-11-02,12.50,\r\n"
                       "P1,SPEND,2026-11-03,20.00,\"Two visits, one report\"\r\n");
  REQUIRE_MESSAGE(r.status == 201, r.body);
  boost::json::value body = Json(r);
  CHECK(body.at("count").as_int64() == 2);
  CHECK(body.at("created").as_int64() == 2);
  CHECK(body.at("unchanged").as_int64() == 0);
  CHECK(!body.at("submitted").as_bool());
  uint64_t first = body.at("first_position").to_number<uint64_t>(),
           last = body.at("last_position").to_number<uint64_t>();
  CHECK(first == before + 1);
  CHECK(last == w.Head());
  // One append: every event written carries the same command id.
  auto events = w.store->ReadAll(first, last - first + 1);
  REQUIRE(events.ok());
  for (const auto& e : *events) CHECK(e.command_id == events->front().command_id);
  for (const auto& id : body.at("claims").as_array()) {
    Response claim = w.As("p1user", "GET", "/api/v1/claims/" + std::string(id.as_string()));
    REQUIRE_MESSAGE(claim.status == 200, claim.body);
    CHECK(Str(Json(claim), "status") == "Draft");
  }
  Response second = w.As("p1user", "GET", "/api/v1/claims/" + std::string(body.at("claims").as_array()[1].as_string()));
  CHECK(Json(second).at("values").at("cost").as_int64() == 2000);
  CHECK(Str(Json(second).at("answers"), "notes") == "Two visits, one report");
  // The same file again from the same person names the same drafts and stores nothing more.
  Response again = PostCsv(w, "p1user", kBulk,
                           "provider,service,period,cost,answer:notes\r\n"
                           "P1,SPEND,2026-11-02,12.50,\r\n"
                           "P1,SPEND,2026-11-03,20.00,\"Two visits, one report\"\r\n");
  CHECK(again.status == 200);
  CHECK(Json(again).at("claims") == body.at("claims"));
  CHECK(Json(again).at("created").as_int64() == 0);
  CHECK(Json(again).at("unchanged").as_int64() == 2);
  CHECK(w.Head() == last);
}

TEST_CASE("lines ended by a lone CR are rows, and a line break inside a quoted answer is kept as LF") {
  ApiWorld w;
  Response r = PostCsv(w, "p1user", kBulk,
                       "provider,service,period,cost,answer:notes\r"
                       "P1,SPEND,2026-11-02,12.50,\"first\r\nsecond\"\r"
                       "P1,SPEND,2026-11-03,20.00,\r");
  REQUIRE_MESSAGE(r.status == 201, r.body);
  REQUIRE(Json(r).at("count").as_int64() == 2);
  std::string id(Json(r).at("claims").as_array()[0].as_string());
  Response first = w.As("p1user", "GET", "/api/v1/claims/" + id);
  CHECK(Str(Json(first).at("answers"), "notes") == "first\nsecond");
}

TEST_CASE("with submit=true every claim is submitted in the same append") {
  ApiWorld w;
  Response r = PostCsv(w, "p2user", std::string(kBulk) + "?submit=true",
                       "provider_code,service_code,period,cost\nP2,SPEND,2026-11-05,99.99\n");
  REQUIRE_MESSAGE(r.status == 201, r.body);
  std::string id(Json(r).at("claims").as_array()[0].as_string());
  CHECK(w.StatusOf("p2user", id) == "Awaiting Service Provider Approval");
}

TEST_CASE("a file with one bad row stores nothing and names the line and column of every problem") {
  ApiWorld w;
  uint64_t before = w.Head();
  Response r = PostCsv(w, "p1user", std::string(kBulk) + "?submit=true",
                       "provider_code,service_code,period,cost\n"
                       "P1,SPEND,2026-11-02,12.50\n"
                       "P1,NOPE,2026-11-03,20.00\n"
                       "P1,SPEND,2026-11-04,lots\n"
                       "P1,SPEND,2026-11-02,1.00\n");
  REQUIRE_MESSAGE(r.status == 422, r.body);
  CHECK(r.Header("Content-Type") == "application/problem+json");
  CHECK(Str(Json(r), "type") == "/problems/bulk-upload-invalid");
  auto paths = ErrorPaths(r);
  CHECK(Contains(paths, "line 3, column service_code"));
  CHECK(Contains(paths, "line 4, column cost"));
  CHECK(Contains(paths, "line 5"));  // duplicates line 2
  CHECK(!Contains(paths, "line 2"));
  CHECK(w.Head() == before);
  Response none = w.As("p1user", "GET", "/api/v1/claims");
  REQUIRE(none.status == 200);
  CHECK(Json(none).at("claims").as_array().empty());
}

TEST_CASE("a draft takes its provider, service and period: the API and a file after it are refused, naming it") {
  ApiWorld w;
  Response draft = w.As("p1user", "POST", "/api/v1/claims", R"({"service_id":"SPEND","period":"2026-11-02"})");
  REQUIRE_MESSAGE(draft.status == 201, draft.body);
  const std::string id = Str(Json(draft), "claim_id");
  Response again = w.As("p1user", "POST", "/api/v1/claims", R"({"service_id":"SPEND","period":"2026-11-02"})");
  CHECK(again.status == 409);
  CHECK(Str(Json(again), "code") == "duplicate_claim");
  CHECK(again.body.find("claim " + id) != std::string::npos);
  uint64_t before = w.Head();
  Response file = PostCsv(w, "p1user", kBulk, "provider,service,period,cost\nP1,SPEND,2026-11-02,12.50\n");
  REQUIRE_MESSAGE(file.status == 422, file.body);
  const boost::json::value body = Json(file);
  const boost::json::value& error = body.at("errors").as_array().at(0);
  CHECK(Str(error, "code") == "duplicate_claim");
  CHECK(Str(error, "message").find("claim " + id) != std::string::npos);
  CHECK(w.Head() == before);
}

TEST_CASE("a file of drafts gets the value checks of the claim form: a negative value stores nothing") {
  ApiWorld w;
  uint64_t before = w.Head();
  Response r = PostCsv(w, "p1user", kBulk, "provider,service,period,cost\nP1,SPEND,2026-11-02,-3\n");
  REQUIRE_MESSAGE(r.status == 422, r.body);
  CHECK(ErrorPaths(r) == std::vector<std::string>{"line 2, column cost"});
  CHECK(w.Head() == before);
}

TEST_CASE("rows for another organisation's provider are refused as row errors; nothing is stored") {
  ApiWorld w;
  uint64_t before = w.Head();
  Response r = PostCsv(w, "p3user", kBulk, "provider,service,period,cost\nP1,SPEND,2026-11-02,12.50\n");
  CHECK(r.status == 422);
  CHECK(Contains(ErrorPaths(r), "line 2"));
  CHECK(w.Head() == before);
}

TEST_CASE("a bulk upload that is not CSV, has no rows, or is broken is refused") {
  ApiWorld w;
  uint64_t before = w.Head();
  CHECK(w.As("p1user", "POST", kBulk, R"({"rows":[]})").status == 415);
  Response header_only = PostCsv(w, "p1user", kBulk, "provider,service,period,cost\n");
  CHECK(header_only.status == 422);
  Response missing = PostCsv(w, "p1user", kBulk, "provider,period\nP1,2026-11-02\n");
  CHECK(missing.status == 422);
  CHECK(Contains(ErrorPaths(missing), "line 1, column service"));
  Response unclosed = PostCsv(w, "p1user", kBulk, "provider,service,period,cost\nP1,\"SPEND,2026-11-02,1\n");
  CHECK(unclosed.status == 422);
  CHECK(PostCsv(w, "p1user", std::string(kBulk) + "?submit=yes", "provider,service,period\n").status == 400);
  CHECK(PostCsv(w, "c1tier1", kBulk, "provider,service,period,cost\nP1,SPEND,2026-11-02,1.00\n").status == 403);
  CHECK(w.Head() == before);
}

}  // namespace
}  // namespace ledger::http::testing

// Claims through HandleRequest with a real store and real read models.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "api_world.h"
#include "ledger/core/evidence.h"
#include "ledger/http/concurrency.h"

namespace ledger::http::testing {
namespace {

int CountEvents(ApiWorld& w, const std::string& stream, const std::string& type) {
  auto events = w.store->ReadStream(stream);
  REQUIRE(events.ok());
  int n = 0;
  for (const auto& e : *events) n += e.type == type ? 1 : 0;
  return n;
}

TEST_CASE("a draft with errors is refused at submission with every error, then fixed and submitted") {
  ApiWorld w;
  Response created = w.As("p1user", "POST", "/api/v1/claims", R"({"service_id":"SPEND","period":"2026-11-02"})");
  REQUIRE_MESSAGE(created.status == 201, created.body);
  std::string id = Str(Json(created), "claim_id");
  CHECK(created.Header("Location") == "/api/v1/claims/" + id);
  CHECK(created.Header("ETag") == "\"1\"");
  CHECK(Str(Json(created), "status") == "Draft");

  uint64_t before = w.Head();
  Response refused = w.As("p1user", "POST", "/api/v1/claims/" + id + "/submit");
  CHECK(refused.status == 422);
  CHECK(refused.Header("Content-Type") == "application/problem+json");
  auto codes = ErrorCodesOf(refused);
  REQUIRE(!codes.empty());
  CHECK(codes[0].rfind("components.cost:", 0) == 0);
  CHECK(w.Head() == before + 1);  // the failed attempt is recorded
  CHECK(CountEvents(w, core::ClaimStream(id), "ClaimSubmissionFailed") == 1);
  CHECK(w.StatusOf("p1user", id) == "Draft");

  Response fixed = w.As("p1user", "PUT", "/api/v1/claims/" + id, R"({"values":{"cost":125000}})");
  REQUIRE_MESSAGE(fixed.status == 200, fixed.body);
  CHECK(Json(fixed).at("values").at("cost").as_int64() == 125000);
  Response submitted = w.As("p1user", "POST", "/api/v1/claims/" + id + "/submit");
  REQUIRE_MESSAGE(submitted.status == 200, submitted.body);
  CHECK(Str(Json(submitted), "status") == "Awaiting Commissioning Organisation Approval");
  CHECK(Json(submitted).at("amount_pence").as_int64() == 125000);

  Response history = w.As("p1user", "GET", "/api/v1/claims/" + id + "/history");
  REQUIRE(history.status == 200);
  std::string types;
  boost::json::value entries = Json(history);
  for (const auto& e : entries.at("entries").as_array()) types += Str(e, "type") + " ";
  CHECK(types.find("ClaimSubmissionFailed") != std::string::npos);
  CHECK(types.find("ClaimSubmitted") != std::string::npos);
}

TEST_CASE("a claim of 15000 pounds or more at a multi-level practice passes provider, tier 1, tier 2 and finance") {
  ApiWorld w;
  std::string id = w.Draft("p2user", 3, 1'500'000);
  REQUIRE(w.As("p2user", "POST", "/api/v1/claims/" + id + "/submit").status == 200);
  CHECK(w.StatusOf("p2user", id) == "Awaiting Service Provider Approval");
  // A commissioner cannot approve before the practice has.
  CHECK(w.As("c1tier1", "POST", "/api/v1/claims/" + id + "/approve").status == 403);
  Response provider = w.As("p2approver", "POST", "/api/v1/claims/" + id + "/approve");
  REQUIRE_MESSAGE(provider.status == 200, provider.body);
  CHECK(Str(Json(provider), "status") == "Awaiting Commissioning Organisation Approval");
  REQUIRE(w.As("c1tier1", "POST", "/api/v1/claims/" + id + "/approve").status == 200);
  CHECK(w.StatusOf("c1tier1", id) == "Awaiting Tier 2 Approval");
  REQUIRE(w.As("c1tier2", "POST", "/api/v1/claims/" + id + "/approve").status == 200);
  CHECK(w.StatusOf("c1tier2", id) == "Awaiting Finance Approval");
  // The Tier 2 approver approving again repeats their Tier 2 approval (nothing stored), never Finance's.
  uint64_t head = w.Head();
  CHECK(w.As("c1tier2", "POST", "/api/v1/claims/" + id + "/approve").status == 200);
  CHECK(w.Head() == head);
  CHECK(w.StatusOf("c1tier2", id) == "Awaiting Finance Approval");
  REQUIRE(w.As("c1finance", "POST", "/api/v1/claims/" + id + "/approve").status == 200);
  CHECK(w.StatusOf("c1finance", id) == "Approved for Payment");
}

TEST_CASE("a claim under 15000 pounds is approved for payment after tier 2") {
  ApiWorld w;
  std::string id = w.Draft("p1user", 4, 1'499'999);
  REQUIRE(w.As("p1user", "POST", "/api/v1/claims/" + id + "/submit").status == 200);
  REQUIRE(w.As("c1tier1", "POST", "/api/v1/claims/" + id + "/approve").status == 200);
  REQUIRE(w.As("c1tier2", "POST", "/api/v1/claims/" + id + "/approve").status == 200);
  CHECK(w.StatusOf("p1user", id) == "Approved for Payment");
}

TEST_CASE("an unknown claim and another organisation's claim answer the same 404") {
  ApiWorld w;
  std::string id = w.Draft("p1user", 2, 1000);
  Response other = w.As("p3user", "GET", "/api/v1/claims/" + id);
  Response unknown = w.As("p3user", "GET", "/api/v1/claims/C0000000000000000000");
  CHECK(other.status == 404);
  CHECK(unknown.status == 404);
  CHECK(Json(other).at("detail") == Json(unknown).at("detail"));
  CHECK(w.As("c2tier1", "GET", "/api/v1/claims/" + id).status == 404);
  CHECK(w.As("p2user", "GET", "/api/v1/claims/" + id).status == 404);
  CHECK(w.As("p2user", "PUT", "/api/v1/claims/" + id, R"({"values":{"cost":1}})").status == 404);
  CHECK(w.As("c1tier1", "GET", "/api/v1/claims/" + id).status == 200);
  // Lists show only the caller's own claims.
  Response list = w.As("p3user", "GET", "/api/v1/claims");
  REQUIRE(list.status == 200);
  CHECK(Json(list).at("claims").as_array().empty());
}

TEST_CASE("a stale If-Match answers 412 and stores nothing; the current ETag goes through") {
  ApiWorld w;
  std::string id = w.Draft("p1user", 5, 2000);
  Response got = w.As("p1user", "GET", "/api/v1/claims/" + id);
  std::string etag(got.Header("ETag"));
  CHECK(etag == ETagFor(Json(got).at("version").to_number<uint64_t>()));
  REQUIRE(w.As("p1user", "PUT", "/api/v1/claims/" + id, R"({"values":{"cost":3000}})").status == 200);
  uint64_t before = w.Head();
  Response stale = w.As("p1user", "POST", "/api/v1/claims/" + id + "/submit", "", {{"If-Match", etag}});
  CHECK(stale.status == 412);
  CHECK(w.Head() == before);
  std::string fresh(w.As("p1user", "GET", "/api/v1/claims/" + id).Header("ETag"));
  Response ok = w.As("p1user", "POST", "/api/v1/claims/" + id + "/submit", "", {{"If-Match", fresh}});
  CHECK(ok.status == 200);
  CHECK(w.As("p1user", "POST", "/api/v1/claims/" + id + "/withdraw", "", {{"If-Match", "W/\"3\""}}).status == 400);
}

TEST_CASE("a GET whose ETag the client names in If-None-Match answers 304 with no body, until the resource changes") {
  ApiWorld w;
  std::string id = w.Draft("p1user", 5, 2000);
  const std::string claim = "/api/v1/claims/" + id;
  Response got = w.As("p1user", "GET", claim);
  REQUIRE(got.status == 200);
  const std::string etag(got.Header("ETag"));
  for (const std::string& asked : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
    CAPTURE(asked);
    Response same = w.As("p1user", "GET", claim, "", {{"If-None-Match", asked}});
    CHECK(same.status == 304);
    CHECK(same.body.empty());
    CHECK(same.Header("ETag") == etag);
  }
  CHECK(w.As("p1user", "HEAD", claim, "", {{"If-None-Match", etag}}).status == 304);
  CHECK(w.As("p1user", "GET", claim, "", {{"If-None-Match", "\"other\""}}).status == 200);

  // A list has no version: its ETag is a digest of the answer, the same while nothing changes.
  Response list = w.As("p1user", "GET", "/api/v1/claims");
  const std::string list_etag(list.Header("ETag"));
  REQUIRE_FALSE(list_etag.empty());
  CHECK(w.As("p1user", "GET", "/api/v1/claims").Header("ETag") == list_etag);
  CHECK(w.As("p1user", "GET", "/api/v1/claims", "", {{"If-None-Match", list_etag}}).status == 304);

  REQUIRE(w.As("p1user", "PUT", claim, R"({"values":{"cost":3000}})").status == 200);
  Response changed = w.As("p1user", "GET", claim, "", {{"If-None-Match", etag}});
  CHECK(changed.status == 200);
  CHECK(changed.Header("ETag") != etag);
  Response changed_list = w.As("p1user", "GET", "/api/v1/claims", "", {{"If-None-Match", list_etag}});
  CHECK(changed_list.status == 200);
  // Errors are never 304, whatever is asked.
  CHECK(w.As("p2user", "GET", claim, "", {{"If-None-Match", "*"}}).status == 404);
}

TEST_CASE("two tier 2 approvals at once: one succeeds, the other is told 409, and one approval is stored") {
  ApiWorld w;
  std::string id = w.Draft("p1user", 6, 5000);
  REQUIRE(w.As("p1user", "POST", "/api/v1/claims/" + id + "/submit").status == 200);
  REQUIRE(w.As("c1tier1", "POST", "/api/v1/claims/" + id + "/approve").status == 200);
  (void)w.Token("c1tier2");
  (void)w.Token("c1tier2b");
  std::atomic<int> ready{0};
  int statuses[2] = {0, 0};
  auto approve = [&](int i, const char* user) {
    ready++;
    while (ready.load() < 2) std::this_thread::yield();
    statuses[i] = w.As(user, "POST", "/api/v1/claims/" + id + "/approve").status;
  };
  std::thread a(approve, 0, "c1tier2");
  std::thread b(approve, 1, "c1tier2b");
  a.join();
  b.join();
  CHECK(std::min(statuses[0], statuses[1]) == 200);
  CHECK(std::max(statuses[0], statuses[1]) == 409);
  CHECK(CountEvents(w, core::ClaimStream(id), "ClaimApprovedAtTier") == 2);  // Tier 1 and one Tier 2
}

// A second Tier 1 approver of C1.
void AddSecondTier1(ApiWorld& w) {
  using core::Role;
  Seed(*w.store, core::AccountStream("c1tier1b"),
       {core::AccountCreated{"c1tier1b", "C1", core::OrgKind::kCommissioner, "C1", "Person c1tier1b",
                             "c1tier1b@nhs.invalid", RolesOf({Role::kApproverTier1}),
                             app::HashPassword(kApiPassword, app::PasswordCost::kMinimum), false, kNow}});
}

TEST_CASE("a Tier 1 decision after another Tier 1 approval answers 409 naming the claim's status, never 403") {
  ApiWorld w;
  AddSecondTier1(w);
  std::string id = w.Draft("p1user", 7, 5000);
  REQUIRE(w.As("p1user", "POST", "/api/v1/claims/" + id + "/submit").status == 200);
  REQUIRE(w.As("c1tier1", "POST", "/api/v1/claims/" + id + "/approve").status == 200);
  uint64_t head = w.Head();
  const std::string reject = R"({"reason_code":"other","reason":"Not ours")";
  for (const auto& step :
       std::vector<std::pair<std::string, std::string>>{{"reject", reject + "}"},
                                                        {"reject", reject + R"(,"tier":"tier1"})"},
                                                        {"return", R"({"reason":"Fix it"})"},
                                                        {"return", R"({"reason":"Fix it","tier":"tier1"})"},
                                                        {"approve", ""},
                                                        {"approve", R"({"tier":"tier1"})"}}) {
    const std::string& action = step.first;
    const std::string& body = step.second;
    Response late = w.As("c1tier1b", "POST", "/api/v1/claims/" + id + "/" + action, body);
    CAPTURE(action);
    CAPTURE(body);
    CHECK(late.status == 409);
    CHECK(late.Header("Content-Type") == "application/problem+json");
    CHECK(Str(Json(late), "detail").find("Awaiting Tier 2 Approval") != std::string::npos);
  }
  // A tier the caller never could decide at stays 403; a tier that is not one is refused.
  CHECK(w.As("c1finance", "POST", "/api/v1/claims/" + id + "/reject", reject + R"(,"tier":"tier1"})").status == 403);
  CHECK(w.As("c1tier1b", "POST", "/api/v1/claims/" + id + "/reject", reject + R"(,"tier":"tier9"})").status == 400);
  CHECK(w.Head() == head);
  CHECK(w.StatusOf("p1user", id) == "Awaiting Tier 2 Approval");
}

TEST_CASE("a Tier 1 rejection racing a Tier 1 approval: one succeeds and the other is told 409") {
  ApiWorld w;
  AddSecondTier1(w);
  std::string id = w.Draft("p1user", 8, 5000);
  REQUIRE(w.As("p1user", "POST", "/api/v1/claims/" + id + "/submit").status == 200);
  (void)w.Token("c1tier1");
  (void)w.Token("c1tier1b");
  std::atomic<int> ready{0};
  int statuses[2] = {0, 0};
  auto decide = [&](int i, const char* user, const char* action, const std::string& body) {
    ready++;
    while (ready.load() < 2) std::this_thread::yield();
    statuses[i] = w.As(user, "POST", "/api/v1/claims/" + id + "/" + action, body).status;
  };
  std::thread a(decide, 0, "c1tier1", "approve", "");
  std::thread b(decide, 1, "c1tier1b", "reject", R"({"reason_code":"other","reason":"Not ours"})");
  a.join();
  b.join();
  CHECK(std::min(statuses[0], statuses[1]) == 200);
  CHECK(std::max(statuses[0], statuses[1]) == 409);
}

TEST_CASE("a retried POST with the same Idempotency-Key gets the same claim and stores nothing more") {
  ApiWorld w;
  std::string body = R"({"service_id":"SPEND","period":"2026-11-07","values":{"cost":100}})";
  Response first = w.As("p1user", "POST", "/api/v1/claims", body, {{"Idempotency-Key", "retry-1"}});
  REQUIRE_MESSAGE(first.status == 201, first.body);
  uint64_t head = w.Head();
  Response again = w.As("p1user", "POST", "/api/v1/claims", body, {{"Idempotency-Key", "retry-1"}});
  CHECK(again.status == 201);
  CHECK(Str(Json(again), "claim_id") == Str(Json(first), "claim_id"));
  CHECK(w.Head() == head);
  std::string id = Str(Json(first), "claim_id");
  REQUIRE(w.As("p1user", "POST", "/api/v1/claims/" + id + "/submit", "", {{"Idempotency-Key", "s"}}).status == 200);
  head = w.Head();
  CHECK(w.As("p1user", "POST", "/api/v1/claims/" + id + "/submit", "", {{"Idempotency-Key", "s"}}).status == 200);
  CHECK(w.Head() == head);
  // Without the key, a second submission is refused: the claim is no longer a draft.
  CHECK(w.As("p1user", "POST", "/api/v1/claims/" + id + "/submit").status == 409);
}

TEST_CASE("malformed, mistyped, unknown, negative and fractional input is refused with nothing stored") {
  ApiWorld w;
  uint64_t head = w.Head();
  CHECK(w.As("p1user", "POST", "/api/v1/claims", "{\"service_id\":").status == 400);
  CHECK(w.As("p1user", "POST", "/api/v1/claims", R"({"service_id":"SPEND","period":"2026-11-02","x":1})").status ==
        400);
  Response negative = w.As("p1user", "POST", "/api/v1/claims",
                           R"({"service_id":"SPEND","period":"2026-11-02","values":{"cost":-1}})");
  CHECK(negative.status == 400);
  CHECK(ErrorCodesOf(negative) == std::vector<std::string>{"values.cost:negative"});
  Response fractional = w.As("p1user", "POST", "/api/v1/claims",
                             R"({"service_id":"SPEND","period":"2026-11-02","values":{"cost":12.5}})");
  CHECK(ErrorCodesOf(fractional) == std::vector<std::string>{"values.cost:fractional"});
  CHECK(w.As("p1user", "POST", "/api/v1/claims", R"({"service_id":7,"period":"2026-11-02"})").status == 400);
  CHECK(w.As("p1user", "POST", "/api/v1/claims", "service_id=SPEND", {}, "application/x-www-form-urlencoded").status ==
        415);
  CHECK(w.As("p1user", "POST", "/api/v1/claims", R"(["SPEND"])").status == 400);
  CHECK(w.Head() == head);
  // The route's body limit is what the server enforces before reading.
  CHECK(w.context->BodyLimit("POST", "/api/v1/claims") == 256 * kKiB);
  // Evidence: the 10 MiB file limit and room for multipart framing.
  CHECK(w.context->BodyLimit("PUT", "/api/v1/claims/C1/evidence") ==
        static_cast<std::size_t>(core::kEvidenceMaxBytes) + 64 * kKiB);
}

TEST_CASE("roles outside a route's action are refused before anything is read") {
  ApiWorld w;
  std::string id = w.Draft("p1user", 8, 1000);
  CHECK(w.As("c1tier1", "POST", "/api/v1/claims", R"({"service_id":"SPEND","period":"2026-11-02"})").status == 403);
  CHECK(w.As("p1user", "POST", "/api/v1/claims/" + id + "/hold", R"({"reason":"x"})").status == 403);
  CHECK(w.Handle("GET", "/api/v1/claims/" + id).status == 401);
  // The preparer cannot approve their own claim.
  REQUIRE(w.As("p1user", "POST", "/api/v1/claims/" + id + "/submit").status == 200);
  CHECK(w.As("p1user", "POST", "/api/v1/claims/" + id + "/approve").status == 403);
}

TEST_CASE("reject needs a coded reason; return sends the claim back for amendment and it can be resubmitted") {
  ApiWorld w;
  std::string a = w.Draft("p1user", 9, 1000);
  std::string b = w.Draft("p1user", 10, 1000);
  for (const auto& id : {a, b}) REQUIRE(w.As("p1user", "POST", "/api/v1/claims/" + id + "/submit").status == 200);
  Response missing = w.As("c1tier1", "POST", "/api/v1/claims/" + a + "/reject");
  CHECK(missing.status == 400);
  CHECK(ErrorCodesOf(missing) == std::vector<std::string>{"reason_code:required", "reason:required"});
  Response bad_code = w.As("c1tier1", "POST", "/api/v1/claims/" + a + "/reject",
                           R"({"reason_code":"nope","reason":"No."})");
  CHECK(bad_code.status == 400);
  const auto& codes = core::RejectionReasonCodes();
  REQUIRE(!codes.empty());
  Response rejected = w.As("c1tier1", "POST", "/api/v1/claims/" + a + "/reject",
                           R"({"reason_code":")" + std::string(codes[0].code) + R"(","reason":"Not supported."})");
  REQUIRE_MESSAGE(rejected.status == 200, rejected.body);
  CHECK(Str(Json(rejected), "status") == "Rejected");

  Response returned = w.As("c1tier1", "POST", "/api/v1/claims/" + b + "/return", R"({"reason":"Attach the invoice."})");
  REQUIRE_MESSAGE(returned.status == 200, returned.body);
  CHECK(Str(Json(returned), "status") == "Returned for Amendment");
  REQUIRE(w.As("p1user", "PUT", "/api/v1/claims/" + b, R"({"values":{"cost":900}})").status == 200);
  Response resubmitted = w.As("p1user", "POST", "/api/v1/claims/" + b + "/submit");
  CHECK(resubmitted.status == 200);
  CHECK(Str(Json(resubmitted), "status") == "Awaiting Commissioning Organisation Approval");
}

TEST_CASE("tier 2 holds and releases an approved payment; a provider withdraws and deletes") {
  ApiWorld w;
  std::string id = w.Draft("p1user", 11, 1000);
  REQUIRE(w.As("p1user", "POST", "/api/v1/claims/" + id + "/submit").status == 200);
  REQUIRE(w.As("c1tier1", "POST", "/api/v1/claims/" + id + "/approve").status == 200);
  REQUIRE(w.As("c1tier2", "POST", "/api/v1/claims/" + id + "/approve").status == 200);
  Response held = w.As("c1tier2", "POST", "/api/v1/claims/" + id + "/hold", R"({"reason":"Query on invoice"})");
  REQUIRE_MESSAGE(held.status == 200, held.body);
  CHECK(Str(Json(held), "status") == "Payment Held");
  CHECK(Str(Json(held), "hold_reason") == "Query on invoice");
  Response released = w.As("c1tier2", "POST", "/api/v1/claims/" + id + "/release");
  REQUIRE_MESSAGE(released.status == 200, released.body);
  CHECK(Str(Json(released), "status") == "Approved for Payment");

  std::string other = w.Draft("p1user", 12, 1000);
  REQUIRE(w.As("p1user", "POST", "/api/v1/claims/" + other + "/submit").status == 200);
  Response withdrawn = w.As("p1user", "POST", "/api/v1/claims/" + other + "/withdraw", R"({"reason":"Duplicate"})");
  REQUIRE_MESSAGE(withdrawn.status == 200, withdrawn.body);
  CHECK(Str(Json(withdrawn), "status") == "Withdrawn");

  std::string draft = w.Draft("p1user", 13, 1000);
  Response deleted = w.As("p1user", "DELETE", "/api/v1/claims/" + draft);
  CHECK(deleted.status == 204);
  // Its day is free again.
  w.Draft("p1user", 13, 500);
}

TEST_CASE("the worklist shows each role what waits for it, and lists filter by status") {
  ApiWorld w;
  std::string id = w.Draft("p1user", 14, 1000);
  REQUIRE(w.As("p1user", "POST", "/api/v1/claims/" + id + "/submit").status == 200);
  Response tier1 = w.As("c1tier1", "GET", "/api/v1/worklist");
  REQUIRE(tier1.status == 200);
  auto lists = Json(tier1).at("worklists").as_array();
  REQUIRE(lists.size() == 1);
  CHECK(Str(lists[0], "role") == "tier1");
  REQUIRE(lists[0].at("claims").as_array().size() == 1);
  CHECK(Str(lists[0].at("claims").as_array()[0], "claim_id") == id);
  Response tier2 = w.As("c1tier2", "GET", "/api/v1/worklist?role=tier2");
  REQUIRE(tier2.status == 200);
  CHECK(Json(tier2).at("worklists").as_array()[0].at("claims").as_array().empty());
  CHECK(w.As("c1tier2", "GET", "/api/v1/worklist?role=tier1").status == 400);

  Response waiting = w.As("c1tier1", "GET", "/api/v1/claims?status=awaiting_commissioning_organisation_approval");
  REQUIRE(waiting.status == 200);
  CHECK(Json(waiting).at("claims").as_array().size() == 1);
  Response drafts = w.As("p1user", "GET", "/api/v1/claims?status=draft");
  CHECK(Json(drafts).at("claims").as_array().empty());
  CHECK(w.As("p1user", "GET", "/api/v1/claims?status=nonsense").status == 400);
  CHECK(w.As("p1user", "GET", "/api/v1/claims?period=2026-13").status == 400);
}

}  // namespace
}  // namespace ledger::http::testing

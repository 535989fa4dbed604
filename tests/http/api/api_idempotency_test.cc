// Idempotency-Key against the real `ledger serve` on a loopback port: a key
// is permanent per signed-in caller; the same request under it always gets
// its first answer (status, body, Location, ETag, Content-Type), another
// request 422 idempotency-key-reused, also after a restart; concurrent uses
// apply once; a refusal that stored nothing leaves the key free.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "api_world.h"
#include "ledger/core/streams.h"
#include "ledger/http/auth.h"
#include "ledger/http/concurrency.h"
#include "live_ledger.h"

namespace ledger::http::testing {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;
Headers Key(const std::string& key) { return {{"Idempotency-Key", key}}; }

std::string ClaimIdOf(const Reply& r) { return std::string(boost::json::parse(r.body).at("claim_id").as_string()); }

std::string ProblemType(const Reply& r) { return std::string(boost::json::parse(r.body).at("type").as_string()); }

// Everything of an answer that a replay must repeat.
void CheckSameAnswer(const Reply& replay, const Reply& first) {
  CHECK(replay.status == first.status);
  CHECK(replay.body == first.body);
  for (const char* header : {"Location", "ETag", "Content-Type"}) {
    INFO(header);
    CHECK(replay.Header(header) == first.Header(header));
  }
}

void CheckKeyReused(const Reply& r) {
  CHECK(r.status == 422);
  CHECK(r.Header("Content-Type") == "application/problem+json");
  CHECK(ProblemType(r) == "/problems/idempotency-key-reused");
}

size_t ClaimCount(Client& c, const std::string& token) {
  Reply r = c.Send("GET", "/api/v1/claims", "", token);
  REQUIRE(r.status == 200);
  return boost::json::parse(r.body).at("claims").as_array().size();
}

uint64_t HeadOf(Client& c, const std::string& auditor) {
  Reply r = c.Send("GET", "/api/v1/verify", "", auditor);
  REQUIRE(r.status == 200);
  return boost::json::parse(r.body).at("head").at("position").to_number<uint64_t>();
}

TEST_CASE("a used Idempotency-Key with a different body, path or method answers 422 and stores nothing") {
  LiveWorld world;
  LiveLedger server(world.data());
  Client c(server.port());
  std::string p1 = SignIn(c, "p1user"), aud = SignIn(c, "c1auditor");
  Reply first = c.Send("POST", "/api/v1/claims", world.ClaimBody(1, 500), p1, Key("k-a"));
  REQUIRE_MESSAGE(first.status == 201, first.body);
  const std::string at = "/api/v1/claims/" + ClaimIdOf(first);
  uint64_t head = HeadOf(c, aud);
  size_t claims = ClaimCount(c, p1);

  CheckKeyReused(c.Send("POST", "/api/v1/claims", world.ClaimBody(2, 500), p1, Key("k-a")));      // another body
  CheckKeyReused(c.Send("POST", "/api/v1/claims", world.ClaimBody(1, 501), p1, Key("k-a")));      // another value
  CheckKeyReused(c.Send("POST", "/api/v1/claims?x=1", world.ClaimBody(1, 500), p1, Key("k-a")));  // another query
  CheckKeyReused(c.Send("POST", at + "/submit", "", p1, Key("k-a")));                             // another path
  CheckKeyReused(c.Send("PUT", at, R"({"values":{"cost":700}})", p1, Key("k-a")));                // another method
  CHECK(HeadOf(c, aud) == head);
  CHECK(ClaimCount(c, p1) == claims);
  // The request the key was first used for still gets its answer.
  CheckSameAnswer(c.Send("POST", "/api/v1/claims", world.ClaimBody(1, 500), p1, Key("k-a")), first);
}

TEST_CASE("eight concurrent requests under one Idempotency-Key create one claim and all get the same answer") {
  LiveWorld world;
  LiveLedger server(world.data());
  Client c(server.port());
  std::string p1 = SignIn(c, "p1user");
  const size_t before = ClaimCount(c, p1);
  constexpr int kRequests = 8;
  std::vector<Reply> replies(kRequests);
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < kRequests; ++i) clients.push_back(std::make_unique<Client>(server.port()));
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kRequests; ++i) {
    threads.emplace_back([&, i] {
      ready++;
      while (ready.load() < kRequests) std::this_thread::yield();
      replies[i] = clients[i]->Send("POST", "/api/v1/claims", world.ClaimBody(3, 900), p1, Key("k-b"));
    });
  }
  for (auto& t : threads) t.join();
  REQUIRE_MESSAGE(replies[0].status == 201, replies[0].body);
  for (int i = 1; i < kRequests; ++i) CheckSameAnswer(replies[i], replies[0]);
  CHECK(ClaimCount(c, p1) == before + 1);
}

TEST_CASE("a retried failing submission answers its first 422 with the same errors, and records one attempt") {
  LiveWorld world;
  LiveLedger server(world.data());
  Client c(server.port());
  std::string p1 = SignIn(c, "p1user"), aud = SignIn(c, "c1auditor");
  Reply draft = c.Send("POST", "/api/v1/claims", R"({"service_id":"SPEND","period":")" + world.DayAgo(4) + R"("})", p1);
  REQUIRE_MESSAGE(draft.status == 201, draft.body);
  const std::string submit = "/api/v1/claims/" + ClaimIdOf(draft) + "/submit";
  Reply failed = c.Send("POST", submit, "", p1, Key("k-c"));
  REQUIRE_MESSAGE(failed.status == 422, failed.body);
  CHECK(ProblemType(failed) == "/problems/submission-failed");
  CHECK_FALSE(boost::json::parse(failed.body).at("errors").as_array().empty());
  uint64_t head = HeadOf(c, aud);
  Reply retried = c.Send("POST", submit, "", p1, Key("k-c"));
  CheckSameAnswer(retried, failed);
  CHECK(HeadOf(c, aud) == head);  // the attempt is recorded once
}

TEST_CASE("a retried approval answers its first 200, not a conflict, at every tier") {
  LiveWorld world;
  LiveLedger server(world.data());
  Client c(server.port());
  std::string p1 = SignIn(c, "p1user"), t1 = SignIn(c, "c1tier1"), t2 = SignIn(c, "c1tier2"),
              aud = SignIn(c, "c1auditor");
  Reply draft = c.Send("POST", "/api/v1/claims", world.ClaimBody(5, 1200), p1);
  REQUIRE_MESSAGE(draft.status == 201, draft.body);
  const std::string at = "/api/v1/claims/" + ClaimIdOf(draft);
  REQUIRE(c.Send("POST", at + "/submit", "", p1).status == 200);
  // Tier 1 (the claim then waits for Tier 2), then Tier 2 (the claim then waits for nobody).
  for (const auto& [approver, key] : {std::pair{t1, "k-d1"}, std::pair{t2, "k-d2"}}) {
    Reply approved = c.Send("POST", at + "/approve", "", approver, Key(key));
    REQUIRE_MESSAGE(approved.status == 200, approved.body);
    CHECK_FALSE(approved.Header("ETag").empty());
    uint64_t head = HeadOf(c, aud);
    CheckSameAnswer(c.Send("POST", at + "/approve", "", approver, Key(key)), approved);
    CHECK(HeadOf(c, aud) == head);
  }
  // Without a key it is a new request: the claim waits for no approval now.
  CHECK(c.Send("POST", at + "/approve", "", t2).status == 409);
}

TEST_CASE("after a restart a used Idempotency-Key still refuses another body and replays its first answer") {
  LiveWorld world;
  Reply first;
  {
    LiveLedger server(world.data());
    Client c(server.port());
    std::string p1 = SignIn(c, "p1user");
    first = c.Send("POST", "/api/v1/claims", world.ClaimBody(6, 300), p1, Key("k-e"));
    REQUIRE_MESSAGE(first.status == 201, first.body);
    REQUIRE(server.Stop() == 0);
  }
  LiveLedger server(world.data());
  Client c(server.port());
  std::string p1 = SignIn(c, "p1user"), aud = SignIn(c, "c1auditor");
  uint64_t head = HeadOf(c, aud);
  CheckKeyReused(c.Send("POST", "/api/v1/claims", world.ClaimBody(7, 300), p1, Key("k-e")));
  CheckSameAnswer(c.Send("POST", "/api/v1/claims", world.ClaimBody(6, 300), p1, Key("k-e")), first);
  CHECK(HeadOf(c, aud) == head);
}

TEST_CASE("one Idempotency-Key used by two people names two independent requests") {
  LiveWorld world;
  LiveLedger server(world.data());
  Client c(server.port());
  std::string p1 = SignIn(c, "p1user"), p2 = SignIn(c, "p2user");
  Reply mine = c.Send("POST", "/api/v1/claims", world.ClaimBody(8, 400), p1, Key("k-shared"));
  REQUIRE_MESSAGE(mine.status == 201, mine.body);
  Reply theirs = c.Send("POST", "/api/v1/claims", world.ClaimBody(9, 800), p2, Key("k-shared"));
  REQUIRE_MESSAGE(theirs.status == 201, theirs.body);
  CHECK(ClaimIdOf(theirs) != ClaimIdOf(mine));
  CheckSameAnswer(c.Send("POST", "/api/v1/claims", world.ClaimBody(8, 400), p1, Key("k-shared")), mine);
  CheckSameAnswer(c.Send("POST", "/api/v1/claims", world.ClaimBody(9, 800), p2, Key("k-shared")), theirs);
}

TEST_CASE("a refusal that stored nothing leaves the Idempotency-Key free for the corrected request") {
  LiveWorld world;
  LiveLedger server(world.data());
  Client c(server.port());
  std::string p1 = SignIn(c, "p1user"), aud = SignIn(c, "c1auditor");
  uint64_t head = HeadOf(c, aud);
  Reply bad = c.Send("POST", "/api/v1/claims",
                     R"({"service_id":"SPEND","period":")" + world.DayAgo(10) + R"(","values":{"cost":-1}})", p1,
                     Key("k-f"));
  CHECK(bad.status == 400);
  CHECK(HeadOf(c, aud) == head);
  Reply fixed = c.Send("POST", "/api/v1/claims", world.ClaimBody(10, 100), p1, Key("k-f"));
  CHECK_MESSAGE(fixed.status == 201, fixed.body);
  CheckSameAnswer(c.Send("POST", "/api/v1/claims", world.ClaimBody(10, 100), p1, Key("k-f")), fixed);
}

// In process (no restart needed): the store as a stop between appending a
// command and keeping its answer leaves it.
TEST_CASE("a command stored under a key whose answer was not kept still binds the key to its request") {
  ApiWorld w;
  std::string id = w.Draft("p1user", 11, 700);
  const std::string submit = "/api/v1/claims/" + id + "/submit";
  Request request;
  request.method = "POST";
  request.target = submit;
  auto claim = w.bus->LoadStream(core::ClaimStream(id));
  REQUIRE(claim.ok());
  const std::string command_id = CommandIdFor("p1user", "k-g");
  app::ExecuteOptions options;
  options.request_tag = RequestFingerprint(request);
  auto stored = w.bus->Execute({command_id, command_id, "p1user", kNow},
                               core::SubmitClaim{std::get<core::ClaimState>(claim->state).claim}, options);
  REQUIRE(stored.ok());
  REQUIRE(stored.executed().last_position != 0);
  const uint64_t head = w.Head();

  Response other = w.As("p1user", "POST", "/api/v1/claims/" + id + "/withdraw", "", {{"Idempotency-Key", "k-g"}});
  CHECK(other.status == 422);
  CHECK(Str(Json(other), "type") == "/problems/idempotency-key-reused");
  Response same = w.As("p1user", "POST", submit, "", {{"Idempotency-Key", "k-g"}});
  CHECK_MESSAGE(same.status == 200, same.body);
  CHECK(w.Head() == head);
  Response again = w.As("p1user", "POST", submit, "", {{"Idempotency-Key", "k-g"}});
  CHECK(again.status == same.status);
  CHECK(again.body == same.body);
  CHECK(again.Header("ETag") == same.Header("ETag"));
  CHECK(w.Head() == head);
}

}  // namespace
}  // namespace ledger::http::testing

// The real `ledger serve` on a loopback port: a claim's whole life across
// roles (to a payment run marked paid and the provider statement), bad input, the approver race, graceful shutdown with
// a request in flight, the live event stream and a restart on the same data directory.
#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <thread>

#include "api_world.h"
#include "ledger/base/sha256.h"
#include "ledger/http/auth.h"
#include "live_ledger.h"

namespace ledger::http::testing {
namespace {

std::string StatusOf(const Reply& r) { return std::string(boost::json::parse(r.body).at("status").as_string()); }

// A claim's line of a provider statement (JSON): status, paid, payment run and reference.
std::vector<std::string> StatementLine(const Reply& statement, const std::string& claim_id) {
  boost::json::value table = boost::json::parse(statement.body);
  for (const auto& row : table.at("rows").as_array()) {
    const auto& cells = row.as_array();
    if (cells.at(0).as_string() != claim_id) continue;
    std::vector<std::string> line;
    for (size_t column : {3, 10, 12, 14}) line.emplace_back(cells.at(column).as_string());
    return line;
  }
  return {};
}

uint64_t HeadOf(Client& c, const std::string& auditor) {
  Reply r = c.Send("GET", "/api/v1/verify", "", auditor);
  REQUIRE(r.status == 200);
  return boost::json::parse(r.body).at("head").at("position").to_number<uint64_t>();
}

TEST_CASE(
    "the real server runs a claim's life across roles to paid, refuses bad input, and keeps it all across a restart") {
  LiveWorld world;
  std::string big, returned, rejected, commissioner_returned;
  std::string etag;
  {
    LiveLedger server(world.data());
    Client c(server.port());
    std::string p2 = SignIn(c, "p2user"), p2a = SignIn(c, "p2approver"), t1 = SignIn(c, "c1tier1"),
                t2 = SignIn(c, "c1tier2"), fin = SignIn(c, "c1finance"), aud = SignIn(c, "c1auditor");

    // Draft -> validation errors -> fix -> submit -> provider -> Tier 1 -> Tier 2 -> Finance.
    Reply draft = c.Send("POST", "/api/v1/claims", R"({"service_id":"SPEND","period":")" + world.DayAgo(1) + R"("})",
                         p2, {{"Idempotency-Key", "life-1"}});
    REQUIRE_MESSAGE(draft.status == 201, draft.body);
    big = std::string(boost::json::parse(draft.body).at("claim_id").as_string());
    Reply retry = c.Send("POST", "/api/v1/claims", R"({"service_id":"SPEND","period":")" + world.DayAgo(1) + R"("})",
                         p2, {{"Idempotency-Key", "life-1"}});
    CHECK(retry.status == 201);
    CHECK(std::string(boost::json::parse(retry.body).at("claim_id").as_string()) == big);
    const std::string at = "/api/v1/claims/" + big;
    CHECK(c.Send("POST", at + "/submit", "", p2).status == 422);
    REQUIRE(c.Send("PUT", at, R"({"values":{"cost":2000000}})", p2).status == 200);
    REQUIRE(c.Send("POST", at + "/submit", "", p2).status == 200);
    Reply provider = c.Send("POST", at + "/approve", "", p2a);
    REQUIRE_MESSAGE(provider.status == 200, provider.body);
    CHECK(StatusOf(provider) == "Awaiting Commissioning Organisation Approval");
    REQUIRE(c.Send("POST", at + "/approve", "", t1).status == 200);
    REQUIRE(c.Send("POST", at + "/approve", "", t2).status == 200);
    Reply finance = c.Send("POST", at + "/approve", "", fin);
    REQUIRE_MESSAGE(finance.status == 200, finance.body);
    CHECK(StatusOf(finance) == "Approved for Payment");
    Reply held = c.Send("POST", at + "/hold", R"({"reason":"Invoice query"})", t2);
    CHECK(StatusOf(held) == "Payment Held");
    Reply released = c.Send("POST", at + "/release", "", t2);
    CHECK(StatusOf(released) == "Approved for Payment");

    // Payment run: Tier 2 creates it, Finance confirms it, Tier 2 marks it paid; the practice's statement shows it.
    // Paid today: a run is marked paid on its pay date or after (the live server runs on the wall clock).
    const std::string pay_date = world.today.ToString();
    Reply run = c.Send("POST", "/api/v1/payment-runs", R"({"pay_date":")" + pay_date + R"(","run_id":"LIVE1"})", t2);
    REQUIRE_MESSAGE(run.status == 201, run.body);
    boost::json::value run_body = boost::json::parse(run.body);
    REQUIRE(run_body.at("claims").as_array().size() == 1);
    CHECK(run_body.at("claims").as_array()[0].at("claim_id").as_string() == big);
    CHECK(run_body.at("total_pence").as_int64() == 2'000'000);
    Reply confirmed = c.Send("POST", "/api/v1/payment-runs/LIVE1/confirm", "", fin);
    REQUIRE_MESSAGE(confirmed.status == 200, confirmed.body);
    CHECK(StatusOf(c.Send("GET", at, "", p2)) == "Sent for Payment");
    Reply paid = c.Send("POST", "/api/v1/payment-runs/LIVE1/paid", R"({"payment_reference":"BACS-LIVE-1"})", t2);
    REQUIRE_MESSAGE(paid.status == 200, paid.body);
    CHECK(StatusOf(paid) == "paid");
    Reply paid_claim = c.Send("GET", at, "", p2);
    CHECK(StatusOf(paid_claim) == "Paid");
    // HEAD on the same keep-alive connection: the GET's headers and length, and no body to throw the next reply off.
    Reply head_reply = c.Send("HEAD", at, "", p2);
    CHECK(head_reply.status == 200);
    CHECK(head_reply.body.empty());
    CHECK(head_reply.Header("Content-Length") == std::to_string(paid_claim.body.size()));
    CHECK(head_reply.Header("ETag") == paid_claim.Header("ETag"));
    Reply options = c.Send("OPTIONS", at);
    CHECK(options.status == 204);
    CHECK(options.Header("Allow") == "GET, HEAD, PUT, DELETE, OPTIONS");
    etag = paid_claim.Header("ETag");
    CHECK(!etag.empty());
    Reply statement = c.Send("GET", "/api/v1/statement", "", p2);
    REQUIRE_MESSAGE(statement.status == 200, statement.body);
    CHECK(StatementLine(statement, big) == (std::vector<std::string>{"Paid", "20000.00", "LIVE1", "BACS-LIVE-1"}));

    // Return and reject.
    Reply second = c.Send("POST", "/api/v1/claims",
                          R"({"service_id":"SPEND","period":")" + world.DayAgo(2) + R"(","values":{"cost":100}})", p2);
    returned = std::string(boost::json::parse(second.body).at("claim_id").as_string());
    REQUIRE(c.Send("POST", "/api/v1/claims/" + returned + "/submit", "", p2).status == 200);
    Reply back = c.Send("POST", "/api/v1/claims/" + returned + "/return", R"({"reason":"Wrong day"})", p2a);
    REQUIRE_MESSAGE(back.status == 200, back.body);
    CHECK(StatusOf(back) == "Returned for Amendment");
    Reply third = c.Send("POST", "/api/v1/claims",
                         R"({"service_id":"SPEND","period":")" + world.DayAgo(3) + R"(","values":{"cost":100}})", p2);
    rejected = std::string(boost::json::parse(third.body).at("claim_id").as_string());
    REQUIRE(c.Send("POST", "/api/v1/claims/" + rejected + "/submit", "", p2).status == 200);
    REQUIRE(c.Send("POST", "/api/v1/claims/" + rejected + "/approve", "", p2a).status == 200);
    std::string code(core::RejectionReasonCodes().front().code);
    Reply no = c.Send("POST", "/api/v1/claims/" + rejected + "/reject",
                      R"({"reason_code":")" + code + R"(","reason":"Not eligible"})", t1);
    CHECK(StatusOf(no) == "Rejected");
    // A commissioner tier returns a claim too.
    Reply fourth = c.Send("POST", "/api/v1/claims",
                          R"({"service_id":"SPEND","period":")" + world.DayAgo(4) + R"(","values":{"cost":100}})", p2);
    commissioner_returned = std::string(boost::json::parse(fourth.body).at("claim_id").as_string());
    const std::string fourth_at = "/api/v1/claims/" + commissioner_returned;
    REQUIRE(c.Send("POST", fourth_at + "/submit", "", p2).status == 200);
    REQUIRE(c.Send("POST", fourth_at + "/approve", "", p2a).status == 200);
    Reply tier1_back = c.Send("POST", fourth_at + "/return", R"({"reason":"Attach the invoice"})", t1);
    REQUIRE_MESSAGE(tier1_back.status == 200, tier1_back.body);
    CHECK(StatusOf(tier1_back) == "Returned for Amendment");

    // Bad input: nothing stored.
    uint64_t head = HeadOf(c, aud);
    CHECK(c.Send("POST", "/api/v1/claims", "{not json", p2).status == 400);
    CHECK(c.Send("POST", "/api/v1/claims", R"({"service_id":"SPEND","period":"x","extra":true})", p2).status == 400);
    CHECK(c.Send("PUT", "/api/v1/claims/" + returned, R"({"values":{"cost":-5}})", p2).status == 400);
    CHECK(c.Send("PUT", "/api/v1/claims/" + returned, R"({"values":{"cost":0.5}})", p2).status == 400);
    CHECK(c.Send("POST", "/api/v1/claims", "a,b", p2, {}, "text/csv").status == 415);
    Client oversize(server.port());
    oversize.Write("POST /api/v1/claims HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + p2 +
                   "\r\nContent-Type: application/json\r\nContent-Length: 307200\r\n\r\n");
    CHECK(oversize.Read().status == 413);
    CHECK(HeadOf(c, aud) == head);
    CHECK(server.Stop() == 0);
  }
  {
    LiveLedger again(world.data());
    Client c(again.port());
    std::string t1 = SignIn(c, "c1tier1");
    Reply big_claim = c.Send("GET", "/api/v1/claims/" + big, "", t1);
    REQUIRE(big_claim.status == 200);
    CHECK(StatusOf(big_claim) == "Paid");
    CHECK(big_claim.Header("ETag") == etag);
    CHECK(StatusOf(c.Send("GET", "/api/v1/claims/" + returned, "", t1)) == "Returned for Amendment");
    CHECK(StatusOf(c.Send("GET", "/api/v1/claims/" + rejected, "", t1)) == "Rejected");
    CHECK(StatusOf(c.Send("GET", "/api/v1/claims/" + commissioner_returned, "", t1)) == "Returned for Amendment");
    std::string t2 = SignIn(c, "c1tier2");
    Reply run = c.Send("GET", "/api/v1/payment-runs/LIVE1", "", t2);
    REQUIRE_MESSAGE(run.status == 200, run.body);
    CHECK(StatusOf(run) == "paid");
    Reply statement = c.Send("GET", "/api/v1/statement?provider=P2", "", t2);
    REQUIRE_MESSAGE(statement.status == 200, statement.body);
    CHECK(StatementLine(statement, big) == (std::vector<std::string>{"Paid", "20000.00", "LIVE1", "BACS-LIVE-1"}));
    CHECK(again.Stop() == 0);
  }
}

TEST_CASE("over two connections, two tier 2 approvals at once give one 200, one 409 and one event") {
  LiveWorld world;
  LiveLedger server(world.data());
  Client c(server.port());
  std::string p1 = SignIn(c, "p1user"), t1 = SignIn(c, "c1tier1"), t2a = SignIn(c, "c1tier2"),
              t2b = SignIn(c, "c1tier2b");
  Reply draft = c.Send("POST", "/api/v1/claims",
                       R"({"service_id":"SPEND","period":")" + world.DayAgo(1) + R"(","values":{"cost":700}})", p1);
  std::string id(boost::json::parse(draft.body).at("claim_id").as_string());
  REQUIRE(c.Send("POST", "/api/v1/claims/" + id + "/submit", "", p1).status == 200);
  REQUIRE(c.Send("POST", "/api/v1/claims/" + id + "/approve", "", t1).status == 200);
  Client a(server.port()), b(server.port());
  std::promise<void> go;
  std::shared_future<void> start = go.get_future().share();
  auto fa = std::async(std::launch::async, [&] {
    start.wait();
    return a.Send("POST", "/api/v1/claims/" + id + "/approve", "", t2a).status;
  });
  auto fb = std::async(std::launch::async, [&] {
    start.wait();
    return b.Send("POST", "/api/v1/claims/" + id + "/approve", "", t2b).status;
  });
  go.set_value();
  int sa = fa.get(), sb = fb.get();
  CHECK(std::min(sa, sb) == 200);
  CHECK(std::max(sa, sb) == 409);
  std::string op = SignIn(c, "op");
  Reply events = c.Send("GET", "/api/v1/events?limit=1000", "", op);
  int tier2 = 0;
  boost::json::value events_body = boost::json::parse(events.body);
  for (const auto& e : events_body.at("events").as_array()) {
    if (e.at("stream").as_string() == core::ClaimStream(id) && e.at("type").as_string() == "ClaimApprovedAtTier" &&
        e.at("payload").at("tier").as_string() == "tier2")
      ++tier2;
  }
  CHECK(tier2 == 1);
  CHECK(server.Stop() == 0);
}

TEST_CASE("a request in flight when SIGTERM arrives is answered before the server exits") {
  LiveWorld world;
  std::string id;
  const std::string pdf = "%PDF-1.4\n" + std::string(64 * 1024, 'x') + "\n%%EOF\n";
  {
    LiveLedger server(world.data());
    Client c(server.port());
    std::string p1 = SignIn(c, "p1user");
    Reply draft = c.Send("POST", "/api/v1/claims",
                         R"({"service_id":"SPEND","period":")" + world.DayAgo(4) + R"(","values":{"cost":10}})", p1);
    id = std::string(boost::json::parse(draft.body).at("claim_id").as_string());
    Client upload(server.port());
    upload.Write("PUT /api/v1/claims/" + id + "/evidence?filename=a.pdf HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                 p1 + "\r\nContent-Type: application/pdf\r\nContent-Length: " + std::to_string(pdf.size()) +
                 "\r\n\r\n" + pdf.substr(0, 1000));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the server start reading it
    server.Signal(SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    upload.Write(pdf.substr(1000));
    Reply done = upload.Read();
    CHECK_MESSAGE(done.status == 200, done.body);
    CHECK(server.Wait() == 0);
    CHECK(server.output().find("stopped cleanly") != std::string::npos);
  }
  LiveLedger again(world.data());
  Client c(again.port());
  Reply claim = c.Send("GET", "/api/v1/claims/" + id, "", SignIn(c, "p1user"));
  REQUIRE(claim.status == 200);
  auto evidence = boost::json::parse(claim.body).at("evidence").as_array();
  REQUIRE(evidence.size() == 1);
  CHECK(evidence[0].at("sha256").as_string() == base::Sha256Hex(pdf));
  Reply bytes = c.Send("GET", "/api/v1/claims/" + id + "/evidence/" + base::Sha256Hex(pdf), "", SignIn(c, "c1tier1"));
  CHECK(bytes.body == pdf);
  CHECK(again.Stop() == 0);
}

TEST_CASE("the event stream sends live events and resumes after Last-Event-ID") {
  LiveWorld world;
  LiveLedger server(world.data());
  Client c(server.port());
  std::string auditor = SignIn(c, "c1auditor");
  std::string p1 = SignIn(c, "p1user");
  Client stream(server.port());
  stream.Write("GET /api/v1/events/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + auditor +
               "\r\nLast-Event-ID: 1\r\n\r\n");
  std::string first = stream.ReadUntil("\n\n");
  CHECK(first.find("text/event-stream") != std::string::npos);
  std::string frames = stream.ReadUntil("id: 3\n");
  CHECK(frames.find("id: 2\n") != std::string::npos);  // org-C1 (1 is the system's own)
  Reply draft = c.Send("POST", "/api/v1/claims", R"({"service_id":"SPEND","period":")" + world.DayAgo(5) + R"("})", p1);
  REQUIRE(draft.status == 201);
  std::string live = stream.ReadUntil("event: ClaimDrafted\n");
  CHECK(live.find("event: ClaimDrafted\n") != std::string::npos);
  // C2's events never reach C1's auditor.
  CHECK(live.find("org-C2") == std::string::npos);
  CHECK(server.Stop() == 0);
}

}  // namespace
}  // namespace ledger::http::testing

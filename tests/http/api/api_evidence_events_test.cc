// Evidence uploads and the auditors' event routes through HandleRequest.
#include <doctest/doctest.h>

#include <filesystem>
#include <span>
#include <vector>

#include "api_world.h"
#include "ledger/app/tree_heads.h"
#include "ledger/base/hex.h"
#include "ledger/base/sha256.h"
#include "ledger/eventstore/merkle.h"
#include "ledger/http/auth.h"

namespace ledger::http::testing {
namespace {

const std::string kPng = std::string("\x89PNG\r\n\x1a\n", 8) + std::string("\0\0\0\rIHDR", 8) + "pixels";
const std::string kPdf = "%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n";

TEST_CASE("evidence is stored by its SHA-256, listed on the claim and downloadable by those who see the claim") {
  ApiWorld w;
  std::string id = w.Draft("p1user", 2, 1000);
  Response put = w.As("p1user", "PUT", "/api/v1/claims/" + id + "/evidence?filename=scan.png", kPng, {}, "image/png");
  REQUIRE_MESSAGE(put.status == 200, put.body);
  std::string sha = base::Sha256Hex(kPng);
  auto evidence = Json(put).at("evidence").as_array();
  REQUIRE(evidence.size() == 1);
  CHECK(Str(evidence[0], "sha256") == sha);
  CHECK(Str(evidence[0], "filename") == "scan.png");
  CHECK(Str(evidence[0], "content_type") == "image/png");
  CHECK(evidence[0].at("size").as_int64() == static_cast<int64_t>(kPng.size()));
  CHECK(std::filesystem::exists(w.dir->path() / "evidence" / sha.substr(0, 2) / sha));

  Response got = w.As("c1tier1", "GET", "/api/v1/claims/" + id + "/evidence/" + sha);
  REQUIRE(got.status == 200);
  CHECK(got.body == kPng);
  CHECK(got.Header("Content-Type") == "image/png");
  CHECK(w.As("p3user", "GET", "/api/v1/claims/" + id + "/evidence/" + sha).status == 404);
  CHECK(w.As("p1user", "GET", "/api/v1/claims/" + id + "/evidence/" + std::string(64, 'a')).status == 404);

  Response removed = w.As("p1user", "DELETE", "/api/v1/claims/" + id + "/evidence/" + sha);
  REQUIRE_MESSAGE(removed.status == 200, removed.body);
  CHECK(Json(removed).at("evidence").as_array().empty());
}

TEST_CASE("evidence in a multipart form is read from its file part") {
  ApiWorld w;
  std::string id = w.Draft("p1user", 3, 1000);
  std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"C:\\\\docs\\\\invoice.pdf\"\r\n"
      "Content-Type: application/pdf\r\n\r\n" +
      kPdf + "\r\n--XyZ--\r\n";
  Response put = w.As("p1user", "PUT", "/api/v1/claims/" + id + "/evidence", body, {},
                      "multipart/form-data; boundary=XyZ");
  REQUIRE_MESSAGE(put.status == 200, put.body);
  auto e = Json(put).at("evidence").as_array().at(0);
  CHECK(Str(e, "sha256") == base::Sha256Hex(kPdf));
  CHECK(Str(e, "filename") == "invoice.pdf");
  CHECK(Str(e, "content_type") == "application/pdf");
}

TEST_CASE("evidence whose bytes are not the declared or an allowed type is refused with 415 and nothing stored") {
  ApiWorld w;
  std::string id = w.Draft("p1user", 4, 1000);
  uint64_t head = w.Head();
  CHECK(w.As("p1user", "PUT", "/api/v1/claims/" + id + "/evidence", "just text", {}, "application/pdf").status == 415);
  CHECK(w.As("p1user", "PUT", "/api/v1/claims/" + id + "/evidence", std::string("MZ\x90\0\x03", 5), {},
             "application/octet-stream")
            .status == 415);
  CHECK(w.As("p1user", "PUT", "/api/v1/claims/" + id + "/evidence", kPdf, {}, "application/zip").status == 415);
  CHECK(w.As("p1user", "PUT", "/api/v1/claims/" + id + "/evidence", "", {}, "application/pdf").status == 400);
  CHECK(w.Head() == head);
  CHECK(!std::filesystem::exists(w.dir->path() / "evidence" / base::Sha256Hex(kPdf).substr(0, 2)));
  // CSV is text; a spreadsheet is a zip with workbook parts.
  Response csv = w.As("p1user", "PUT", "/api/v1/claims/" + id + "/evidence", "nhs_number,date\n1,2026-11-01\n", {},
                      "text/csv");
  CHECK(csv.status == 200);
}

TEST_CASE("an auditor reads the events of their own commissioner only, payloads decoded") {
  ApiWorld w;
  std::string id = w.Draft("p1user", 5, 1000);
  Response page = w.As("c1auditor", "GET", "/api/v1/events?from=1&limit=1000");
  REQUIRE_MESSAGE(page.status == 200, page.body);
  bool saw_claim = false, saw_c2 = false, saw_system = false;
  boost::json::value page_body = Json(page);
  for (const auto& e : page_body.at("events").as_array()) {
    std::string stream = Str(e, "stream");
    if (stream == core::ClaimStream(id)) {
      saw_claim = true;
      if (Str(e, "type") == "ClaimDrafted") CHECK(Str(e.at("payload").at("claim"), "claim_id") == id);
    }
    if (stream == "org-C2" || stream == "org-P3" || stream == "account-p3user") saw_c2 = true;
    if (stream == "account-op" || stream == "org-SYSTEM") saw_system = true;
    CHECK(Str(e, "hash").size() == 64);
  }
  CHECK(saw_claim);
  CHECK(!saw_c2);
  CHECK(!saw_system);
  CHECK(Json(page).at("head").to_number<uint64_t>() == w.Head());
  // The operator sees everything; password hashes never appear.
  Response all = w.As("op", "GET", "/api/v1/events?limit=1000");
  REQUIRE(all.status == 200);
  CHECK(Json(all).at("events").as_array().size() == w.Head());
  CHECK(all.body.find("$argon2id$") == std::string::npos);
  CHECK(w.As("p1user", "GET", "/api/v1/events").status == 403);
  CHECK(w.As("c1auditor", "GET", "/api/v1/events?limit=5000").status == 400);
}

TEST_CASE("verify reports the head and a good chain") {
  ApiWorld w;
  Response r = w.As("c1auditor", "GET", "/api/v1/verify");
  REQUIRE(r.status == 200);
  auto body = Json(r);
  CHECK(body.at("ok").as_bool());
  CHECK(body.at("events_checked").to_number<uint64_t>() == w.Head());
  CHECK(body.at("head").at("position").to_number<uint64_t>() == w.Head());
  CHECK(Str(body.at("head"), "hash") == es::HashToHex(w.store->GetHead().hash));
  CHECK(w.As("c1tier1", "GET", "/api/v1/verify").status == 403);
}

es::Hash HashFromJson(const boost::json::value& v, const char* key) {
  es::Hash h{};
  REQUIRE(base::FromHex(Str(v, key), std::span<uint8_t>(h)));
  return h;
}

std::vector<es::Hash> ProofFromJson(const boost::json::value& v) {
  std::vector<es::Hash> proof;
  for (const auto& item : v.at("proof").as_array()) {
    es::Hash h{};
    REQUIRE(base::FromHex(item.as_string(), std::span<uint8_t>(h)));
    proof.push_back(h);
  }
  return proof;
}

// A signed tree head as GET /api/v1/ledger/heads shows it.
app::SignedTreeHead SignedHeadFromJson(const boost::json::value& v) {
  app::SignedTreeHead head;
  head.tree.size = v.at("size").to_number<uint64_t>();
  head.tree.root = HashFromJson(v, "root");
  head.tree.chain_hash = HashFromJson(v, "chain_hash");
  head.signed_at = v.at("signed_at_us").to_number<int64_t>();
  REQUIRE(base::FromHex(Str(v, "public_key"), std::span<uint8_t>(head.key)));
  REQUIRE(base::FromHex(Str(v, "signature"), std::span<uint8_t>(head.signature)));
  return head;
}

TEST_CASE("an auditor gets a signed tree head and proofs that hold the ledger to each event and to earlier heads") {
  ApiWorld w;
  Response key = w.Handle("GET", "/api/v1/ledger/public-key");  // no session: the key is public
  REQUIRE_MESSAGE(key.status == 200, key.body);
  CHECK(Str(Json(key), "algorithm") == "Ed25519");

  Response first = w.As("c1auditor", "GET", "/api/v1/ledger/heads");
  REQUIRE_MESSAGE(first.status == 200, first.body);
  const app::SignedTreeHead old_head = SignedHeadFromJson(Json(first));
  CHECK(old_head.tree.size == w.Head());
  CHECK(old_head.tree.chain_hash == w.store->GetHead().hash);
  CHECK(Str(Json(first), "public_key") == Str(Json(key), "public_key"));
  CHECK(app::VerifyTreeHead(old_head));
  CHECK(w.As("p1user", "GET", "/api/v1/ledger/heads").body == first.body);  // anyone signed in
  app::SignedTreeHead forged = old_head;
  forged.tree.size += 1;
  CHECK_FALSE(app::VerifyTreeHead(forged));
  CHECK(w.As("c1auditor", "GET", "/api/v1/ledger/heads").body == first.body);  // unchanged log: the same head

  w.Draft("p1user", 2, 1000);
  Response second = w.As("c1auditor", "GET", "/api/v1/ledger/heads");
  REQUIRE(second.status == 200);
  const app::SignedTreeHead new_head = SignedHeadFromJson(Json(second));
  REQUIRE(new_head.tree.size > old_head.tree.size);
  CHECK(app::VerifyTreeHead(new_head));

  const std::string sizes = "from=" + std::to_string(old_head.tree.size) + "&to=" + std::to_string(new_head.tree.size);
  Response consistency = w.As("c1auditor", "GET", "/api/v1/ledger/proofs/consistency?" + sizes);
  REQUIRE_MESSAGE(consistency.status == 200, consistency.body);
  CHECK(es::merkle::VerifyConsistency(old_head.tree.size, new_head.tree.size, old_head.tree.root, new_head.tree.root,
                                      ProofFromJson(Json(consistency))));
  CHECK_FALSE(es::merkle::VerifyConsistency(old_head.tree.size, new_head.tree.size, new_head.tree.root,
                                            new_head.tree.root, ProofFromJson(Json(consistency))));

  for (uint64_t position : {uint64_t{1}, old_head.tree.size, new_head.tree.size}) {
    CAPTURE(position);
    Response inclusion = w.As("c1auditor", "GET",
                              "/api/v1/ledger/proofs/inclusion?position=" + std::to_string(position) +
                                  "&size=" + std::to_string(new_head.tree.size));
    REQUIRE_MESSAGE(inclusion.status == 200, inclusion.body);
    auto body = Json(inclusion);
    const es::Hash event_hash = HashFromJson(body, "event_hash");
    CHECK(event_hash == w.store->ReadAll(position, 1).value().front().hash);
    CHECK(es::merkle::VerifyInclusion(position - 1, new_head.tree.size, es::merkle::EventLeaf(event_hash),
                                      ProofFromJson(body), new_head.tree.root));
  }
  // Without ?size= a proof is against the current tree.
  Response current = w.As("c1auditor", "GET", "/api/v1/ledger/proofs/inclusion?position=2");
  REQUIRE(current.status == 200);
  CHECK(Json(current).at("size").to_number<uint64_t>() == w.Head());

  const uint64_t head_before = w.Head();
  const std::string past = std::to_string(w.Head() + 1);
  for (const std::string& target :
       {std::string("/api/v1/ledger/proofs/inclusion"), std::string("/api/v1/ledger/proofs/inclusion?position=0"),
        "/api/v1/ledger/proofs/inclusion?position=" + past, "/api/v1/ledger/proofs/inclusion?position=1&size=" + past,
        std::string("/api/v1/ledger/proofs/inclusion?position=two"), std::string("/api/v1/ledger/proofs/consistency"),
        "/api/v1/ledger/proofs/consistency?from=1&to=" + past,
        std::string("/api/v1/ledger/proofs/consistency?from=5&to=3")}) {
    Response r = w.As("c1auditor", "GET", target);
    INFO(target << ": " << r.body);
    CHECK(r.status == 400);
  }
  CHECK(w.Head() == head_before);
  CHECK(w.As("c1tier1", "GET", "/api/v1/ledger/proofs/inclusion?position=1").status == 403);
}

TEST_CASE("whoever sees a claim gets its events with their proofs in a signed head, enough to check them alone") {
  ApiWorld w;
  std::string id = w.Draft("p1user", 2, 1000);
  REQUIRE(w.As("p1user", "POST", "/api/v1/claims/" + id + "/submit").status == 200);
  Response r = w.As("p1user", "GET", "/api/v1/claims/" + id + "/proof");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  auto body = Json(r);
  CHECK(Str(body, "claim_id") == id);
  const app::SignedTreeHead head = SignedHeadFromJson(body.at("head"));
  CHECK(app::VerifyTreeHead(head));
  const auto& events = body.at("events").as_array();
  auto stored = w.store->ReadStream(core::ClaimStream(id));
  REQUIRE(stored.ok());
  REQUIRE(events.size() == stored->size());
  for (size_t i = 0; i < events.size(); ++i) {
    const es::Envelope& e = (*stored)[i];
    const auto& event = events[i];
    CHECK(event.at("position").to_number<uint64_t>() == e.position);
    CHECK(Str(event, "payload_hex") == base::ToHex(e.payload));
    CHECK(event.at("recorded_at_us").to_number<int64_t>() == e.recorded_at_us);
    CHECK(HashFromJson(event, "hash") == e.hash);
    CHECK(es::merkle::VerifyInclusion(e.position - 1, head.tree.size, es::merkle::EventLeaf(e.hash),
                                      ProofFromJson(event), head.tree.root));
  }
  CHECK(w.As("c1tier1", "GET", "/api/v1/claims/" + id + "/proof").status == 200);
  CHECK(w.As("p2user", "GET", "/api/v1/claims/" + id + "/proof").status == 404);
}

TEST_CASE("accounts are read from the log: a disabled account's session stops working at once") {
  ApiWorld w;
  const std::string& token = w.Token("p1user");
  REQUIRE(!token.empty());
  CHECK(w.As("p1user", "GET", "/api/v1/me").status == 200);
  core::CommandMeta meta{"disable-p1user", "", "c1admin", kNow};
  auto r = w.bus->Execute(meta, core::DisableAccount{"p1user", "Left the practice"});
  REQUIRE_MESSAGE(r.ok(), r.Describe());
  CHECK(w.As("p1user", "GET", "/api/v1/me").status == 401);
  CHECK(w.SignIn("p1user").empty());
  CHECK(w.SignIn("nobody").empty());
}

}  // namespace
}  // namespace ledger::http::testing

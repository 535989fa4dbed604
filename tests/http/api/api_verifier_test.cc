// The independent verifier (tools/verifier, `ledger-verifier`) run on the
// API's own answers, then on the answers of a lying ledger: each alteration a
// dishonest or broken server could make (an altered event, a forged or
// truncated proof, an event left out, a head signed by another key, a changed
// head, a rolled-back or forked log) must fail with a message saying what it
// means.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "api_world.h"
#include "ledger/app/tree_heads.h"
#include "ledger/base/big_endian.h"
#include "ledger/base/hex.h"
#include "ledger/base/sha256.h"
#include "support/temp_dir.h"

namespace ledger::http::testing {
namespace {

using ledger::testing::ReadFile;
using ledger::testing::WriteFile;

struct Verdict {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string Quote(const std::string& arg) {
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The files a verifier is given, and running it on them.
class Desk {
 public:
  std::string Save(const std::string& name, const std::string& json) {
    std::string path = dir_.Sub(name);
    WriteFile(path, json);
    return path;
  }
  std::string Save(const std::string& name, const boost::json::value& json) {
    return Save(name, boost::json::serialize(json));
  }
  Verdict Run(const std::vector<std::string>& args) {
    std::string base = dir_.Sub("run" + std::to_string(++runs_));
    std::string command = Quote(LEDGER_VERIFIER);
    for (const std::string& a : args) command += " " + Quote(a);
    command += " >" + Quote(base + ".out") + " 2>" + Quote(base + ".err");
    int status = std::system(command.c_str());
    return Verdict{WIFEXITED(status) ? WEXITSTATUS(status) : -1, ReadFile(base + ".out"), ReadFile(base + ".err")};
  }

 private:
  ledger::testing::TempDir dir_;
  int runs_ = 0;
};

bool Says(const Verdict& v, const std::string& text) { return v.err.find(text) != std::string::npos; }

// A signed head in the API's JSON, as `key` signs `tree` at `at`.
boost::json::value SignedBy(const app::SigningKey& key, const es::TreeHead& tree, core::Timestamp at) {
  return app::SignedTreeHeadJson(key.Sign(tree, at));
}

// The hash of an event given as proof material, recomputed as a liar who
// alters a field would recompute it (docs/storage.md, "Canonical bytes").
std::string RecomputedHash(const boost::json::value& e) {
  auto field = [](std::string* out, std::string_view bytes) {
    base::AppendBE32(out, static_cast<uint32_t>(bytes.size()));
    out->append(bytes);
  };
  auto text = [&](const char* name) { return std::string(e.at(name).as_string()); };
  std::string canonical(1, '\x01');
  base::AppendBE64(&canonical, e.at("position").to_number<uint64_t>());
  field(&canonical, text("stream"));
  base::AppendBE64(&canonical, e.at("version").to_number<uint64_t>());
  field(&canonical, text("type"));
  base::AppendBE32(&canonical, e.at("schema_version").to_number<uint32_t>());
  base::AppendBE64(&canonical, static_cast<uint64_t>(e.at("recorded_at_us").to_number<int64_t>()));
  field(&canonical, text("actor"));
  field(&canonical, text("command_id"));
  field(&canonical, text("correlation_id"));
  std::string payload, prev;
  REQUIRE(base::FromHex(text("payload_hex"), &payload));
  field(&canonical, payload);
  REQUIRE(base::FromHex(text("prev_hash"), &prev));
  base::Sha256Hasher sha;
  sha.Update(prev);
  sha.Update(canonical);
  return es::HashToHex(sha.Finish());
}

es::TreeHead TreeOf(const boost::json::value& head) {
  es::TreeHead tree;
  tree.size = head.at("size").to_number<uint64_t>();
  REQUIRE(base::FromHex(head.at("root").as_string(), std::span<uint8_t>(tree.root)));
  REQUIRE(base::FromHex(head.at("chain_hash").as_string(), std::span<uint8_t>(tree.chain_hash)));
  return tree;
}

// Flips the last hex digit of a string field.
void Flip(boost::json::value& v, const char* field) {
  std::string text(v.at(field).as_string());
  text.back() = text.back() == '0' ? '1' : '0';
  v.as_object()[field] = text;
}

struct Fixture {
  ApiWorld w;
  Desk desk;
  std::string key;              // the public-key answer, saved
  boost::json::value old_head;  // before the claim
  boost::json::value new_head;  // after it
  boost::json::value claim_proof;
  boost::json::value consistency;

  Fixture() {
    Response k = w.Handle("GET", "/api/v1/ledger/public-key");
    REQUIRE(k.status == 200);
    key = desk.Save("key.json", k.body);
    old_head = Json(w.As("c1auditor", "GET", "/api/v1/ledger/heads"));
    std::string id = w.Draft("p1user", 2, 1000);
    REQUIRE(w.As("p1user", "PUT", "/api/v1/claims/" + id, R"({"values":{"cost":1500}})").status == 200);
    REQUIRE(w.As("p1user", "POST", "/api/v1/claims/" + id + "/submit").status == 200);
    w.now += 120'000'000;  // past the minute after which a head is signed anew
    new_head = Json(w.As("c1auditor", "GET", "/api/v1/ledger/heads"));
    Response proof = w.As("p1user", "GET", "/api/v1/claims/" + id + "/proof");
    REQUIRE_MESSAGE(proof.status == 200, proof.body);
    claim_proof = Json(proof);
    REQUIRE(claim_proof.at("events").as_array().size() >= 3);
    Response c = w.As("c1auditor", "GET",
                      "/api/v1/ledger/proofs/consistency?from=" + std::to_string(TreeOf(old_head).size) +
                          "&to=" + std::to_string(TreeOf(new_head).size));
    REQUIRE(c.status == 200);
    consistency = Json(c);
  }

  app::SigningKey LedgerKey() {
    auto k = app::SigningKey::LoadOrCreate(w.dir->path() / "signing.key");
    REQUIRE(k.ok());
    return std::move(k).value();
  }
  Verdict Claim(const boost::json::value& proof) {
    return desk.Run({"claim", "--key", key, "--proof", desk.Save("claim.json", proof)});
  }
  Verdict Consistency(const boost::json::value& older, const boost::json::value& newer,
                      const boost::json::value& proof) {
    return desk.Run({"consistency", "--key", key, "--old", desk.Save("old.json", older), "--new",
                     desk.Save("new.json", newer), "--proof", desk.Save("consistency.json", proof)});
  }
};

TEST_CASE("the verifier accepts what an honest ledger answers, knowing only its public key") {
  Fixture f;
  Verdict head = f.desk.Run({"head", "--key", f.key, "--head", f.desk.Save("head.json", f.new_head)});
  INFO(head.err);
  CHECK(head.exit_code == 0);
  CHECK(head.out.find("ok: ") == 0);
  Verdict claim = f.Claim(f.claim_proof);
  INFO(claim.err);
  CHECK(claim.exit_code == 0);
  CHECK(claim.out.find("each in the ledger's signed tree") != std::string::npos);
  Verdict consistent = f.Consistency(f.old_head, f.new_head, f.consistency);
  INFO(consistent.err);
  CHECK(consistent.exit_code == 0);
  CHECK(consistent.out.find("nothing before was changed") != std::string::npos);
  // The key may be given in hex as well as in the file the API answers.
  std::string hex(boost::json::parse(ReadFile(f.key)).at("public_key").as_string());
  CHECK(f.desk.Run({"head", "--key", hex, "--head", f.desk.Save("head.json", f.new_head)}).exit_code == 0);
}

TEST_CASE("the verifier catches a lying ledger's events and proofs, saying what each means") {
  Fixture f;
  SUBCASE("an event's payload altered") {
    boost::json::value proof = f.claim_proof;
    Flip(proof.at("events").as_array()[1], "payload_hex");
    Verdict v = f.Claim(proof);
    CHECK(v.exit_code == 1);
    CHECK(Says(v, "its fields were altered"));
  }
  SUBCASE("an event's actor altered, its hash recomputed to match") {
    boost::json::value proof = f.claim_proof;
    boost::json::value& event = proof.at("events").as_array()[0];
    event.as_object()["actor"] = "someone.else";
    // A liar who also recomputes the hash cannot match the signed tree.
    const std::string honest(event.at("hash").as_string());
    event.as_object()["hash"] = RecomputedHash(event);
    REQUIRE(std::string(event.at("hash").as_string()) != honest);
    Verdict v = f.Claim(proof);
    CHECK(v.exit_code == 1);
    CHECK(Says(v, "its inclusion proof fails"));
  }
  SUBCASE("a forged proof") {
    boost::json::value proof = f.claim_proof;
    boost::json::value& event = proof.at("events").as_array()[2];
    REQUIRE_FALSE(event.at("proof").as_array().empty());
    std::string first(event.at("proof").as_array()[0].as_string());
    first[0] = first[0] == 'a' ? 'b' : 'a';
    event.at("proof").as_array()[0] = first;
    Verdict v = f.Claim(proof);
    CHECK(v.exit_code == 1);
    CHECK(Says(v, "its inclusion proof fails"));
  }
  SUBCASE("a truncated proof") {
    boost::json::value proof = f.claim_proof;
    boost::json::value& event = proof.at("events").as_array()[0];
    REQUIRE_FALSE(event.at("proof").as_array().empty());
    event.at("proof").as_array().pop_back();
    Verdict v = f.Claim(proof);
    CHECK(v.exit_code == 1);
    CHECK(Says(v, "its inclusion proof fails"));
  }
  SUBCASE("an event of the claim left out") {
    boost::json::value proof = f.claim_proof;
    auto& events = proof.at("events").as_array();
    events.erase(events.begin() + 1);
    Verdict v = f.Claim(proof);
    CHECK(v.exit_code == 1);
    CHECK(Says(v, "version 2 is missing"));
  }
  SUBCASE("a head signed by another key") {
    ledger::testing::TempDir other_dir;
    auto other = app::SigningKey::LoadOrCreate(other_dir.path() / "other.key");
    REQUIRE(other.ok());
    boost::json::value proof = f.claim_proof;
    proof.as_object()["head"] = SignedBy(*other, TreeOf(f.claim_proof.at("head")), 1);
    Verdict v = f.Claim(proof);
    CHECK(v.exit_code == 1);
    CHECK(Says(v, "is signed by another key"));
  }
  SUBCASE("a head whose size was changed after signing") {
    boost::json::value head = f.new_head;
    head.as_object()["size"] = head.at("size").to_number<uint64_t>() - 1;
    Verdict v = f.desk.Run({"head", "--key", f.key, "--head", f.desk.Save("head.json", head)});
    CHECK(v.exit_code == 1);
    CHECK(Says(v, "does not carry the ledger's signature"));
  }
}

TEST_CASE("the verifier catches a rolled-back and a forked log against a head kept earlier") {
  Fixture f;
  SUBCASE("rolled back: the newer head is smaller") {
    Verdict v = f.Consistency(f.new_head, f.old_head, f.consistency);
    CHECK(v.exit_code == 1);
    CHECK(Says(v, "the log was rolled back"));
  }
  SUBCASE("forked: the ledger's key signed another tree of the same size") {
    es::TreeHead fork = TreeOf(f.new_head);
    fork.root[0] ^= 0x01;
    boost::json::value forked = SignedBy(f.LedgerKey(), fork, 5);
    Verdict v = f.Consistency(f.new_head, forked, boost::json::object{});
    CHECK(v.exit_code == 1);
    CHECK(Says(v, "its log was forked"));
    // A head kept earlier of the same size as the one a claim's proof carries, with another root.
    es::TreeHead other = TreeOf(f.claim_proof.at("head"));
    other.root[31] ^= 0x80;
    Verdict claim = f.desk.Run({"claim", "--key", f.key, "--proof", f.desk.Save("claim.json", f.claim_proof), "--head",
                                f.desk.Save("kept.json", SignedBy(f.LedgerKey(), other, 6))});
    CHECK(claim.exit_code == 1);
    CHECK(Says(claim, "its log was forked"));
  }
  SUBCASE("rewritten: a larger tree that does not extend the one kept") {
    es::TreeHead rewritten = TreeOf(f.new_head);
    rewritten.root[5] ^= 0x10;
    Verdict v = f.Consistency(f.old_head, SignedBy(f.LedgerKey(), rewritten, 7), f.consistency);
    CHECK(v.exit_code == 1);
    CHECK(Says(v, "events of the older log were changed or removed"));
  }
  SUBCASE("a proof between other sizes is refused as unusable") {
    boost::json::value proof = f.consistency;
    proof.as_object()["from"] = 1;
    Verdict v = f.Consistency(f.old_head, f.new_head, proof);
    CHECK(v.exit_code == 2);
    CHECK(Says(v, "between other sizes"));
  }
}

TEST_CASE("the verifier ties a report to the ledger's signed head, and catches a report whose as_of was altered") {
  Fixture f;
  Response answer = f.w.As("c1tier1", "GET", "/api/v1/reports/claims?as_of=" + std::to_string(TreeOf(f.old_head).size));
  REQUIRE_MESSAGE(answer.status == 200, answer.body);
  const boost::json::value report = Json(answer);
  const std::string at = std::to_string(report.at("as_of").at("position").to_number<uint64_t>());
  Response inclusion = f.w.As("c1auditor", "GET", "/api/v1/ledger/proofs/inclusion?position=" + at + "&size=" + at);
  REQUIRE(inclusion.status == 200);
  Response consistency = f.w.As("c1auditor", "GET",
                                "/api/v1/ledger/proofs/consistency?from=" + at +
                                    "&to=" + std::to_string(TreeOf(f.new_head).size));
  REQUIRE(consistency.status == 200);
  auto check = [&](const boost::json::value& r) {
    return f.desk.Run({"report", "--key", f.key, "--report", f.desk.Save("report.json", r), "--head",
                       f.desk.Save("head.json", f.new_head), "--inclusion",
                       f.desk.Save("inclusion.json", inclusion.body), "--consistency",
                       f.desk.Save("consistency.json", consistency.body)});
  };
  Verdict honest = check(report);
  INFO(honest.err);
  CHECK(honest.exit_code == 0);
  CHECK(honest.out.find("was computed from the first " + at + " events") != std::string::npos);
  for (const char* field : {"hash", "tree_root"}) {
    CAPTURE(field);
    boost::json::value altered = report;
    Flip(altered.at("as_of"), field);
    Verdict v = check(altered);
    CHECK(v.exit_code == 1);
    CHECK(Says(v, "its as_of was altered"));
  }
}

TEST_CASE("a payment run cites the signed head it was computed from, and the verifier holds the log to it") {
  Fixture f;
  // A claim approved for payment, then a run of it.
  const std::string id = f.w.Draft("p1user", 3, 2'000);
  const std::vector<std::pair<std::string, std::string>> steps = {{"p1user", "submit"},
                                                                  {"c1tier1", "approve"},
                                                                  {"c1tier2", "approve"}};
  for (const auto& [user, action] : steps) {
    Response r = f.w.As(user, "POST", "/api/v1/claims/" + id + "/" + action);
    REQUIRE_MESSAGE(r.status == 200, r.body);
  }
  const uint64_t before = f.w.Head();
  Response created = f.w.As("c1tier2", "POST", "/api/v1/payment-runs", R"({"pay_date":"2026-11-30","run_id":"RUN7"})");
  REQUIRE_MESSAGE(created.status == 201, created.body);
  const boost::json::value run = Json(f.w.As("c1tier2", "GET", "/api/v1/payment-runs/RUN7"));
  const boost::json::value& cited = run.at("signed_head");
  CHECK(cited.at("size").to_number<uint64_t>() == before);
  CHECK(run.at("head_position").to_number<uint64_t>() == before);
  CHECK(cited.at("chain_hash") == run.at("head_hash"));
  // The head is the ledger's, and today's log extends it.
  Verdict head = f.desk.Run({"head", "--key", f.key, "--head", f.desk.Save("run.json", run)});
  INFO(head.err);
  CHECK(head.exit_code == 0);
  CHECK(head.out.find("signed head of " + std::to_string(before) + " events") != std::string::npos);
  f.w.now += 120'000'000;
  const boost::json::value today = Json(f.w.As("c1auditor", "GET", "/api/v1/ledger/heads"));
  Response proof = f.w.As("c1auditor", "GET",
                          "/api/v1/ledger/proofs/consistency?from=" + std::to_string(before) +
                              "&to=" + std::to_string(TreeOf(today).size));
  REQUIRE(proof.status == 200);
  Verdict extends = f.Consistency(run, today, Json(proof));
  INFO(extends.err);
  CHECK(extends.exit_code == 0);
  // A run whose cited head was altered is caught.
  for (const char* field : {"root", "chain_hash"}) {
    CAPTURE(field);
    boost::json::value altered = run;
    Flip(altered.at("signed_head"), field);
    Verdict v = f.desk.Run({"head", "--key", f.key, "--head", f.desk.Save("altered.json", altered)});
    CHECK(v.exit_code == 1);
    CHECK(Says(v, "altered or forged"));
  }
}

TEST_CASE("the verifier says how to call it and refuses files it cannot use") {
  Desk desk;
  Verdict none = desk.Run({});
  CHECK(none.exit_code == 2);
  CHECK(Says(none, "usage:"));
  Verdict missing = desk.Run({"head", "--key", std::string(64, 'a'), "--head", "/nonexistent/head.json"});
  CHECK(missing.exit_code == 2);
  CHECK(Says(missing, "cannot read /nonexistent/head.json"));
  Verdict garbage = desk.Run(
      {"head", "--key", std::string(64, 'a'), "--head", desk.Save("bad.json", std::string("[1,2"))});
  CHECK(garbage.exit_code == 2);
  CHECK(Says(garbage, "is not a JSON object"));
}

}  // namespace
}  // namespace ledger::http::testing

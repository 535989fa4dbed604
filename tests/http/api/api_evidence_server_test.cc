// Evidence over the real `ledger serve` on a loopback port: the type decided
// by content for every accepted and refused kind of file, the size limit at
// and over 10 MiB, and the headers of a download.
#include <doctest/doctest.h>

#include <chrono>

#include "api_world.h"
#include "ledger/base/sha256.h"
#include "ledger/core/evidence.h"
#include "ledger/http/auth.h"
#include "live_ledger.h"
#include "support/evidence_samples.h"

namespace ledger::http::testing {
namespace {

using ledger::testing::kSampleCsv;
using ledger::testing::kSampleExe;
using ledger::testing::kSampleJpeg;
using ledger::testing::kSamplePdf;
using ledger::testing::kSamplePng;
using ledger::testing::kSampleText;

// A data directory with the standard world (the service open around today), a
// server on it, a draft claim of p1user's and the tokens needed.
struct EvidenceServer {
  EvidenceServer() {
    {
      auto store = es::EventStore::Open(dir.Sub("events"));
      REQUIRE(store.ok());
      SeedWorld(**store, app::HashPassword(kApiPassword, app::PasswordCost::kMinimum), today);
    }
    server = std::make_unique<LiveLedger>(dir.str());
    client = std::make_unique<Client>(server->port());
    p1 = SignIn("p1user");
    op = SignIn("op");
    Reply draft = client->Send("POST", "/api/v1/claims",
                               R"({"service_id":"SPEND","period":")" + today.AddDays(-1).ToString() + R"("})", p1);
    REQUIRE_MESSAGE(draft.status == 201, draft.body);
    claim = "/api/v1/claims/" + std::string(boost::json::parse(draft.body).at("claim_id").as_string());
  }
  std::string SignIn(const std::string& user) {
    Reply r = client->Send("POST", "/api/v1/session",
                           R"({"username":")" + user + R"(","password":")" + kApiPassword + R"("})");
    REQUIRE_MESSAGE(r.status == 201, r.body);
    return std::string(boost::json::parse(r.body).at("token").as_string());
  }
  Reply Put(const std::string& bytes, const std::string& filename, const std::string& content_type) {
    return client->Send("PUT", claim + "/evidence?filename=" + filename, bytes, p1, {}, content_type);
  }
  uint64_t Head() {
    Reply r = client->Send("GET", "/api/v1/events?limit=1", "", op);
    REQUIRE(r.status == 200);
    return boost::json::parse(r.body).at("head").to_number<uint64_t>();
  }
  size_t StoredFiles() const {
    size_t n = 0;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(dir.path() / "evidence", ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); ++it)
      if (it->is_regular_file()) ++n;
    return n;
  }

  ledger::testing::TempDir dir;
  core::Date today = core::Date::FromTimestamp(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  std::unique_ptr<LiveLedger> server;
  std::unique_ptr<Client> client;
  std::string p1, op, claim;
};

// The evidence entry of `sha` in a claim's JSON.
boost::json::object EntryOf(const Reply& claim, const std::string& sha) {
  const boost::json::value body = boost::json::parse(claim.body);
  for (const auto& e : body.at("evidence").as_array())
    if (e.at("sha256").as_string() == sha) return e.as_object();
  return {};
}

TEST_CASE("over the real server each accepted type is stored with the type its content is, whatever was declared") {
  EvidenceServer s;
  struct Case {
    std::string bytes, filename, declared, type, label;
  };
  const std::vector<Case> cases = {
      {kSamplePdf, "scan.pdf", "application/pdf", "application/pdf", "PDF"},
      {kSamplePng, "photo.png", "application/octet-stream", "image/png", "PNG"},
      {kSampleJpeg, "photo.jpg", "image/jpeg", "image/jpeg", "JPEG"},
      {kSampleCsv, "register.csv", "text/csv", "text/csv", "CSV"},
      {ledger::testing::SampleXlsx(), "register.xlsx", "application/octet-stream",
       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"},
      {ledger::testing::SampleDocx(), "letter.docx",
       "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
       "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"},
      {kSampleText, "note.txt", "text/plain", "text/plain", "Plain text"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.filename);
    Reply put = s.Put(c.bytes, c.filename, c.declared);
    REQUIRE_MESSAGE(put.status == 200, put.body);
    boost::json::object entry = EntryOf(put, base::Sha256Hex(c.bytes));
    CHECK(entry.at("content_type").as_string() == c.type);
    CHECK(entry.at("type").as_string() == c.label);
    CHECK(entry.at("filename").as_string() == c.filename);
  }
  CHECK(s.StoredFiles() == cases.size());
  CHECK(s.server->Stop() == 0);
}

TEST_CASE("over the real server HTML, SVG, an executable, text named .pdf and a plain zip are refused with 415") {
  EvidenceServer s;
  uint64_t head = s.Head();
  struct Case {
    std::string bytes, filename, declared;
  };
  const std::vector<Case> cases = {
      {"<!DOCTYPE html><html><body>Invoice</body></html>", "invoice.html", "text/html"},
      {"<!DOCTYPE html><html><body>Invoice</body></html>", "invoice.csv", "text/csv"},
      {"  <html><script>alert(1)</script></html>", "note.txt", "text/plain"},
      {"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>", "chart.svg", "image/svg+xml"},
      {kSampleExe, "setup.exe", "application/octet-stream"},
      {kSampleExe, "scan.pdf", "application/pdf"},
      {kSampleText, "invoice.pdf", "application/pdf"},
      {kSampleText, "invoice.pdf", "application/octet-stream"},
      {ledger::testing::SamplePlainZip(), "photos.zip", "application/zip"},
      {ledger::testing::SamplePlainZip(), "register.xlsx", "application/octet-stream"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.filename);
    CAPTURE(c.declared);
    Reply put = s.Put(c.bytes, c.filename, c.declared);
    CHECK(put.status == 415);
    CHECK(put.Header("Content-Type") == "application/problem+json");
    std::string detail(boost::json::parse(put.body).at("detail").as_string());
    CHECK(detail.find(core::AcceptedEvidenceText()) != std::string::npos);
  }
  // The same refusal in a multipart form, as browsers send it.
  Reply multipart =
      s.client->Send("PUT", s.claim + "/evidence",
                     "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"invoice.pdf\"\r\nContent-Type: "
                     "application/pdf\r\n\r\n" +
                         kSampleText + "\r\n--b--\r\n",
                     s.p1, {}, "multipart/form-data; boundary=b");
  CHECK(multipart.status == 415);
  CHECK(s.Head() == head);
  CHECK(s.StoredFiles() == 0);
  CHECK(s.server->Stop() == 0);
}

TEST_CASE(
    "over the real server evidence of exactly 10 MiB is accepted and 11 MiB, or one byte more, is refused with 413") {
  EvidenceServer s;
  const size_t limit = static_cast<size_t>(core::kEvidenceMaxBytes);
  REQUIRE(limit == 10 * 1024 * 1024);
  uint64_t head = s.Head();
  // 11 MiB: refused from the header, before the body is read.
  Client oversize(s.server->port());
  oversize.Write("PUT " + s.claim + "/evidence?filename=big.txt HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + s.p1 +
                 "\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(11 * 1024 * 1024) + "\r\n\r\n");
  Reply eleven = oversize.Read();
  CHECK(eleven.status == 413);
  CHECK(eleven.Header("Content-Type") == "application/problem+json");
  // One byte over, inside the body limit: refused by the evidence rule, stating the limit.
  Reply over = s.Put(std::string(limit + 1, 'x'), "big.txt", "text/plain");
  CHECK(over.status == 413);
  CHECK(over.Header("Content-Type") == "application/problem+json");
  CHECK(std::string(boost::json::parse(over.body).at("detail").as_string()).find("10 MiB") != std::string::npos);
  CHECK(s.Head() == head);
  CHECK(s.StoredFiles() == 0);
  // Exactly the limit, raw and in a multipart form.
  Reply raw = s.Put(std::string(limit, 'x'), "big.txt", "text/plain");
  CHECK_MESSAGE(raw.status == 200, raw.body);
  std::string form =
      "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
      "Content-Type: text/plain\r\n\r\n" +
      std::string(limit, 'y') + "\r\n--b--\r\n";
  Reply multipart = s.client->Send("PUT", s.claim + "/evidence", form, s.p1, {}, "multipart/form-data; boundary=b");
  CHECK_MESSAGE(multipart.status == 200, multipart.body);
  CHECK(s.StoredFiles() == 2);
  CHECK(s.server->Stop() == 0);
}

TEST_CASE("over the real server a download is an attachment with the detected type, nosniff and an encoded name") {
  EvidenceServer s;
  struct Case {
    std::string bytes, filename, content_type, fallback, encoded;
  };
  const std::vector<Case> cases = {
      {kSamplePdf, "scan.pdf", "application/pdf", "scan.pdf", "scan.pdf"},
      {kSampleText, "r\xC3\xA9sum\xC3\xA9 (final).txt", "text/plain; charset=utf-8", "r__sum__ (final).txt",
       "r%C3%A9sum%C3%A9%20%28final%29.txt"},
      {kSampleCsv, "a%2C b.csv", "text/csv; charset=utf-8", "a_2C b.csv", "a%252C%20b.csv"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.filename);
    std::string query;
    for (unsigned char ch : c.filename) {
      static constexpr char kHex[] = "0123456789ABCDEF";
      query += {'%', kHex[ch >> 4], kHex[ch & 0xF]};
    }
    Reply put = s.client->Send("PUT", s.claim + "/evidence?filename=" + query, c.bytes, s.p1, {},
                               "application/octet-stream");
    REQUIRE_MESSAGE(put.status == 200, put.body);
    Reply got = s.client->Send("GET", s.claim + "/evidence/" + base::Sha256Hex(c.bytes), "", s.p1);
    REQUIRE(got.status == 200);
    CHECK(got.body == c.bytes);
    CHECK(got.Header("Content-Type") == c.content_type);
    CHECK(got.Header("X-Content-Type-Options") == "nosniff");
    CHECK(got.Header("Content-Disposition") ==
          "attachment; filename=\"" + c.fallback + "\"; filename*=UTF-8''" + c.encoded);
  }
  CHECK(s.server->Stop() == 0);
}

}  // namespace
}  // namespace ledger::http::testing

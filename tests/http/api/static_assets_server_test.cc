// The real `ledger serve` on a loopback port: /static serves the shipped
// assets and nothing outside its root, however the path is encoded.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "api_world.h"
#include "ledger/http/auth.h"
#include "live_ledger.h"
#include "support/build_paths.h"
#include "support/temp_dir.h"

namespace ledger::http::testing {
namespace {

namespace fs = std::filesystem;

// Every byte percent-encoded, so '/' and '.' reach the server as %2F and %2E.
std::string EncodeAll(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    out += '%';
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

using ledger::testing::WriteFile;

// A portal directory of its own: the source templates, and a static root
// holding two assets, a symlink to a file outside it and a symlink to the
// data directory.
struct PortalDir {
  explicit PortalDir(const fs::path& data) {
    fs::create_directory_symlink(fs::path(LEDGER_SOURCE_DIR) / "portal" / "templates", dir.path() / "templates");
    fs::create_directories(static_root() / "nhsuk");
    WriteFile(static_root() / "app.css", "body { margin: 0 }\n");
    WriteFile(static_root() / "nhsuk" / "frontend.js", "window.ok = true;\n");
    fs::create_symlink("/etc/passwd", static_root() / "leak.css");
    fs::create_directory_symlink(data, static_root() / "data");
  }
  fs::path static_root() const { return dir.path() / "static"; }
  ledger::testing::TempDir dir;
};

TEST_CASE("/static serves shipped assets and refuses every path that leaves its root, however encoded") {
  ledger::testing::TempDir data;
  {
    auto store = es::EventStore::Open(data.Sub("events"));
    REQUIRE(store.ok());
    SeedWorld(**store, app::HashPassword(kApiPassword, app::PasswordCost::kMinimum));
  }
  PortalDir portal(data.path());
  LiveLedger server(data.str(), {"--portal", portal.dir.str()});
  Client c(server.port());

  Reply css = c.Send("GET", "/static/app.css");
  CHECK(css.status == 200);
  CHECK(css.body == "body { margin: 0 }\n");
  CHECK(css.Header("Content-Type") == "text/css; charset=utf-8");
  Reply nested = c.Send("GET", "/static/nhsuk/frontend.js");
  CHECK(nested.status == 200);
  CHECK(nested.body == "window.ok = true;\n");

  std::string data_file = (data.path() / "events" / "CURRENT").string();
  REQUIRE(fs::is_regular_file(data_file));
  std::string up = "..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2F";
  const std::vector<std::string> attacks = {
      // Single encoding of '/', both cases: an absolute path after decoding.
      "%2fetc%2fpasswd",
      "%2Fetc%2Fpasswd",
      "%2fproc%2fself%2fcmdline",
      "%2Fproc%2Fself%2Fcmdline",
      "%2F%2Fetc%2Fpasswd",
      EncodeAll("/etc/passwd"),
      // The data directory, absolute and relative to the static root.
      EncodeAll(data_file),
      "%2F" + EncodeAll(data_file.substr(1)),
      up + EncodeAll(data_file.substr(1)),
      "data/events/CURRENT",
      "data%2Fevents%2FCURRENT",
      // Double encoding.
      "%252fetc%252fpasswd",
      "%252Fetc%252Fpasswd",
      "%25252fetc%25252fpasswd",
      "..%252f..%252fetc%252fpasswd",
      // '..' as dots, encoded, mixed case and mixed with raw slashes.
      up + "etc%2Fpasswd",
      "%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
      "%2E%2e%2F%2e%2E%2f%2E%2E%2F%2e%2e%2F%2e%2e%2f%2E%2e%2Fetc%2Fpasswd",
      "..",
      "%2e%2e",
      "%2E%2E/%2E%2E/etc",
      "nhsuk/..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
      "nhsuk/%2e%2e/app.css",
      "nhsuk%2F..%2Fapp.css",
      "./app.css",
      "%2e/app.css",
      // Backslashes, encoded and raw.
      "..%5c..%5c..%5c..%5c..%5c..%5cetc%5cpasswd",
      "..%5C..%5C..%5C..%5C..%5C..%5Cetc%5Cpasswd",
      "%5cetc%5cpasswd",
      "..\\..\\..\\..\\..\\..\\etc\\passwd",
      "nhsuk\\..\\app.css",
      // Overlong UTF-8 forms of '/' and '.'.
      "..%c0%af..%c0%af..%c0%af..%c0%af..%c0%af..%c0%afetc%c0%afpasswd",
      "..%C0%AF..%C0%AF..%C0%AF..%C0%AF..%C0%AF..%C0%AFetc%C0%AFpasswd",
      "..%e0%80%af..%e0%80%af..%e0%80%af..%e0%80%af..%e0%80%af..%e0%80%afetc%e0%80%afpasswd",
      "%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%afetc%c0%afpasswd",
      "%c0%afetc%c0%afpasswd",
      // NUL, alone and to cut a suffix.
      "%00",
      "app.css%00",
      "app.css%00.png",
      "%00%2fetc%2fpasswd",
      "%2fetc%2fpasswd%00.css",
      // A raw absolute path, a hidden file and a symlink out of the root.
      "/etc/passwd",
      "//etc/passwd",
      ".hidden",
      "leak.css",
      "data",
      "nhsuk",
      // Malformed escapes.
      "%",
      "%2",
      "%zz",
      "app.css%",
  };
  for (const std::string& rel : attacks) {
    Client fresh(server.port());  // a refusal may close the connection
    Reply r = fresh.Send("GET", "/static/" + rel);
    CAPTURE(rel);
    CHECK((r.status == 404 || r.status == 400));
    CHECK(r.body.find("root:") == std::string::npos);     // not /etc/passwd
    CHECK(r.body.find("MANIFEST") == std::string::npos);  // not the store's CURRENT file
    CHECK(r.body.find("--listen") == std::string::npos);  // not the server's command line
  }
  CHECK(c.Send("GET", "/static/app.css").status == 200);  // still serving
}

}  // namespace
}  // namespace ledger::http::testing

// How the real `ledger serve` meets the network: HTTPS with --tls-cert and
// --tls-key, and behind a reverse proxy named by --trust-proxy. Either makes
// the session cookie Secure and adds Strict-Transport-Security; neither is
// fooled by a client that sends the proxy's headers itself.
#include <doctest/doctest.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>

#include <cstdlib>
#include <string>

#include "api_world.h"
#include "live_ledger.h"
#include "support/temp_dir.h"

namespace ledger::http::testing {
namespace {

namespace ssl = boost::asio::ssl;
using ledger::testing::ReadFile;

// `ledger serve` as a subprocess, its exit status and what it printed.
struct Run {
  int status = -1;
  std::string output;
};
Run Serve(const std::string& data, const std::string& options, const ledger::testing::TempDir& dir) {
  const std::string out = dir.Sub("serve.out");
  const std::string command = std::string(LEDGER_BINARY_DIR) + "/tools/ledger serve --data " + data +
                              " --listen 127.0.0.1:0 " + options + " > " + out + " 2>&1";
  const int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ReadFile(out)};
}

// A self-signed certificate for 127.0.0.1 and its key, made with the openssl tool.
struct Certificate {
  Certificate() {
    const std::string command =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
        "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout " +
        key + " -out " + cert + " 2>/dev/null";
    REQUIRE(std::system(command.c_str()) == 0);
  }
  ledger::testing::TempDir dir;
  std::string cert = dir.Sub("cert.pem");
  std::string key = dir.Sub("key.pem");
};

// One request over TLS to 127.0.0.1:port, trusting only `ca`.
Reply SendTls(uint16_t port, const std::string& ca, const std::string& method, const std::string& target,
              const std::string& body = "") {
  net::io_context io;
  ssl::context context(ssl::context::tls_client);
  context.load_verify_file(ca);
  boost::beast::ssl_stream<boost::beast::tcp_stream> stream(io, context);
  stream.set_verify_mode(ssl::verify_peer);
  boost::beast::get_lowest_layer(stream).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  stream.handshake(ssl::stream_base::client);
  bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  if (!body.empty()) req.set(bhttp::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  bhttp::write(stream, req);
  boost::beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(stream, buffer, res);
  Reply r;
  r.status = static_cast<int>(res.result_int());
  r.body = res.body();
  for (const auto& f : res) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  return r;
}

std::string SignInBody() { return R"({"username":"p2user","password":")" + std::string(kApiPassword) + R"("})"; }

TEST_CASE("with --tls-cert and --tls-key the server speaks HTTPS only, with Secure cookies and HSTS") {
  LiveWorld world;
  Certificate tls;
  LiveLedger server(world.data(), {"--tls-cert", tls.cert, "--tls-key", tls.key});
  CHECK(server.output().find("at https://127.0.0.1:") != std::string::npos);

  Reply health = SendTls(server.port(), tls.cert, "GET", "/healthz");
  CHECK(health.status == 200);
  CHECK(health.Header("Strict-Transport-Security") == "max-age=31536000");
  Reply signed_in = SendTls(server.port(), tls.cert, "POST", "/api/v1/session", SignInBody());
  REQUIRE_MESSAGE(signed_in.status == 201, signed_in.body);
  CHECK(signed_in.Header("Set-Cookie").find("; Secure") != std::string::npos);

  // Plain HTTP on the TLS port gets no answer: the connection closes without one.
  Client plain(server.port());
  plain.Write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  boost::system::error_code ec;
  try {
    plain.Read();
  } catch (const boost::system::system_error& e) {
    ec = e.code();
  }
  CHECK(ec);
  CHECK(server.Stop() == 0);
}

TEST_CASE("--tls-cert and --tls-key go together, and a key that is not the certificate's is refused at start") {
  LiveWorld world;
  Certificate tls;
  Certificate other;
  Run alone = Serve(world.data(), "--tls-cert " + tls.cert, tls.dir);
  CHECK(alone.status != 0);
  CHECK(alone.output.find("--tls-key") != std::string::npos);
  Run mismatched = Serve(world.data(), "--tls-cert " + tls.cert + " --tls-key " + other.key, tls.dir);
  CHECK(mismatched.status != 0);
  CHECK(mismatched.output.find("cannot use the TLS private key " + other.key + " with the certificate") !=
        std::string::npos);
  CHECK(mismatched.output.find("mismatch") != std::string::npos);
  Run missing = Serve(world.data(), "--tls-cert " + tls.dir.Sub("none.pem") + " --tls-key " + tls.key, tls.dir);
  CHECK(missing.status != 0);
  CHECK(missing.output.find("none.pem") != std::string::npos);
}

// A sign-in as the browser of a client behind a proxy sends it.
Reply SignInVia(Client& c, std::vector<std::pair<std::string, std::string>> forwarded) {
  return c.Send("POST", "/api/v1/session", SignInBody(), "", std::move(forwarded));
}

TEST_CASE("behind a trusted proxy, X-Forwarded-Proto: https gives Secure cookies and HSTS, from that proxy only") {
  LiveWorld world;
  const std::vector<std::pair<std::string, std::string>> forwarded = {{"X-Forwarded-Proto", "https"},
                                                                      {"X-Forwarded-For", "203.0.113.7, 127.0.0.1"}};
  {
    // Without --trust-proxy the headers are anyone's to send: ignored.
    LiveLedger server(world.data());
    Client c(server.port());
    Reply signed_in = SignInVia(c, forwarded);
    REQUIRE_MESSAGE(signed_in.status == 201, signed_in.body);
    CHECK(signed_in.Header("Set-Cookie").find("; Secure") == std::string::npos);
    CHECK(signed_in.Header("Strict-Transport-Security").empty());
    CHECK(server.Stop() == 0);
  }
  {
    LiveLedger server(world.data(), {"--trust-proxy", "127.0.0.1"});
    Client c(server.port());
    Reply signed_in = SignInVia(c, forwarded);
    REQUIRE_MESSAGE(signed_in.status == 201, signed_in.body);
    CHECK(signed_in.Header("Set-Cookie").find("; Secure") != std::string::npos);
    CHECK(signed_in.Header("Strict-Transport-Security") == "max-age=31536000");
    // A request the proxy passes on over plain HTTP stays plain.
    Reply plain = SignInVia(c, {{"X-Forwarded-Proto", "http"}});
    CHECK(plain.Header("Set-Cookie").find("; Secure") == std::string::npos);
    CHECK(plain.Header("Strict-Transport-Security").empty());
    CHECK(server.Stop() == 0);
    // The log names the client the proxy saw, not the proxy.
    const std::string log = ReadFile(world.data() + ".stderr");
    CHECK(log.find(R"("client":"203.0.113.7")") != std::string::npos);
  }
}

TEST_CASE("--trust-proxy takes IP addresses only, and says so") {
  LiveWorld world;
  Run named = Serve(world.data(), "--trust-proxy proxy.example", world.dir);
  CHECK(named.status != 0);
  CHECK(named.output.find("not an IP address") != std::string::npos);
}

}  // namespace
}  // namespace ledger::http::testing

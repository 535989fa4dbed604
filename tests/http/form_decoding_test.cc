// The one URL decoder (Boost.URL) and the one multipart/form-data parser of
// the server, the router, the API and the portal.
#include <doctest/doctest.h>

#include "ledger/http/message.h"
#include "ledger/http/multipart.h"

namespace ledger::http {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Request Multi(std::string body, std::string content_type = "multipart/form-data; boundary=XyZ") {
  Request r;
  r.method = "POST";
  r.target = "/x";
  r.headers = {{"Content-Type", std::move(content_type)}};
  r.body = std::move(body);
  return r;
}

TEST_CASE("a path segment is percent-decoded and keeps its plus signs") {
  CHECK(PercentDecode("a%2Fb+c%41") == "a/b+cA");
  CHECK(PercentDecode("%e2%9C%93") == "\xE2\x9C\x93");
  // The server refuses such a target; a caller that passes one gets it back as it is.
  CHECK(PercentDecode("a%2Fb%zz%4") == "a%2Fb%zz%4");
}

TEST_CASE("a request target must be a path and query as RFC 3986 writes them") {
  CHECK(IsValidTarget("/api/v1/claims/c-1?status=awaiting_tier1&q=a+b%26c"));
  CHECK(IsValidTarget("/"));
  for (const char* bad : {"/claims?x=%zz", "/claims?x=%4", "/a b", "/claims?x=a|b", "/a{b}", "*", "claims",
                          "http://example.org/claims"}) {
    CAPTURE(bad);
    CHECK_FALSE(IsValidTarget(bad));
  }
}

TEST_CASE("percent-encoding keeps letters, digits and the bytes asked for, and round-trips") {
  CHECK(PercentEncode("a b/c~\xC3\xA9", "-_.~/") == "a%20b/c~%C3%A9");
  CHECK(PercentEncode("a+b", "") == "a%2Bb");
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  CHECK(PercentDecode(PercentEncode(all, "")) == all);
}

TEST_CASE("urlencoded text keeps order and repeated names and skips empty pairs") {
  CHECK(ParseUrlEncoded("a=1&&b&a=x+y&c=%3D") == Pairs{{"a", "1"}, {"b", ""}, {"a", "x y"}, {"c", "="}});
  CHECK(ParseUrlEncoded("a+b=%2B%20c") == Pairs{{"a b", "+ c"}});
  CHECK(ParseUrlEncoded("") == Pairs{});
  CHECK(ParseUrlEncoded(std::string_view{}) == Pairs{});  // no query at all: a view without data
  CHECK(PercentDecode(std::string_view{}).empty());
  CHECK_FALSE(IsValidTarget(std::string_view{}));
  // A bad escape, or a character that must be escaped, is not a form: nothing is guessed.
  CHECK_FALSE(ParseUrlEncoded("a=%").has_value());
  CHECK_FALSE(ParseUrlEncoded("a=1&b=%zz").has_value());
  CHECK_FALSE(ParseUrlEncoded("a=x|y").has_value());
  Request r;
  r.target = "/p?status=awaiting+tier1&status=draft&q=%26";
  CHECK(r.Query("status") == "awaiting tier1");
  CHECK(r.Query("q") == "&");
  CHECK(r.Query("none").empty());
}

TEST_CASE("the media type is lower case without parameters") {
  CHECK(MediaTypeOf(" Multipart/Form-Data ; boundary=x") == "multipart/form-data");
  CHECK(MediaTypeOf("") == "");
}

TEST_CASE("multipart parts carry their name, filename, type and exact content") {
  Request r = Multi(
      "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nline 1\r\nline 2\r\n"
      "--XyZ\r\ncontent-disposition: form-data; NAME=file; Filename=\"a;b.pdf\"\r\n"
      "Content-Type: application/pdf\r\n\r\n%PDF-1.7\r\n--XyZ--\r\n");
  Multipart m = ParseMultipart(r);
  CHECK(m.error == Multipart::Error::kNone);
  REQUIRE(m.parts.size() == 2);
  CHECK(m.parts[0].name == "note");
  CHECK_FALSE(m.parts[0].filename.has_value());
  CHECK(m.parts[0].content == "line 1\r\nline 2");
  CHECK(m.parts[1].name == "file");
  CHECK(m.parts[1].filename == "a;b.pdf");
  CHECK(m.parts[1].content_type == "application/pdf");
  CHECK(m.parts[1].content == "%PDF-1.7");
}

TEST_CASE("a field named filename is not a file; an empty filename is") {
  Request r = Multi(
      "--XyZ\r\nContent-Disposition: form-data; name=\"filename\"\r\n\r\nx\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\"\r\n\r\n\r\n--XyZ--");
  Multipart m = ParseMultipart(r);
  REQUIRE(m.parts.size() == 2);
  CHECK_FALSE(m.parts[0].filename.has_value());
  CHECK(m.parts[1].filename == "");
  CHECK(m.parts[1].content.empty());
}

// The fault ParseMultipart finds in a request's body.
Multipart::Error FaultOf(const Request& request) { return ParseMultipart(request).error; }

TEST_CASE("a malformed multipart body names its fault and keeps the parts before it") {
  CHECK(FaultOf(Multi("--XyZ--", "multipart/form-data")) == Multipart::Error::kNoBoundary);
  const Request open_request = Multi(
      "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ\r\n"
      "Content-Disposition: form-data; name=b\r\n\r\n2");
  Multipart open = ParseMultipart(open_request);  // its parts are views into the request
  CHECK(open.error == Multipart::Error::kNotClosed);
  REQUIRE(open.parts.size() == 1);
  CHECK(open.parts[0].content == "1");
  CHECK(FaultOf(Multi("--XyZ junk\r\n\r\nx\r\n--XyZ--")) == Multipart::Error::kMalformed);
  CHECK(FaultOf(Multi("--XyZ\r\nno end of headers")) == Multipart::Error::kMalformed);
  const Request plain = Multi("no delimiter at all");
  Multipart none = ParseMultipart(plain);
  CHECK(none.error == Multipart::Error::kNone);
  CHECK(none.parts.empty());
}

TEST_CASE("header parameters are found by name in any case, at a parameter boundary") {
  CHECK(HeaderParam("form-data; name=\"a\"; filename=\"b.txt\"", "filename") == "b.txt");
  CHECK(HeaderParam("form-data; xname=1; NAME=two ; z", "name") == "two");
  CHECK(HeaderParam("form-data; name=\"open", "name") == "");
  CHECK(HeaderParam("form-data", "name") == "");
}

}  // namespace
}  // namespace ledger::http

// Form, multipart and query decoding at the edge: the input is
// "CONTENT-TYPE\nTARGET\nBODY". The body goes through the portal's form
// reader (urlencoded or multipart) and the API's evidence upload reader, and
// the target's query through Request::Query. Checks what the edges promise:
// a form the reader lets through (no bad_text_field) holds only text that the
// log accepts, and an upload that is accepted carries a sanitised file name.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ledger/core/text.h"
#include "ledger/http/evidence_upload.h"
#include "ledger/http/message.h"
#include "portal_internal.h"

namespace {

std::string_view NextLine(std::string_view* rest) {
  std::size_t end = rest->find('\n');
  std::string_view line = rest->substr(0, end);
  *rest = end == std::string_view::npos ? std::string_view{} : rest->substr(end + 1);
  return line;
}

void Require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using ledger::core::IsValidText;
  using ledger::core::TextKind;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  ledger::http::Request request;
  request.method = "POST";
  request.headers.emplace_back("Content-Type", std::string(NextLine(&rest)));
  request.target = std::string(NextLine(&rest));
  request.body = std::string(rest);
  request.remote_address = "192.0.2.1";

  for (const char* name : {"filename", "status", "cursor", "as_of", "a", ""}) (void)request.Query(name);

  ledger::http::portal::Form form = ledger::http::portal::ParseForm(request);
  if (form.bad_text_field.empty()) {
    for (const auto& [name, value] : form.fields) {
      Require(IsValidText(name, TextKind::kSingleLine));
      Require(IsValidText(value, TextKind::kMultiLine));
    }
    for (const auto& file : form.files) Require(IsValidText(file.filename, TextKind::kSingleLine));
  }
  (void)ledger::http::ParseUrlEncoded(request.target);
  (void)ledger::http::IsValidTarget(request.target);
  (void)ledger::http::PercentDecode(request.target);

  ledger::http::Upload upload;
  if (!ledger::http::ReadUpload(request, &upload).has_value()) {
    Require(IsValidText(upload.filename, TextKind::kSingleLine));
    Require(upload.filename.find('/') == std::string::npos && upload.filename.find('\\') == std::string::npos);
    Require(!upload.bytes.empty());
  }
  return 0;
}

// What counts as evidence: the type by content, names and declared types
// that must agree, and the size limit.
#include <doctest/doctest.h>

#include <tuple>

#include "ledger/core/evidence.h"
#include "support/evidence_samples.h"

namespace ledger::core {
namespace {

using namespace ledger::testing;  // the samples

std::string TypeOf(const std::string& bytes, std::string_view name, std::string_view declared = "") {
  auto type = DetectEvidenceType(bytes, name, declared);
  return type.ok() ? std::string((*type)->media_type) : "refused:" + type.rejection().code;
}

TEST_CASE("every accepted type is recognised by its content, with or without a name") {
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {kSamplePdf, "scan.pdf", "application/pdf"},
      {kSamplePng, "photo.PNG", "image/png"},
      {kSampleJpeg, "photo.jpeg", "image/jpeg"},
      {kSampleJpeg, "photo.jpg", "image/jpeg"},
      {kSampleCsv, "register.csv", "text/csv"},
      {SampleXlsx(), "register.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {SampleDocx(), "letter.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {kSampleText, "note.txt", "text/plain"},
  };
  for (const auto& [bytes, name, type] : cases) {
    CAPTURE(name);
    CHECK(TypeOf(bytes, name) == type);
    CHECK(TypeOf(bytes, name, type) == type);
    CHECK(TypeOf(bytes, name, "application/octet-stream") == type);
    if (type != "text/csv") CHECK(TypeOf(bytes, "") == type);  // CSV needs its name or declared type
  }
  CHECK(TypeOf(kSampleCsv, "", "text/csv") == "text/csv");
  CHECK(TypeOf(kSampleCsv, "", "application/vnd.ms-excel") == "text/csv");
  CHECK(TypeOf(kSampleCsv, "register.csv", "text/plain") == "text/csv");
  CHECK(TypeOf(kSampleCsv, "") == "text/plain");
  CHECK(TypeOf("\xEF\xBB\xBF"
               "caf\xC3\xA9 \xE2\x82\xAC 12\r\n",
               "menu.txt") == "text/plain");
}

TEST_CASE("content that is none of the accepted types is refused, naming the accepted ones") {
  for (const std::string& bytes :
       {kSampleExe, SamplePlainZip(), std::string("<!DOCTYPE html><p>hi"),
        std::string("  \r\n<html><script>alert(1)</script>"),
        std::string("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), std::string("<?xml version=\"1.0\"?><svg/>"),
        std::string("\n\t<script>x</script>"), std::string("\xEF\xBB\xBF<HTML>"), std::string("text with a \0 NUL", 17),
        std::string("bell \x07"), std::string("latin-1 caf\xE9"), std::string("overlong \xC0\xAF"),
        std::string("surrogate \xED\xA0\x80"), std::string("C1 control \xC2\x85"),
        Zip({"[Content_Types].xml", "xl/a", "word/b"}), std::string("PK\x03\x04 truncated", 14)}) {
    CAPTURE(bytes);
    auto type = DetectEvidenceType(bytes, "", "");
    REQUIRE_FALSE(type.ok());
    CHECK(type.rejection().code == kEvidenceTypeNotAccepted);
    CHECK(type.rejection().message.find(AcceptedEvidenceText()) != std::string::npos);
  }
  CHECK(AcceptedEvidenceText() ==
        "PDF (.pdf), PNG (.png), JPEG (.jpg, .jpeg), CSV (.csv), XLSX (.xlsx), DOCX (.docx) or plain text (.txt)");
  // Markup is refused whatever it is called.
  CHECK(TypeOf("<html></html>", "page.txt", "text/plain") == "refused:evidence_type_not_accepted");
  CHECK(TypeOf("<svg/>", "a.csv", "text/csv") == "refused:evidence_type_not_accepted");
  CHECK(TypeOf("a < b\n", "maths.txt") == "text/plain");
}

TEST_CASE("a name or declared type that disagrees with the content is refused") {
  CHECK(TypeOf(kSampleText, "invoice.pdf") == "refused:evidence_type_mismatch");
  CHECK(TypeOf(kSampleText, "note.txt", "application/pdf") == "refused:evidence_type_mismatch");
  CHECK(TypeOf(kSampleText, "page.html") == "refused:evidence_type_mismatch");
  CHECK(TypeOf(kSamplePdf, "scan.png") == "refused:evidence_type_mismatch");
  CHECK(TypeOf(kSamplePdf, "scan.pdf", "application/zip") == "refused:evidence_type_mismatch");
  CHECK(TypeOf(kSamplePng, "photo.jpg", "image/jpeg") == "refused:evidence_type_mismatch");
  CHECK(TypeOf(SampleXlsx(), "letter.docx") == "refused:evidence_type_mismatch");
  CHECK(TypeOf(SampleDocx(), "sheet.xlsx") == "refused:evidence_type_mismatch");
  CHECK(TypeOf(kSamplePdf, "scan.exe") == "refused:evidence_type_mismatch");
  auto refused = DetectEvidenceType(kSampleText, "invoice.pdf", "");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.rejection().message.find(".pdf") != std::string::npos);
  CHECK(refused.rejection().message.find("plain text") != std::string::npos);
}

TEST_CASE("text named or declared as CSV must parse as CSV") {
  CHECK(TypeOf("a,\"b\n", "broken.csv") == "refused:evidence_type_not_accepted");
  CHECK(TypeOf("a,\"b\n", "", "text/csv") == "refused:evidence_type_not_accepted");
  CHECK(TypeOf("a,\"b\n", "broken.txt") == "text/plain");
}

TEST_CASE("an empty file and one over 10 MiB are refused; exactly 10 MiB is accepted") {
  CHECK(kEvidenceMaxBytes == 10 * 1024 * 1024);
  CHECK(EvidenceLimitText() == "10 MiB (10485760 bytes)");
  CHECK(TypeOf("", "a.txt") == "refused:evidence_empty");
  std::string at_limit(static_cast<size_t>(kEvidenceMaxBytes), 'x');
  CHECK(TypeOf(at_limit, "big.txt") == "text/plain");
  at_limit.push_back('x');
  auto over = DetectEvidenceType(at_limit, "big.txt", "");
  REQUIRE_FALSE(over.ok());
  CHECK(over.rejection().code == kEvidenceTooLarge);
  CHECK(over.rejection().message.find("10 MiB") != std::string::npos);
}

TEST_CASE("an uploaded file's name keeps its last component as valid UTF-8 without controls or quotes") {
  CHECK(EvidenceFilename("C:\\docs\\invoice.pdf") == "invoice.pdf");
  CHECK(EvidenceFilename("../../etc/passwd") == "passwd");
  CHECK(EvidenceFilename("a\"b;c\r\n\x01.pdf") == "abc.pdf");
  CHECK(EvidenceFilename("caf\xC3\xA9 \xE9.pdf") == "caf\xC3\xA9 .pdf");
  CHECK(EvidenceFilename("..") == "");
  CHECK(EvidenceFilename(std::string(300, 'a')).size() == kEvidenceFilenameMaxBytes);
  CHECK(EvidenceFilename(std::string(199, 'a') + "\xC3\xA9") == std::string(199, 'a'));
}

TEST_CASE("labels shown to people come from the accepted types") {
  CHECK(EvidenceLabel("text/csv") == "CSV");
  CHECK(EvidenceLabel("text/plain") == "Plain text");
  CHECK(EvidenceLabel("application/vnd.openxmlformats-officedocument.wordprocessingml.document") == "DOCX");
  CHECK(EvidenceLabel("text/html") == "text/html");
}

}  // namespace
}  // namespace ledger::core

// Small files of every evidence type, and of types that are not evidence,
// for the upload tests: real magic numbers and real ZIP structure (local
// headers, central directory, end record; entries stored, CRC not checked).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ledger::testing {

// The bytes of a string literal, embedded NULs included, without its terminator:
// the length comes from the literal itself, so it cannot disagree with it.
template <std::size_t N>
std::string Bytes(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

inline std::string LittleEndian(uint32_t v, int width) {
  std::string out;
  for (int i = 0; i < width; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  return out;
}

// A ZIP archive holding `names`, each with a short stored body.
inline std::string Zip(const std::vector<std::string>& names) {
  std::string local, central;
  for (const std::string& name : names) {
    const std::string body = "<x/>";
    const uint32_t offset = static_cast<uint32_t>(local.size());
    local += Bytes("PK\x03\x04") + LittleEndian(20, 2) + LittleEndian(0, 2) + LittleEndian(0, 2) + LittleEndian(0, 4) +
             LittleEndian(0, 4) + LittleEndian(static_cast<uint32_t>(body.size()), 4) +
             LittleEndian(static_cast<uint32_t>(body.size()), 4) + LittleEndian(static_cast<uint32_t>(name.size()), 2) +
             LittleEndian(0, 2) + name + body;
    central += Bytes("PK\x01\x02") + LittleEndian(20, 2) + LittleEndian(20, 2) + LittleEndian(0, 2) +
               LittleEndian(0, 2) + LittleEndian(0, 4) + LittleEndian(0, 4) +
               LittleEndian(static_cast<uint32_t>(body.size()), 4) +
               LittleEndian(static_cast<uint32_t>(body.size()), 4) +
               LittleEndian(static_cast<uint32_t>(name.size()), 2) + LittleEndian(0, 2) + LittleEndian(0, 2) +
               LittleEndian(0, 2) + LittleEndian(0, 2) + LittleEndian(0, 4) + LittleEndian(offset, 4) + name;
  }
  const auto count = static_cast<uint32_t>(names.size());
  return local + central + Bytes("PK\x05\x06") + LittleEndian(0, 2) + LittleEndian(0, 2) + LittleEndian(count, 2) +
         LittleEndian(count, 2) + LittleEndian(static_cast<uint32_t>(central.size()), 4) +
         LittleEndian(static_cast<uint32_t>(local.size()), 4) + LittleEndian(0, 2);
}

inline const std::string kSamplePdf = "%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
inline const std::string kSamplePng = Bytes("\x89PNG\r\n\x1a\n") +
                                      Bytes("\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0");
inline const std::string kSampleJpeg = Bytes("\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xFF\xD9");
inline const std::string kSampleCsv = "nhs_number,date\r\n9434765919,2026-11-01\r\n";
inline const std::string kSampleText =
    "Register checked on 1 November 2026 by the practice manager.\n\tAll 12 patients seen.\n";
inline const std::string kSampleExe = Bytes("MZ\x90\0\x03\0\0\0\x04\0\0\0\xFF\xFF\0\0");
inline std::string SampleXlsx() {
  return Zip({"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml"});
}
inline std::string SampleDocx() { return Zip({"[Content_Types].xml", "_rels/.rels", "word/document.xml"}); }
inline std::string SamplePlainZip() { return Zip({"notes.txt", "photos/a.jpg"}); }

}  // namespace ledger::testing

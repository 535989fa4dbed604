#include "ledger/core/evidence.h"

#include <cstddef>
#include <optional>

#include "ledger/base/csv.h"

namespace ledger::core {
namespace {

constexpr std::string_view kPdf = "application/pdf";
constexpr std::string_view kPng = "image/png";
constexpr std::string_view kJpeg = "image/jpeg";
constexpr std::string_view kCsv = "text/csv";
constexpr std::string_view kXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
constexpr std::string_view kDocx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
constexpr std::string_view kText = "text/plain";

// Magic numbers.
constexpr std::string_view kPdfMagic = "%PDF-";
constexpr std::string_view kPngMagic{"\x89PNG\r\n\x1a\n", 8};
constexpr std::string_view kJpegMagic = "\xFF\xD8\xFF";
constexpr std::string_view kZipLocalMagic{"PK\x03\x04", 4};
constexpr std::string_view kZipCentralMagic{"PK\x01\x02", 4};
constexpr std::string_view kZipEndMagic{"PK\x05\x06", 4};
constexpr size_t kZipEndSize = 22;            // end of central directory record without its comment
constexpr size_t kZipCentralHeaderSize = 46;  // central directory file header without name, extra, comment
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// What the content is, before the name and the declared type are consulted.
enum class Content { kPdf, kPng, kJpeg, kXlsx, kDocx, kText, kZipNotOffice, kMarkup, kOther };

uint32_t Le(std::string_view bytes, size_t at, size_t width) {
  uint32_t v = 0;
  for (size_t i = 0; i < width; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  return v;
}

// The entry names of a ZIP's central directory; nullopt when it has none or
// it is malformed.
std::optional<std::vector<std::string_view>> ZipEntryNames(std::string_view zip) {
  if (zip.size() < kZipEndSize) return std::nullopt;
  size_t lowest = zip.size() > kZipEndSize + 0xFFFF ? zip.size() - kZipEndSize - 0xFFFF : 0;
  size_t end = std::string_view::npos;
  for (size_t at = zip.size() - kZipEndSize + 1; at-- > lowest;) {
    if (zip.substr(at, 4) == kZipEndMagic) {
      end = at;
      break;
    }
  }
  if (end == std::string_view::npos) return std::nullopt;
  const size_t entries = Le(zip, end + 10, 2), size = Le(zip, end + 12, 4), offset = Le(zip, end + 16, 4);
  if (offset > end || size > end - offset) return std::nullopt;
  std::vector<std::string_view> names;
  size_t at = offset;
  for (size_t i = 0; i < entries; ++i) {
    if (at + kZipCentralHeaderSize > offset + size || zip.substr(at, 4) != kZipCentralMagic) return std::nullopt;
    const size_t name = Le(zip, at + 28, 2), extra = Le(zip, at + 30, 2), comment = Le(zip, at + 32, 2);
    const size_t next = at + kZipCentralHeaderSize + name + extra + comment;
    if (next > offset + size) return std::nullopt;
    names.push_back(zip.substr(at + kZipCentralHeaderSize, name));
    at = next;
  }
  return names;
}

Content ZipContent(std::string_view zip) {
  auto names = ZipEntryNames(zip);
  if (!names) return Content::kZipNotOffice;
  bool content_types = false, workbook = false, document = false;
  for (std::string_view name : *names) {
    content_types = content_types || name == "[Content_Types].xml";
    workbook = workbook || name.starts_with("xl/");
    document = document || name.starts_with("word/");
  }
  if (!content_types || workbook == document) return Content::kZipNotOffice;
  return workbook ? Content::kXlsx : Content::kDocx;
}

// The length of the valid UTF-8 sequence at text[i] (no overlong form,
// surrogate or code point past U+10FFFF), and its code point; 0 when invalid.
size_t Utf8At(std::string_view text, size_t i, uint32_t* code_point) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) {
    *code_point = c;
    return 1;
  }
  const size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (length == 0 || c > 0xF4 || i + length > text.size()) return 0;
  uint32_t cp = c & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) {
    const auto cont = static_cast<unsigned char>(text[i + k]);
    if ((cont & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cont & 0x3F);
  }
  const uint32_t least = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
  if (cp < least || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  *code_point = cp;
  return length;
}

// C0 controls, DEL and C1 controls.
bool IsControl(uint32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

// Valid UTF-8 with no control character but tab, CR and LF.
bool IsPlainText(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    uint32_t cp = 0;
    const size_t length = Utf8At(text, i, &cp);
    if (length == 0 || (IsControl(cp) && cp != '\t' && cp != '\r' && cp != '\n')) return false;
    i += length;
  }
  return true;
}

// Text whose first non-blank character opens a tag, a declaration or a
// processing instruction: HTML, SVG, XML, script.
bool OpensWithMarkup(std::string_view text) {
  if (text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
  size_t at = text.find_first_not_of(" \t\r\n");
  if (at == std::string_view::npos || text[at] != '<' || at + 1 >= text.size()) return false;
  const char next = text[at + 1];
  return (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') || next == '!' || next == '?' || next == '/';
}

Content Sniff(std::string_view bytes) {
  if (bytes.starts_with(kPdfMagic)) return Content::kPdf;
  if (bytes.starts_with(kPngMagic)) return Content::kPng;
  if (bytes.starts_with(kJpegMagic)) return Content::kJpeg;
  if (bytes.starts_with(kZipLocalMagic)) return ZipContent(bytes);
  if (!IsPlainText(bytes)) return Content::kOther;
  return OpensWithMarkup(bytes) ? Content::kMarkup : Content::kText;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// The extension of a file name, lower case; "" for none.
std::string Extension(std::string_view filename) {
  size_t dot = filename.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return "";
  return Lower(filename.substr(dot + 1));
}

// The accepted media type a declared type claims: "" for no claim, "?" for a
// type that is none of ours.
std::string_view DeclaredAs(std::string_view declared) {
  if (declared.empty() || declared == "application/octet-stream") return "";
  if (declared == "application/x-pdf") return kPdf;
  if (declared == "image/jpg" || declared == "image/pjpeg") return kJpeg;
  if (declared == "application/csv" || declared == "text/x-csv" || declared == "text/comma-separated-values" ||
      declared == "application/vnd.ms-excel")
    return kCsv;
  if (FindEvidenceType(declared) != nullptr) return FindEvidenceType(declared)->media_type;
  return "?";
}

const EvidenceType& TypeOf(std::string_view media_type) { return *FindEvidenceType(media_type); }

// A label inside a sentence: acronyms as they are, words in lower case ("plain text").
std::string InSentence(std::string_view label) {
  std::string out(label);
  if (out.size() > 1 && out[1] >= 'a' && out[1] <= 'z' && out[0] >= 'A' && out[0] <= 'Z')
    out[0] = static_cast<char>(out[0] - 'A' + 'a');
  return out;
}

Rejection NotAccepted(std::string_view why) {
  return Rejection::Invalid(std::string(kEvidenceTypeNotAccepted),
                            "The file is not an accepted type: " + std::string(why) + ". Upload " +
                                AcceptedEvidenceText() + ".");
}

Rejection Mismatch(std::string_view what, const EvidenceType& is) {
  return Rejection::Invalid(std::string(kEvidenceTypeMismatch),
                            "The file " + std::string(what) + " but its content is " + InSentence(is.label) +
                                ": send it as what it is (." + std::string(is.extensions.front()) +
                                "). Accepted: " + AcceptedEvidenceText() + ".");
}

std::optional<Rejection> RefuseContent(Content content) {
  switch (content) {
    case Content::kZipNotOffice: return NotAccepted("it is a ZIP archive but not an XLSX workbook or a DOCX document");
    case Content::kMarkup: return NotAccepted("it is HTML, SVG, XML or other markup");
    case Content::kOther: return NotAccepted("its content is none of them");
    default: return std::nullopt;
  }
}

std::string_view BinaryType(Content content) {
  switch (content) {
    case Content::kPdf: return kPdf;
    case Content::kPng: return kPng;
    case Content::kJpeg: return kJpeg;
    case Content::kXlsx: return kXlsx;
    case Content::kDocx: return kDocx;
    default: return "";
  }
}

bool HasExtension(const EvidenceType& type, std::string_view extension) {
  for (std::string_view e : type.extensions)
    if (e == extension) return true;
  return false;
}

// Plain text is CSV when its name or declared type says so, and then must parse.
Outcome<const EvidenceType*> TextType(std::string_view bytes, const std::string& extension, std::string_view declared,
                                      std::string_view declared_as) {
  const bool text_name = extension.empty() || extension == "txt" || extension == "csv";
  const bool text_declared = declared_as.empty() || declared_as == kText || declared_as == kCsv;
  if (!text_name) return Mismatch("name ends in ." + extension, TypeOf(kText));
  if (!text_declared) return Mismatch("is declared as " + std::string(declared), TypeOf(kText));
  if (extension != "csv" && declared_as != kCsv) return &TypeOf(kText);
  base::CsvParse parsed = base::ParseCsv(bytes);
  if (!parsed.error.empty() || parsed.records.empty())
    return Rejection::Invalid(std::string(kEvidenceTypeNotAccepted),
                              "The file is named or declared as CSV but is not valid CSV (" +
                                  (parsed.error.empty() ? std::string("it has no rows") : parsed.error) + "). Upload " +
                                  AcceptedEvidenceText() + ".");
  return &TypeOf(kCsv);
}

}  // namespace

const std::vector<EvidenceType>& EvidenceTypes() {
  static const std::vector<EvidenceType> kTypes = {
      {kPdf, "PDF", {"pdf"}},    {kPng, "PNG", {"png"}},    {kJpeg, "JPEG", {"jpg", "jpeg"}}, {kCsv, "CSV", {"csv"}},
      {kXlsx, "XLSX", {"xlsx"}}, {kDocx, "DOCX", {"docx"}}, {kText, "Plain text", {"txt"}},
  };
  return kTypes;
}

const EvidenceType* FindEvidenceType(std::string_view media_type) {
  for (const EvidenceType& t : EvidenceTypes())
    if (t.media_type == media_type) return &t;
  return nullptr;
}

std::string AcceptedEvidenceText() {
  std::string out;
  const auto& types = EvidenceTypes();
  for (size_t i = 0; i < types.size(); ++i) {
    if (i > 0) out += i + 1 == types.size() ? " or " : ", ";
    out += InSentence(types[i].label);
    out += " (";
    for (size_t e = 0; e < types[i].extensions.size(); ++e)
      out += (e ? ", ." : ".") + std::string(types[i].extensions[e]);
    out += ")";
  }
  return out;
}

std::string EvidenceLimitText() {
  constexpr int64_t kMiB = 1024 * 1024;
  return std::to_string(kEvidenceMaxBytes / kMiB) + " MiB (" + std::to_string(kEvidenceMaxBytes) + " bytes)";
}

std::string EvidenceLabel(std::string_view media_type) {
  const EvidenceType* type = FindEvidenceType(media_type);
  return type != nullptr ? std::string(type->label) : std::string(media_type);
}

std::string EvidenceFilename(std::string_view name) {
  const size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out;
  size_t i = 0;
  while (i < name.size()) {
    uint32_t cp = 0;
    size_t length = Utf8At(name, i, &cp);
    if (length == 0) {
      ++i;  // a byte that is not UTF-8 is dropped
      continue;
    }
    if (!IsControl(cp) && cp != '"' && cp != ';') {
      if (out.size() + length > kEvidenceFilenameMaxBytes) break;
      out.append(name.substr(i, length));
    }
    i += length;
  }
  if (out == "." || out == "..") out.clear();
  return out;
}

Outcome<const EvidenceType*> DetectEvidenceType(std::string_view bytes, std::string_view filename,
                                                std::string_view declared) {
  if (bytes.empty()) return Rejection::Invalid(std::string(kEvidenceEmpty), "The file is empty.");
  if (bytes.size() > static_cast<size_t>(kEvidenceMaxBytes))
    return Rejection::Invalid(std::string(kEvidenceTooLarge), "The file is larger than " + EvidenceLimitText() +
                                                                  ", the largest evidence file accepted.");
  const Content content = Sniff(bytes);
  if (auto refused = RefuseContent(content)) return *refused;
  const std::string extension = Extension(filename);
  const std::string_view declared_as = DeclaredAs(declared);
  if (content == Content::kText) return TextType(bytes, extension, declared, declared_as);
  const EvidenceType& type = TypeOf(BinaryType(content));
  if (!extension.empty() && !HasExtension(type, extension)) return Mismatch("name ends in ." + extension, type);
  if (!declared_as.empty() && declared_as != type.media_type)
    return Mismatch("is declared as " + std::string(declared), type);
  return &type;
}

}  // namespace ledger::core

#include "ledger/core/text.h"

namespace ledger::core {
namespace {

// The length of the UTF-8 sequence starting at text[i] (1 to 4), and its code
// point in *cp; 0 when the bytes there are not a valid, shortest-form sequence.
size_t DecodeOne(std::string_view text, size_t i, uint32_t* cp) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  size_t length = 0;
  uint32_t min = 0;
  if (lead < 0x80) {
    *cp = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, min = 0x80, *cp = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, min = 0x800, *cp = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, min = 0x10000, *cp = lead & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    *cp = (*cp << 6) | (byte(i + k) & 0x3F);
  }
  const bool surrogate = *cp >= 0xD800 && *cp <= 0xDFFF;
  if (*cp < min || *cp > 0x10FFFF || surrogate) return 0;
  return length;
}

bool IsControl(uint32_t cp, TextKind kind) {
  if (kind == TextKind::kMultiLine && (cp == '\n' || cp == '\t')) return false;
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

}  // namespace

std::optional<std::string_view> TextProblemCode(std::string_view text, TextKind kind) {
  bool control = false;
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    const size_t length = DecodeOne(text, i, &cp);
    if (length == 0) return "invalid_utf8";
    control = control || IsControl(cp, kind);
    i += length;
  }
  if (control) return "control_character";
  return std::nullopt;
}

std::optional<FieldError> TextProblem(std::string path, std::string_view text, TextKind kind) {
  auto code = TextProblemCode(text, kind);
  if (!code) return std::nullopt;
  std::string message = *code == "invalid_utf8" ? "This text is not valid UTF-8: re-type it or save the file as UTF-8."
                        : kind == TextKind::kMultiLine
                            ? "This text holds a control character: only new lines and tabs are allowed."
                            : "This text holds a control character (a new line, a tab or another): keep it on "
                              "one line.";
  return FieldError{std::move(path), std::string(*code), std::move(message)};
}

}  // namespace ledger::core

// The one rule for text entering the log: valid UTF-8 (no overlong forms, no
// surrogates, nothing above U+10FFFF) and no control characters (C0, DEL,
// C1); a multi-line field (reasons, descriptions, free-text answers) may also
// hold newlines (LF) and tabs. Every decider applies it to every text field
// of every command through core::Decide (see CommandTextProblems in
// domain.h); the edges (JSON bodies, forms, CSV files) apply it too, to name
// the field before anything is decided. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/core/rejection.h"

namespace ledger::core {

enum class TextKind : uint8_t { kSingleLine = 0, kMultiLine = 1 };

// Why a text is refused: nullopt when it is acceptable for a field of `kind`,
// otherwise "invalid_utf8" or "control_character".
std::optional<std::string_view> TextProblemCode(std::string_view text, TextKind kind);

inline bool IsValidText(std::string_view text, TextKind kind) { return !TextProblemCode(text, kind).has_value(); }

// The field error for `text` at `path` (codes as TextProblemCode), or nullopt.
std::optional<FieldError> TextProblem(std::string path, std::string_view text, TextKind kind);

}  // namespace ledger::core

#include "ledger/eventstore/envelope.h"

#include <charconv>
#include <optional>

#include "ledger/base/hex.h"
#include "ledger/eventstore/event_store.h"

namespace ledger::es {

std::string HashToHex(const Hash& hash) { return base::ToHex(hash); }

bool HashFromHex(const std::string& hex, Hash* out) { return base::FromHex(hex, *out); }

std::optional<ExpectedVersion> ExpectedVersion::Parse(std::string_view text) {
  if (text == "any") return Any();
  if (text == "no-stream") return NoStream();
  if (text.empty() || text.size() > 19) return std::nullopt;
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return Exact(v);
}

}  // namespace ledger::es

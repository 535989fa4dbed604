// LogAccountDirectory: people as their account streams say they are now.
#include <variant>

#include "ledger/core/streams.h"
#include "ledger/http/api.h"

namespace ledger::http {
namespace {

// Bounds the principals kept; past it they are dropped and read again as needed.
constexpr std::size_t kMaxKnown = 100'000;

// The account's current state, or nullopt when there is no such account (or
// the name could not be one, or the store could not be read). `version`, when
// given, is set to the stream version the state was folded from.
std::optional<core::AccountState> LoadAccount(app::CommandBus& bus, const std::string& username,
                                              uint64_t* version = nullptr) {
  if (!core::IsValidUsername(username)) return std::nullopt;
  auto loaded = bus.LoadStream(core::AccountStream(username));
  if (!loaded.ok() || loaded->version == 0) return std::nullopt;
  const auto* account = std::get_if<core::AccountState>(&loaded->state);
  if (account == nullptr || account->status == core::AccountStatus::kNone) return std::nullopt;
  if (version != nullptr) *version = loaded->version;
  return *account;
}

}  // namespace

std::optional<Credentials> LogAccountDirectory::FindCredentials(const std::string& username) const {
  auto account = LoadAccount(bus_, username);
  if (!account) return std::nullopt;
  return Credentials{account->password_hash, core::PrincipalFrom(*account)};
}

std::optional<core::Principal> LogAccountDirectory::FindPrincipal(const std::string& username) const {
  if (!core::IsValidUsername(username)) return std::nullopt;
  auto current = store_.StreamVersion(core::AccountStream(username));
  if (!current.ok() || *current == 0) return std::nullopt;
  {
    std::lock_guard lock(mu_);
    auto it = known_.find(username);
    if (it != known_.end() && it->second.version == *current) return it->second.principal;
  }
  uint64_t version = 0;
  auto account = LoadAccount(bus_, username, &version);
  if (!account) return std::nullopt;
  core::Principal principal = core::PrincipalFrom(*account);
  std::lock_guard lock(mu_);
  if (known_.size() >= kMaxKnown) known_.clear();
  known_[username] = Known{version, principal};
  return principal;
}

}  // namespace ledger::http

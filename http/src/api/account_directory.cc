// LogAccountDirectory: people as their account streams say they are now.
#include <variant>

#include "ledger/core/streams.h"
#include "ledger/http/api.h"

namespace ledger::http {
namespace {

// The account's current state, or nullopt when there is no such account (or
// the name could not be one, or the store could not be read).
std::optional<core::AccountState> LoadAccount(app::CommandBus& bus, const std::string& username) {
  if (!core::IsValidUsername(username)) return std::nullopt;
  auto loaded = bus.LoadStream(core::AccountStream(username));
  if (!loaded.ok() || loaded->version == 0) return std::nullopt;
  const auto* account = std::get_if<core::AccountState>(&loaded->state);
  if (account == nullptr || account->status == core::AccountStatus::kNone) return std::nullopt;
  return *account;
}

}  // namespace

std::optional<Credentials> LogAccountDirectory::FindCredentials(const std::string& username) const {
  auto account = LoadAccount(bus_, username);
  if (!account) return std::nullopt;
  return Credentials{account->password_hash, core::PrincipalFrom(*account)};
}

std::optional<core::Principal> LogAccountDirectory::FindPrincipal(const std::string& username) const {
  auto account = LoadAccount(bus_, username);
  if (!account) return std::nullopt;
  return core::PrincipalFrom(*account);
}

}  // namespace ledger::http

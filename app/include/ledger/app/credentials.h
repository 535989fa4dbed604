// Accounts and credentials: the one password hasher (Argon2id via libsodium)
// and the account directory sign-in finds people in.
//
// Used by the server's sign-in (http), the account forms of the API and the
// portal, `ledger user` and the simulator. Hashes are libsodium's encoded
// "$argon2id$v=19$m=...,t=...,p=1$salt$hash" strings, so every hash stored in
// an account stream verifies with VerifyPassword.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ledger/app/command_bus.h"
#include "ledger/core/access.h"
#include "ledger/core/account.h"
#include "ledger/eventstore/event_store.h"

namespace ledger::app {

// ---- Passwords ---------------------------------------------------------------

// The shortest password anyone may choose or be given.
inline constexpr std::size_t kMinPasswordLength = 12;

enum class PasswordCost {
  kInteractive,  // crypto_pwhash_*_INTERACTIVE: the production setting
  kMinimum,      // crypto_pwhash_*_MIN: only for tests and fixtures
};
// An encoded "$argon2id$..." string with a fresh random salt. Thread-safe.
// Throws std::bad_alloc if the memory limit cannot be met.
std::string HashPassword(std::string_view password, PasswordCost cost = PasswordCost::kInteractive);
// The same encoding with a salt derived from `salt_seed` (interactive cost):
// the same inputs give the same string. Only for simulated accounts, whose
// history must be reproducible; real accounts use HashPassword.
std::string HashPasswordDeterministic(std::string_view password, uint64_t salt_seed);
// Whether password matches hash; false for a malformed hash. Thread-safe.
bool VerifyPassword(std::string_view hash, std::string_view password);

// ---- The account directory -----------------------------------------------------

struct Credentials {
  std::string password_hash;  // from HashPassword
  core::Principal principal;
  // Why an inactive principal is inactive (awaiting approval, disabled, refused).
  core::AccountStatus status = core::AccountStatus::kNone;
};

// Where sign-in finds people. Implementations must be thread-safe.
class AccountDirectory {
 public:
  virtual ~AccountDirectory() = default;
  // The stored hash and principal of a username; nullopt when unknown.
  virtual std::optional<Credentials> FindCredentials(const std::string& username) const = 0;
  // The current principal (roles, active flag) of a username; asked on every
  // request so a disabled account or a changed role takes effect at once.
  virtual std::optional<core::Principal> FindPrincipal(const std::string& username) const = 0;
};

// The principal whose username and password these are, when the account is
// active; nullopt otherwise. An unknown username costs one verification of
// `dummy_hash`, so a caller cannot tell it from a wrong password by time.
// The one password check of sign-in. Thread-safe.
std::optional<core::Principal> CheckPassword(const AccountDirectory& accounts, const std::string& username,
                                             std::string_view password, std::string_view dummy_hash);

// The same check, saying why an account whose password matched may not sign
// in: awaiting its administrator's approval, or disabled. A wrong password, an
// unknown username and a refused account are all kRefused, so nothing is
// told about an account without its password. Thread-safe.
struct PasswordCheck {
  enum class Outcome { kSignedIn, kRefused, kAwaitingApproval, kDisabled };
  Outcome outcome = Outcome::kRefused;
  std::optional<core::Principal> principal;  // kSignedIn
};
PasswordCheck CheckSignIn(const AccountDirectory& accounts, const std::string& username, std::string_view password,
                          std::string_view dummy_hash);

// The directory over the account streams. Thread-safe. Never logs a hash.
// FindPrincipal keeps each person's principal with the version of the account
// stream it was folded from, and folds the stream again only when one point
// read of the stream's version shows it moved on (an account stream only
// grows, so an unchanged version is an unchanged account).
class LogAccountDirectory final : public AccountDirectory {
 public:
  // REQUIRES: `store` is the log `bus` runs on.
  LogAccountDirectory(CommandBus& bus, es::EventStore& store) : bus_(bus), store_(store) {}
  std::optional<Credentials> FindCredentials(const std::string& username) const override;
  std::optional<core::Principal> FindPrincipal(const std::string& username) const override;

 private:
  struct Known {
    uint64_t version = 0;
    core::Principal principal;
  };
  CommandBus& bus_;
  es::EventStore& store_;
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, Known> known_;  // by username; at most kMaxKnown entries
};

}  // namespace ledger::app

// The password hasher and the account directory over the account streams.
#include "ledger/app/credentials.h"

#include <sodium.h>

#include <array>
#include <new>
#include <semaphore>
#include <stdexcept>
#include <utility>
#include <variant>

#include <fmt/format.h>

#include "ledger/core/streams.h"

namespace ledger::app {
namespace {

constexpr unsigned long long kInteractiveOps = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
constexpr std::size_t kInteractiveMem = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
constexpr int kArgon2Version = 19;  // 0x13, the only version libsodium writes

// Bounds the principals kept; past it they are dropped and read again as needed.
constexpr std::size_t kMaxKnown = 100'000;

// Argon2id takes 64 MiB per hash at the interactive cost. Request threads
// can be many (changes wait for their fsync on threads of their own), so at
// most this many hashes run at once: password work stays under 512 MiB
// whatever the number of sign-ins in flight; the rest wait their turn.
constexpr std::ptrdiff_t kHashesAtOnce = 8;

class HashTurn {
 public:
  HashTurn() { Slots().acquire(); }
  ~HashTurn() { Slots().release(); }
  HashTurn(const HashTurn&) = delete;
  HashTurn& operator=(const HashTurn&) = delete;

 private:
  static std::counting_semaphore<kHashesAtOnce>& Slots() {
    static std::counting_semaphore<kHashesAtOnce> slots(kHashesAtOnce);
    return slots;
  }
};

void EnsureSodium() {
  static const bool ok = sodium_init() >= 0;
  if (!ok) throw std::runtime_error("libsodium failed to initialise");
}

std::string Base64(const unsigned char* bytes, std::size_t size) {
  std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, size, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

// The account's current state, or nullopt when there is no such account (or
// the name could not be one, or the store could not be read). `version`, when
// given, is set to the stream version the state was folded from.
std::optional<core::AccountState> LoadAccount(CommandBus& bus, const std::string& username,
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

// ---- Passwords -------------------------------------------------------------------

std::string HashPassword(std::string_view password, PasswordCost cost) {
  EnsureSodium();
  unsigned long long ops = kInteractiveOps;
  std::size_t mem = kInteractiveMem;
  if (cost == PasswordCost::kMinimum) {
    ops = crypto_pwhash_argon2id_OPSLIMIT_MIN;
    mem = crypto_pwhash_argon2id_MEMLIMIT_MIN;
  }
  std::array<char, crypto_pwhash_STRBYTES> out{};
  HashTurn turn;
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), ops, mem, crypto_pwhash_ALG_ARGON2ID13) !=
      0) {
    throw std::bad_alloc();
  }
  return out.data();
}

std::string HashPasswordDeterministic(std::string_view password, uint64_t salt_seed) {
  EnsureSodium();
  std::array<unsigned char, crypto_pwhash_SALTBYTES> salt{};
  std::string seed_text = fmt::format("ledger-simulated-account-salt-{}", salt_seed);
  crypto_generichash(salt.data(), salt.size(), reinterpret_cast<const unsigned char*>(seed_text.data()),
                     seed_text.size(), nullptr, 0);
  std::array<unsigned char, 32> hash{};
  HashTurn turn;
  if (crypto_pwhash(hash.data(), hash.size(), password.data(), password.size(), salt.data(), kInteractiveOps,
                    kInteractiveMem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::bad_alloc();
  }
  return fmt::format("$argon2id$v={}$m={},t={},p=1${}${}", kArgon2Version, kInteractiveMem / 1024, kInteractiveOps,
                     Base64(salt.data(), salt.size()), Base64(hash.data(), hash.size()));
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  EnsureSodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string terminated(hash);  // crypto_pwhash_str_verify wants a C string
  HashTurn turn;
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

// ---- Sign-in's password check --------------------------------------------------------

PasswordCheck CheckSignIn(const AccountDirectory& accounts, const std::string& username, std::string_view password,
                          std::string_view dummy_hash) {
  using Outcome = PasswordCheck::Outcome;
  std::optional<Credentials> creds = accounts.FindCredentials(username);
  if (!creds) {
    (void)VerifyPassword(dummy_hash, password);  // the same work as for a real account
    return {};
  }
  if (!VerifyPassword(creds->password_hash, password)) return {};
  if (creds->principal.active) return {Outcome::kSignedIn, std::move(creds->principal)};
  if (creds->status == core::AccountStatus::kRequested) return {Outcome::kAwaitingApproval, std::nullopt};
  if (creds->status == core::AccountStatus::kDisabled) return {Outcome::kDisabled, std::nullopt};
  return {};
}

std::optional<core::Principal> CheckPassword(const AccountDirectory& accounts, const std::string& username,
                                             std::string_view password, std::string_view dummy_hash) {
  return CheckSignIn(accounts, username, password, dummy_hash).principal;
}

// ---- LogAccountDirectory ---------------------------------------------------------------

std::optional<Credentials> LogAccountDirectory::FindCredentials(const std::string& username) const {
  auto account = LoadAccount(bus_, username);
  if (!account) return std::nullopt;
  return Credentials{account->password_hash, core::PrincipalFrom(*account), account->status};
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

}  // namespace ledger::app

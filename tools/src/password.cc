#include "password.h"

#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <iostream>

#include <fmt/format.h>

namespace ledger::tools {
namespace {

constexpr unsigned long long kOpsLimit = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
constexpr size_t kMemLimit = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
constexpr size_t kMinPasswordBytes = 12;
constexpr int kArgon2Version = 19;  // 0x13, the only version libsodium writes

bool InitSodium() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

std::string Base64(const unsigned char* bytes, size_t size) {
  std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, size, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

bool ReadLineNoEcho(std::string* line) {
  termios old_attrs{};
  bool terminal = tcgetattr(STDIN_FILENO, &old_attrs) == 0;
  if (terminal) {
    termios quiet = old_attrs;
    quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  bool ok = static_cast<bool>(std::getline(std::cin, *line));
  if (terminal) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old_attrs);
    fmt::print(stderr, "\n");
  }
  return ok;
}

}  // namespace

std::string HashPassword(std::string_view password) {
  if (!InitSodium()) return {};
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return {};
  return out.data();
}

std::string HashPasswordDeterministic(std::string_view password, uint64_t salt_seed) {
  if (!InitSodium()) return {};
  std::array<unsigned char, crypto_pwhash_SALTBYTES> salt{};
  std::string seed_text = fmt::format("ledger-simulated-account-salt-{}", salt_seed);
  crypto_generichash(salt.data(), salt.size(), reinterpret_cast<const unsigned char*>(seed_text.data()),
                     seed_text.size(), nullptr, 0);
  std::array<unsigned char, 32> hash{};
  if (crypto_pwhash(hash.data(), hash.size(), password.data(), password.size(), salt.data(), kOpsLimit, kMemLimit,
                    crypto_pwhash_ALG_ARGON2ID13) != 0)
    return {};
  return fmt::format("$argon2id$v={}$m={},t={},p=1${}${}", kArgon2Version, kMemLimit / 1024,
                     kOpsLimit, Base64(salt.data(), salt.size()), Base64(hash.data(), hash.size()));
}

bool ReadNewPassword(std::string* password, std::string* error) {
  if (isatty(STDIN_FILENO) == 1) {
    fmt::print(stderr, "New password: ");
    std::string first, second;
    if (!ReadLineNoEcho(&first)) {
      *error = "no password was entered: run the command again and type the password at the prompt";
      return false;
    }
    fmt::print(stderr, "Repeat the password: ");
    if (!ReadLineNoEcho(&second) || first != second) {
      *error = "the two passwords differ: run the command again and type the same password twice";
      return false;
    }
    *password = std::move(first);
  } else {
    std::string line;
    if (!std::getline(std::cin, line)) {
      *error = "no password on standard input: pipe one line holding the password, e.g. `printf '%s\\n' \"$PW\" | "
               "ledger user ...`";
      return false;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    *password = std::move(line);
  }
  if (password->size() < kMinPasswordBytes) {
    *error = fmt::format("the password is too short: use at least {} characters", kMinPasswordBytes);
    return false;
  }
  return true;
}

}  // namespace ledger::tools

// Passwords for `ledger user` and the simulator: Argon2id via libsodium, with
// libsodium's interactive limits, in the standard "$argon2id$..." form that
// crypto_pwhash_str_verify (the server's sign-in) accepts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ledger::tools {

// A fresh Argon2id hash with a random salt. Empty on failure (out of memory).
std::string HashPassword(std::string_view password);

// An Argon2id hash with a salt derived from `salt_seed`: the same inputs give
// the same string. Only for simulated accounts, whose history must be
// reproducible; real accounts use HashPassword.
std::string HashPasswordDeterministic(std::string_view password, uint64_t salt_seed);

// Reads a new password: on a terminal, prompts twice without echo; otherwise
// reads one line of stdin. Returns false with a sentence in *error.
bool ReadNewPassword(std::string* password, std::string* error);

}  // namespace ledger::tools

// Reading a new password at the command line for `ledger user`. Hashing is
// app::HashPassword (ledger/app/credentials.h), the server's own.
#pragma once

#include <string>

namespace ledger::tools {

// Reads a new password: on a terminal, prompts twice without echo; otherwise
// reads one line of stdin. Returns false with a sentence in *error.
bool ReadNewPassword(std::string* password, std::string* error);

}  // namespace ledger::tools

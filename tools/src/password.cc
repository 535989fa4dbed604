#include "password.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include <fmt/format.h>

#include "ledger/app/credentials.h"

namespace ledger::tools {
namespace {

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
      *error =
          "no password on standard input: pipe one line holding the password, e.g. `printf '%s\\n' \"$PW\" | "
          "ledger user ...`";
      return false;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    *password = std::move(line);
  }
  if (password->size() < app::kMinPasswordLength) {
    *error = fmt::format("the password is too short: use at least {} characters", app::kMinPasswordLength);
    return false;
  }
  return true;
}

}  // namespace ledger::tools

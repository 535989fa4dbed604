// Rejection: why a command was refused, as a value with a stable code.
//
// Codes are part of the API (they become RFC 9457 problem types) and never
// change meaning once published. Messages are written for a practice manager.
#pragma once

#include <boost/describe/class.hpp>

#include <string>
#include <utility>
#include <vector>

#include "ledger/base/expected.h"

namespace ledger::core {

// One problem with one field of a claim or form, e.g.
// {"components.flu_65_plus", "value_out_of_range", "Enter a number of vaccinations between 0 and 5,000"}.
struct FieldError {
  std::string path;     // where: "period", "components.<id>", "answers.<id>", "evidence"
  std::string code;     // stable machine code
  std::string message;  // human sentence
  bool operator==(const FieldError&) const = default;
};
BOOST_DESCRIBE_STRUCT(FieldError, (), (path, code, message))

struct Rejection {
  enum class Kind {
    kForbidden,  // the actor may not do this (HTTP 403, or 404 when hiding existence)
    kNotFound,   // the thing does not exist (or is not visible to the actor)
    kInvalid,    // the command's fields are wrong (HTTP 400/422); see errors
    kConflict,   // the state does not allow it now (HTTP 409), e.g. approving a draft
  };
  Kind kind = Kind::kInvalid;
  std::string code;                // stable machine code, e.g. "separation_of_duties"
  std::string message;             // human sentence
  std::vector<FieldError> errors;  // for kInvalid: every field problem at once

  static Rejection Forbidden(std::string code, std::string message) {
    return {Kind::kForbidden, std::move(code), std::move(message), {}};
  }
  static Rejection NotFound(std::string code, std::string message) {
    return {Kind::kNotFound, std::move(code), std::move(message), {}};
  }
  static Rejection Invalid(std::string code, std::string message, std::vector<FieldError> errors = {}) {
    return {Kind::kInvalid, std::move(code), std::move(message), std::move(errors)};
  }
  static Rejection Conflict(std::string code, std::string message) {
    return {Kind::kConflict, std::move(code), std::move(message), {}};
  }
};

// Outcome<T>: a T, or the Rejection that stopped it (base/expected.h).
template <typename T>
class [[nodiscard]] Outcome : public base::Expected<T, Rejection> {
 public:
  Outcome(T value) : base::Expected<T, Rejection>(std::move(value)) {}                  // NOLINT: implicit by design
  Outcome(Rejection rejection) : base::Expected<T, Rejection>(std::move(rejection)) {}  // NOLINT
  const Rejection& rejection() const { return this->error(); }
};

}  // namespace ledger::core

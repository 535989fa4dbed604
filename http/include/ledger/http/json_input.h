// Strict JSON input: read a request body into typed fields and collect every
// problem at once.
//
//   JsonInput in(call.request());
//   if (auto bad = in.Open()) return *bad;              // 415 or malformed JSON
//   std::string name = in.String("name", {.max_length = 200});
//   core::Pence amount = in.Pence("amount_pence");
//   JsonInput::Object item = in.Child("components");    // nested object, "components.x" paths
//   if (auto bad = in.Finish()) return *bad;            // 400 listing every field error
//
// A field is required unless read with an Optional* method. Any member that no
// read asked for is reported as unknown_field. Open refuses a key repeated
// within one object (duplicate_key, at every level) and any key or string
// that breaks the text rule of core/text.h (invalid_utf8, control_character;
// new lines and tabs pass here, the deciders refuse them in one-line fields).
// Error codes: malformed_json, not_an_object, duplicate_key, invalid_utf8,
// control_character, required, wrong_type, too_long, negative, fractional,
// out_of_range, unknown_field. Not thread-safe; one per request.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "ledger/core/rejection.h"
#include "ledger/core/types.h"
#include "ledger/http/message.h"

namespace ledger::http {

struct StringRules {
  std::size_t max_length = 1000;  // in bytes of UTF-8
  bool allow_empty = false;
};

struct IntRules {
  int64_t min = INT64_MIN;
  int64_t max = INT64_MAX;
};

// Why a JSON value is not a whole number within `rules` (the error's path is
// left empty for the caller): with `negative_code` (amounts, claimed values)
// "negative" for any number below zero when rules.min >= 0 (-5, -1.5);
// "fractional" for a number with a fraction part (12.5); "wrong_type" for a
// whole number written with a decimal point or an exponent (100.0, 1e2) or
// for anything but a number ("100"); "out_of_range" beyond the rules. nullopt
// for an integer within them (100).
std::optional<core::FieldError> WholeNumberProblem(const boost::json::value& v, const IntRules& rules,
                                                   bool negative_code = false);

class JsonInput {
 public:
  // A view of one object in the body: the body itself or a nested member.
  class Object {
   public:
    std::string String(std::string_view field, StringRules rules = {});
    std::optional<std::string> OptionalString(std::string_view field, StringRules rules = {});
    // A whole number of pence: a JSON integer >= 0.
    core::Pence Pence(std::string_view field);
    std::optional<core::Pence> OptionalPence(std::string_view field);
    int64_t Int(std::string_view field, IntRules rules = {});
    std::optional<int64_t> OptionalInt(std::string_view field, IntRules rules = {});
    bool Bool(std::string_view field);
    std::optional<bool> OptionalBool(std::string_view field);
    // A nested object; its members are checked like the top level's.
    Object Child(std::string_view field);
    std::optional<Object> OptionalChild(std::string_view field);
    // An array of strings.
    std::vector<std::string> Strings(std::string_view field, StringRules rules = {});
    // An array of objects, each checked like a nested object; an element
    // that is no object is wrong_type at "field.i".
    std::vector<Object> Objects(std::string_view field);
    // Whether the member is present and not null (marks nothing as read).
    bool Has(std::string_view field) const;
    // `v` (e.g. a member of a map read with Raw) as a whole number within
    // `rules`, or nullopt with the error recorded at `field` (codes as
    // WholeNumberProblem with negative_code).
    std::optional<int64_t> WholeNumber(std::string_view field, const boost::json::value& v, IntRules rules = {});
    // Raw access for shapes the helpers do not cover: marks field as known.
    const boost::json::value* Raw(std::string_view field);
    // The members of this object (e.g. to iterate a map of id -> number).
    // Marks every member known.
    const boost::json::object& Members();
    // Records an error of the caller's own (e.g. a cross-field rule).
    void Fail(std::string_view field, std::string code, std::string message);
    // "components.flu" for field "flu" under "components".
    std::string PathOf(std::string_view field) const;

   private:
    friend class JsonInput;
    struct State;
    Object(std::shared_ptr<State> state, const boost::json::object* object, std::string prefix);
    const boost::json::value* Take(std::string_view field, bool required);
    void Expect(std::string_view field, std::string_view what);
    std::shared_ptr<State> state_;
    const boost::json::object* object_ = nullptr;  // null when the body was unusable
    std::string prefix_;
    std::size_t node_ = 0;
  };

  explicit JsonInput(const Request& request);
  // Checks the content type (application/json) and parses. nullopt when the
  // body is a JSON object; otherwise the 415 or 400 answer.
  std::optional<Response> Open();
  // Reads on the top-level object (valid after a successful Open).
  Object& body() { return root_; }
  std::string String(std::string_view f, StringRules r = {}) { return root_.String(f, r); }
  std::optional<std::string> OptionalString(std::string_view f, StringRules r = {}) {
    return root_.OptionalString(f, r);
  }
  core::Pence Pence(std::string_view f) { return root_.Pence(f); }
  std::optional<core::Pence> OptionalPence(std::string_view f) { return root_.OptionalPence(f); }
  int64_t Int(std::string_view f, IntRules r = {}) { return root_.Int(f, r); }
  std::optional<int64_t> OptionalInt(std::string_view f, IntRules r = {}) { return root_.OptionalInt(f, r); }
  bool Bool(std::string_view f) { return root_.Bool(f); }
  std::optional<bool> OptionalBool(std::string_view f) { return root_.OptionalBool(f); }
  Object Child(std::string_view f) { return root_.Child(f); }
  std::vector<std::string> Strings(std::string_view f, StringRules r = {}) { return root_.Strings(f, r); }
  void Fail(std::string_view f, std::string code, std::string message) {
    root_.Fail(f, std::move(code), std::move(message));
  }

  // Adds unknown_field errors and returns the 400 answer listing every error,
  // or nullopt when the input is clean. REQUIRES Open() succeeded (throws
  // std::logic_error otherwise: reading an unopened body is a bug).
  std::optional<Response> Finish();
  // The errors so far (after Finish, including unknown fields).
  const std::vector<core::FieldError>& errors() const;

 private:
  const Request& request_;
  boost::json::value document_;
  std::shared_ptr<Object::State> state_;
  Object root_;
  bool opened_ = false;
};

}  // namespace ledger::http

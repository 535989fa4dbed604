#include "ledger/http/json_input.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>

#include <fmt/format.h>
#include <cmath>
#include <set>
#include <stdexcept>

#include "ledger/core/text.h"
#include "ledger/http/problem.h"

namespace ledger::http {
namespace {

// A first pass over the body with Boost.JSON's SAX parser, for what the DOM
// cannot tell afterwards: a key repeated within one object (the DOM keeps
// one of them silently), and the first text (key or string) that breaks the
// text rule of core/text.h, each with its path ("a.b", "list.0.c").
class BodyCheck {
 public:
  static constexpr std::size_t max_array_size = -1;
  static constexpr std::size_t max_object_size = -1;
  static constexpr std::size_t max_string_size = -1;
  static constexpr std::size_t max_key_size = -1;

  std::optional<core::FieldError> problem;

  bool on_document_begin(boost::system::error_code&) { return true; }
  bool on_document_end(boost::system::error_code&) { return true; }
  bool on_array_begin(boost::system::error_code&) { return Open(false); }
  bool on_array_end(std::size_t, boost::system::error_code&) { return Close(); }
  bool on_object_begin(boost::system::error_code&) { return Open(true); }
  bool on_object_end(std::size_t, boost::system::error_code&) { return Close(); }
  bool on_string_part(boost::json::string_view s, std::size_t, boost::system::error_code&) { return Part(s); }
  bool on_string(boost::json::string_view s, std::size_t, boost::system::error_code& ec) {
    Part(s);
    std::string path = Slot();
    return CheckText(std::move(path), core::TextKind::kMultiLine, ec);
  }
  bool on_key_part(boost::json::string_view s, std::size_t, boost::system::error_code&) { return Part(s); }
  bool on_key(boost::json::string_view s, std::size_t, boost::system::error_code& ec) {
    Part(s);
    Frame& frame = frames_.back();
    std::string path = frame.prefix + (core::IsValidText(text_, core::TextKind::kSingleLine) ? text_ : "?");
    frame.key = text_;
    if (!frame.keys.insert(text_).second) {
      problem = core::FieldError{path, "duplicate_key", "This key appears more than once in its object."};
      return Stop(ec);
    }
    return CheckText(std::move(path), core::TextKind::kSingleLine, ec);
  }
  bool on_number_part(boost::json::string_view, boost::system::error_code&) { return true; }
  bool on_int64(int64_t, boost::json::string_view, boost::system::error_code&) { return Scalar(); }
  bool on_uint64(uint64_t, boost::json::string_view, boost::system::error_code&) { return Scalar(); }
  bool on_double(double, boost::json::string_view, boost::system::error_code&) { return Scalar(); }
  bool on_bool(bool, boost::system::error_code&) { return Scalar(); }
  bool on_null(boost::system::error_code&) { return Scalar(); }
  bool on_comment_part(boost::json::string_view, boost::system::error_code&) { return true; }
  bool on_comment(boost::json::string_view, boost::system::error_code&) { return true; }

 private:
  struct Frame {
    bool object = false;
    std::string prefix;  // "" at the top, otherwise "<path>."
    std::set<std::string, std::less<>> keys;
    std::string key;        // the object's member being read
    std::size_t index = 0;  // the array's next element
  };

  // The path of the value starting now (and moves an array on by one).
  std::string Slot() {
    if (frames_.empty()) return "";
    Frame& frame = frames_.back();
    if (frame.object)
      return frame.prefix + (core::IsValidText(frame.key, core::TextKind::kSingleLine) ? frame.key : "?");
    return frame.prefix + std::to_string(frame.index++);
  }
  bool Open(bool object) {
    std::string path = Slot();
    frames_.push_back(Frame{object, frames_.empty() ? "" : path + ".", {}, {}, 0});
    return true;
  }
  bool Close() {
    frames_.pop_back();
    return true;
  }
  bool Scalar() {
    Slot();
    return true;
  }
  bool Part(boost::json::string_view s) {
    text_.append(s.data(), s.size());
    return true;
  }
  bool CheckText(std::string path, core::TextKind kind, boost::system::error_code& ec) {
    std::string text = std::move(text_);
    text_.clear();
    problem = core::TextProblem(std::move(path), text, kind);
    return problem ? Stop(ec) : true;
  }
  static bool Stop(boost::system::error_code& ec) {
    ec = boost::json::make_error_code(boost::json::error::syntax);
    return false;
  }

  std::vector<Frame> frames_;
  std::string text_;  // the key or string being read, across its parts
};

// The duplicate key or bad text of a body that parses, or nullopt.
std::optional<core::FieldError> CheckBody(const std::string& body) {
  boost::json::basic_parser<BodyCheck> parser(boost::json::parse_options{});
  boost::system::error_code ec;
  parser.write_some(false, body.data(), body.size(), ec);
  return std::move(parser.handler().problem);
}

}  // namespace

struct JsonInput::Object::State {
  struct Node {
    const boost::json::object* object;
    std::string prefix;
    std::set<std::string, std::less<>> seen;
    bool all_seen = false;
  };
  std::vector<core::FieldError> errors;
  std::vector<Node> nodes;
};

JsonInput::Object::Object(std::shared_ptr<State> state, const boost::json::object* object, std::string prefix)
    : state_(std::move(state)), object_(object), prefix_(std::move(prefix)) {
  if (object_ != nullptr) {
    node_ = state_->nodes.size();
    state_->nodes.push_back({object_, prefix_, {}, false});
  }
}

std::string JsonInput::Object::PathOf(std::string_view field) const { return prefix_ + std::string(field); }

void JsonInput::Object::Fail(std::string_view field, std::string code, std::string message) {
  state_->errors.push_back({PathOf(field), std::move(code), std::move(message)});
}

void JsonInput::Object::Expect(std::string_view field, std::string_view what) {
  Fail(field, "wrong_type", fmt::format("Must be {}.", what));
}

const boost::json::value* JsonInput::Object::Take(std::string_view field, bool required) {
  if (object_ == nullptr) return nullptr;
  state_->nodes[node_].seen.emplace(field);
  auto it = object_->find(field);
  if (it == object_->end() || (it->value().is_null() && !required)) {
    if (required) Fail(field, "required", "This field is required.");
    return nullptr;
  }
  if (it->value().is_null()) {
    Fail(field, "required", "This field is required.");
    return nullptr;
  }
  return &it->value();
}

namespace {

bool CheckString(JsonInput::Object& o, std::string_view field, const boost::json::value& v, const StringRules& rules,
                 std::string* out) {
  if (!v.is_string()) {
    o.Fail(field, "wrong_type", "Must be a string.");
    return false;
  }
  const auto& s = v.get_string();
  if (s.size() > rules.max_length) {
    o.Fail(field, "too_long", fmt::format("Must be at most {} characters.", rules.max_length));
    return false;
  }
  if (s.empty() && !rules.allow_empty) {
    o.Fail(field, "required", "This field must not be empty.");
    return false;
  }
  *out = std::string(s.data(), s.size());
  return true;
}

bool CheckInt(JsonInput::Object& o, std::string_view field, const boost::json::value& v, const IntRules& rules,
              int64_t* out) {
  if (auto problem = WholeNumberProblem(v, rules, /*negative_code=*/false)) {
    o.Fail(field, std::move(problem->code), std::move(problem->message));
    return false;
  }
  *out = v.get_int64();
  return true;
}

// A whole number >= 0 (amounts, claimed values), with "negative" for one below zero.
bool CheckCount(JsonInput::Object& o, std::string_view field, const boost::json::value& v, const IntRules& rules,
                int64_t* out) {
  if (auto problem = WholeNumberProblem(v, rules, /*negative_code=*/true)) {
    o.Fail(field, std::move(problem->code), std::move(problem->message));
    return false;
  }
  *out = v.get_int64();
  return true;
}

bool CheckPence(JsonInput::Object& o, std::string_view field, const boost::json::value& v, int64_t* out) {
  return CheckCount(o, field, v, IntRules{0, INT64_MAX}, out);
}

}  // namespace

std::optional<core::FieldError> WholeNumberProblem(const boost::json::value& v, const IntRules& rules,
                                                   bool negative_code) {
  const std::string range = fmt::format("Must be between {} and {}.", rules.min, rules.max);
  const bool below_zero = (v.is_int64() && v.get_int64() < 0) || (v.is_double() && v.get_double() < 0);
  if (negative_code && below_zero && rules.min >= 0) return core::FieldError{"", "negative", "Must not be negative."};
  if (v.is_int64()) {
    if (v.get_int64() >= rules.min && v.get_int64() <= rules.max) return std::nullopt;
    return core::FieldError{"", "out_of_range", range};
  }
  if (v.is_uint64()) return core::FieldError{"", "out_of_range", range};
  if (v.is_double() && v.get_double() != std::trunc(v.get_double())) {
    return core::FieldError{"", "fractional", "Must be a whole number."};
  }
  if (v.is_double()) {
    return core::FieldError{"", "wrong_type", "Must be a whole number written without a decimal point or exponent."};
  }
  return core::FieldError{"", "wrong_type", "Must be a whole number."};
}

std::optional<int64_t> JsonInput::Object::WholeNumber(std::string_view field, const boost::json::value& v,
                                                      IntRules rules) {
  int64_t out = 0;
  if (CheckCount(*this, field, v, rules, &out)) return out;
  return std::nullopt;
}

std::string JsonInput::Object::String(std::string_view field, StringRules rules) {
  std::string out;
  if (const auto* v = Take(field, true)) CheckString(*this, field, *v, rules, &out);
  return out;
}

std::optional<std::string> JsonInput::Object::OptionalString(std::string_view field, StringRules rules) {
  std::string out;
  if (const auto* v = Take(field, false); v && CheckString(*this, field, *v, rules, &out)) return out;
  return std::nullopt;
}

core::Pence JsonInput::Object::Pence(std::string_view field) {
  int64_t out = 0;
  if (const auto* v = Take(field, true)) CheckPence(*this, field, *v, &out);
  return out;
}

std::optional<core::Pence> JsonInput::Object::OptionalPence(std::string_view field) {
  int64_t out = 0;
  if (const auto* v = Take(field, false); v && CheckPence(*this, field, *v, &out)) return out;
  return std::nullopt;
}

int64_t JsonInput::Object::Int(std::string_view field, IntRules rules) {
  int64_t out = 0;
  if (const auto* v = Take(field, true)) CheckInt(*this, field, *v, rules, &out);
  return out;
}

std::optional<int64_t> JsonInput::Object::OptionalInt(std::string_view field, IntRules rules) {
  int64_t out = 0;
  if (const auto* v = Take(field, false); v && CheckInt(*this, field, *v, rules, &out)) return out;
  return std::nullopt;
}

bool JsonInput::Object::Bool(std::string_view field) {
  if (const auto* v = Take(field, true)) {
    if (v->is_bool()) return v->get_bool();
    Expect(field, "true or false");
  }
  return false;
}

std::optional<bool> JsonInput::Object::OptionalBool(std::string_view field) {
  if (const auto* v = Take(field, false)) {
    if (v->is_bool()) return v->get_bool();
    Expect(field, "true or false");
  }
  return std::nullopt;
}

JsonInput::Object JsonInput::Object::Child(std::string_view field) {
  const auto* v = Take(field, true);
  if (v != nullptr && !v->is_object()) {
    Expect(field, "an object");
    v = nullptr;
  }
  return Object(state_, v ? &v->get_object() : nullptr, PathOf(field) + ".");
}

std::optional<JsonInput::Object> JsonInput::Object::OptionalChild(std::string_view field) {
  const auto* v = Take(field, false);
  if (v == nullptr) return std::nullopt;
  if (!v->is_object()) {
    Expect(field, "an object");
    return std::nullopt;
  }
  return Object(state_, &v->get_object(), PathOf(field) + ".");
}

std::vector<std::string> JsonInput::Object::Strings(std::string_view field, StringRules rules) {
  std::vector<std::string> out;
  const auto* v = Take(field, true);
  if (v == nullptr) return out;
  if (!v->is_array()) {
    Expect(field, "an array of strings");
    return out;
  }
  const auto& array = v->get_array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    std::string s;
    if (CheckString(*this, fmt::format("{}[{}]", field, i), array[i], rules, &s)) out.push_back(std::move(s));
  }
  return out;
}

std::vector<JsonInput::Object> JsonInput::Object::Objects(std::string_view field) {
  std::vector<Object> out;
  const auto* v = Take(field, true);
  if (v == nullptr) return out;
  if (!v->is_array()) {
    Expect(field, "an array of objects");
    return out;
  }
  const auto& array = v->get_array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    std::string item = fmt::format("{}.{}", field, i);
    if (!array[i].is_object()) {
      Expect(item, "an object");
      continue;
    }
    out.push_back(Object(state_, &array[i].get_object(), PathOf(item) + "."));
  }
  return out;
}

bool JsonInput::Object::Has(std::string_view field) const {
  if (object_ == nullptr) return false;
  auto it = object_->find(field);
  return it != object_->end() && !it->value().is_null();
}

const boost::json::value* JsonInput::Object::Raw(std::string_view field) { return Take(field, false); }

const boost::json::object& JsonInput::Object::Members() {
  static const boost::json::object kEmpty;
  if (object_ == nullptr) return kEmpty;
  state_->nodes[node_].all_seen = true;
  return *object_;
}

JsonInput::JsonInput(const Request& request)
    : request_(request), state_(std::make_shared<Object::State>()), root_(state_, nullptr, "") {}

std::optional<Response> JsonInput::Open() {
  if (request_.MediaType() != "application/json") {
    return ToResponse(problems::UnsupportedMediaType("application/json"));
  }
  boost::system::error_code ec;
  document_ = boost::json::parse(request_.body, ec);
  if (ec) {
    return ToResponse(
        problems::Validation("The body is not valid JSON.",
                             {{"", "malformed_json", "The body is not valid JSON: " + ec.message() + "."}}));
  }
  if (auto problem = CheckBody(request_.body)) {
    const bool duplicate = problem->code == "duplicate_key";
    return ToResponse(problems::Validation(duplicate ? "The body repeats a key: " + problem->path + "."
                                                     : "The body holds text that cannot be stored.",
                                           {std::move(*problem)}));
  }
  if (!document_.is_object()) {
    return ToResponse(
        problems::Validation("The body must be a JSON object.", {{"", "not_an_object", "Send a JSON object."}}));
  }
  root_ = Object(state_, &document_.get_object(), "");
  opened_ = true;
  return std::nullopt;
}

std::optional<Response> JsonInput::Finish() {
  if (!opened_) throw std::logic_error("JsonInput::Finish before a successful Open");
  for (const auto& node : state_->nodes) {
    if (node.all_seen) continue;
    for (const auto& member : *node.object) {
      std::string_view key(member.key().data(), member.key().size());
      if (!node.seen.contains(key)) {
        state_->errors.push_back({node.prefix + std::string(key), "unknown_field", "This field is not recognised."});
      }
    }
  }
  state_->nodes.clear();
  if (state_->errors.empty()) return std::nullopt;
  return ToResponse(problems::Validation("Some fields are missing or wrong; see errors.", state_->errors));
}

const std::vector<core::FieldError>& JsonInput::errors() const { return state_->errors; }

}  // namespace ledger::http

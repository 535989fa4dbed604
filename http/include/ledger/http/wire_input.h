// Request bodies read by their descriptions (ledger/http/wire.h): the rules a
// reader checks are the schema the OpenAPI document declares, so the two
// cannot drift.
//
//   struct Reason {
//     static constexpr std::string_view kSchemaName = "Reason";
//     static constexpr bool kRequest = true;
//     static boost::json::object Notes() { return {{"reason", {{"maxLength", 2000}}}}; }
//     std::string reason;
//   };
//   BOOST_DESCRIBE_STRUCT(Reason, (), (reason))
//
//   JsonInput in(call.request());
//   if (auto bad = in.Open()) return *bad;
//   Reason body = wire::Read<Reason>(in.body());
//   if (auto bad = in.Finish()) return *bad;   // every error at once, nothing stored
//
// Each member is read with JsonInput (so its error codes and paths), under
// these notes: maxLength / minLength 0 (a string may be empty; otherwise
// strings are non-empty and at most kDefaultMaxLength bytes, as the schema of a
// kRequest body says), minimum / maximum for integers (and for the values of a
// map of integers, under additionalProperties), minLength above 1 (code
// "too_short"), enum (code "invalid", naming the allowed values) and format
// "date" (YYYY-MM-DD, code "invalid_date"), minItems (code "required") and
// maxItems (code "too_many") for arrays. Keys of a map are checked by
// the route (they name components, questions, ...).
// An optional member may be absent or null. Thread-compatible; one per request.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/core/types.h"
#include "ledger/http/json_input.h"
#include "ledger/http/wire.h"

namespace ledger::http::wire {

static_assert(StringRules{}.max_length == kDefaultMaxLength, "the reader's default is the schema's");

template <Body T>
T Read(JsonInput::Object& in);

namespace detail {

inline const boost::json::object& NoteOf(const boost::json::object& notes, std::string_view member) {
  static const boost::json::object kNone;
  const boost::json::value* note = notes.if_contains(member);
  return note != nullptr && note->is_object() ? note->as_object() : kNone;
}

inline StringRules StringRulesOf(const boost::json::object& note) {
  StringRules rules;
  if (const auto* max = note.if_contains("maxLength")) rules.max_length = max->to_number<std::size_t>();
  if (const auto* min = note.if_contains("minLength")) rules.allow_empty = min->to_number<int64_t>() == 0;
  return rules;
}

inline IntRules IntRulesOf(const boost::json::object& note) {
  IntRules rules;
  if (const auto* min = note.if_contains("minimum")) rules.min = min->to_number<int64_t>();
  if (const auto* max = note.if_contains("maximum")) rules.max = max->to_number<int64_t>();
  return rules;
}

// The checks of a string beyond its length: enum and date.
inline void CheckText(JsonInput::Object& in, std::string_view field, const std::string& text,
                      const boost::json::object& note) {
  if (const auto* names = note.if_contains("enum"); names != nullptr && names->is_array()) {
    std::string allowed;
    for (const auto& name : names->as_array()) {
      if (name.is_string() && name.as_string() == text) return;
      allowed += (allowed.empty() ? "" : ", ") + std::string(name.as_string());
    }
    in.Fail(field, "invalid", "Use one of: " + allowed + ".");
  } else if (const auto* format = note.if_contains("format"); format != nullptr && *format == "date") {
    if (!core::Date::Parse(text)) in.Fail(field, "invalid_date", "Enter a date as YYYY-MM-DD.");
  }
}

template <typename F>
void ReadMember(JsonInput::Object& in, std::string_view field, const boost::json::object& note, F* out);

// A required member of type F.
template <typename F>
void ReadRequired(JsonInput::Object& in, std::string_view field, const boost::json::object& note, F* out) {
  if constexpr (std::is_same_v<F, std::string>) {
    *out = in.String(field, StringRulesOf(note));
    if (!out->empty()) CheckText(in, field, *out, note);
    if (const auto* min = note.if_contains("minLength"); min != nullptr && !out->empty()) {
      if (out->size() < min->to_number<std::size_t>()) {
        in.Fail(field, "too_short", "Enter at least " + std::to_string(min->to_number<std::size_t>()) + " characters.");
      }
    }
  } else if constexpr (std::is_same_v<F, bool>) {
    *out = in.Bool(field);
  } else if constexpr (std::is_integral_v<F>) {
    IntRules rules = IntRulesOf(note);
    rules.min = std::max<int64_t>(rules.min, std::numeric_limits<F>::min());
    rules.max = std::min<int64_t>(rules.max,
                                  static_cast<int64_t>(std::min<uint64_t>(std::numeric_limits<F>::max(),
                                                                          std::numeric_limits<int64_t>::max())));
    // WholeNumber: below a minimum of zero is "negative", as for amounts.
    const boost::json::value* v = in.Raw(field);
    if (v == nullptr) {
      in.Fail(field, "required", "This field is required.");
    } else if (auto n = in.WholeNumber(field, *v, rules)) {
      *out = static_cast<F>(*n);
    }
  } else if constexpr (std::is_same_v<F, std::vector<std::string>>) {
    boost::json::object items;
    if (const auto* i = note.if_contains("items"); i != nullptr && i->is_object()) items = i->as_object();
    *out = in.Strings(field, StringRulesOf(items));
    for (size_t i = 0; i < out->size(); ++i) {
      CheckText(in, std::string(field) + "[" + std::to_string(i) + "]", (*out)[i], items);
    }
  } else if constexpr (kIsVector<F>) {
    for (JsonInput::Object& item : in.Objects(field)) out->push_back(Read<typename F::value_type>(item));
  } else if constexpr (kIsStringMap<F>) {
    JsonInput::Object child = in.Child(field);
    boost::json::object values;
    if (const auto* v = note.if_contains("additionalProperties"); v != nullptr && v->is_object()) {
      values = v->as_object();
    }
    for (const auto& member : child.Members()) {
      std::string key(member.key());
      if constexpr (std::is_same_v<typename F::mapped_type, std::string>) {
        (*out)[key] = child.String(key, StringRulesOf(values));
      } else {
        static_assert(std::is_same_v<typename F::mapped_type, int64_t>, "a map of strings or of integers");
        if (auto n = child.WholeNumber(key, member.value(), IntRulesOf(values))) (*out)[key] = *n;
      }
    }
  } else {
    static_assert(Body<F>, "no reader for this member: describe it as a wire::Body");
    JsonInput::Object child = in.Child(field);
    *out = Read<F>(child);
  }
}

// An array's minItems (code "required") and maxItems (code "too_many").
template <typename F>
void CheckItems(JsonInput::Object& in, std::string_view field, const boost::json::object& note, const F& value) {
  if constexpr (kIsVector<F>) {
    const auto* min = note.if_contains("minItems");
    const auto* max = note.if_contains("maxItems");
    // As given, counting the elements that were refused too.
    const boost::json::value* raw = in.Raw(field);
    std::size_t size = raw != nullptr && raw->is_array() ? raw->as_array().size() : value.size();
    if (min != nullptr && size < min->to_number<std::size_t>()) {
      in.Fail(field, "required", "Give at least " + std::to_string(min->to_number<std::size_t>()) + ".");
    } else if (max != nullptr && size > max->to_number<std::size_t>()) {
      in.Fail(field, "too_many", "Give at most " + std::to_string(max->to_number<std::size_t>()) + ".");
    }
  }
}

template <typename F>
void ReadMember(JsonInput::Object& in, std::string_view field, const boost::json::object& note, F* out) {
  if constexpr (kIsOptional<F>) {
    if (!in.Has(field)) {
      in.Raw(field);  // known, and absent or null
      return;
    }
    typename F::value_type value{};
    ReadRequired(in, field, note, &value);
    CheckItems(in, field, note, value);
    *out = std::move(value);
  } else {
    const bool present = in.Has(field);
    ReadRequired(in, field, note, out);
    if (present) CheckItems(in, field, note, *out);  // an absent one is already "required"
  }
}

}  // namespace detail

// Reads a T from `in`, recording every problem in `in`'s errors (a member
// with a problem keeps its default). Members `in` has that T does not
// describe are reported by JsonInput::Finish as unknown_field.
template <Body T>
T Read(JsonInput::Object& in) {
  static_assert(
      requires { T::kRequest; }, "a request body says so: static constexpr bool kRequest = true");
  T out{};
  boost::json::object notes;
  if constexpr (requires { T::Notes(); }) notes = T::Notes();
  boost::mp11::mp_for_each<detail::Members<T>>([&](auto member) {
    detail::ReadMember(in, member.name, detail::NoteOf(notes, member.name), &(out.*member.pointer));
  });
  return out;
}

}  // namespace ledger::http::wire

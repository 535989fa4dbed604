// The bodies of the API as described structs: one description (the struct and
// its BOOST_DESCRIBE_STRUCT) gives both the JSON a handler sends and the JSON
// Schema the OpenAPI document declares for it, so the two cannot drift.
//
//   struct Verify {
//     static constexpr std::string_view kSchemaName = "Verify";      // REQUIRED
//     static constexpr std::string_view kDoc = "The chain check";    // optional
//     static boost::json::object Notes() { return {{"head_hash", {{"pattern", "^[0-9a-f]{64}$"}}}}; }  // optional
//     bool ok = false;
//     uint64_t position = 0;
//     std::string head_hash;
//     std::optional<std::string> problem;  // left out of the JSON when empty
//   };
//   BOOST_DESCRIBE_STRUCT(Verify, (), (ok, position, head_hash, problem))
//
//   return Response::Json(200, wire::ToJson(verify));
//   wire::Schemas schemas;  boost::json::object ref = schemas.Of<Verify>();
//
// Member types and their JSON / schema:
//   std::string                   string
//   bool                          boolean
//   integers                      integer (unsigned: minimum 0)
//   double                        number
//   std::optional<T>              T, left out when empty (the member is not "required")
//   std::vector<T>                array of T
//   std::map<std::string, T>      object with T values
//   described struct              object (components/schemas/kSchemaName, by $ref)
//   boost::json::value            any JSON (say what in Notes); object: any object
// FromJson reads the same forms back, and Checked<T> passes a body built as
// JSON by other code through T, so what leaves is always what T describes.
// Every other member is required; a described body allows no other member
// (additionalProperties: false). Notes() adds schema keywords to a member's
// schema (enum, format, description, pattern, ...) and names only members:
// Schemas::Of throws std::logic_error for a note on no member, so a renamed
// member cannot leave its notes behind. Example(), when a body has one,
// returns a body whose ToJson is the schema's example. A body may extend
// another (BOOST_DESCRIBE_STRUCT(Claim, (ClaimSummary), (...))): the base's
// members come first, in its own schema and JSON. A request body says
// `static constexpr bool kRequest = true`: its strings are then non-empty and
// at most kDefaultMaxLength bytes unless a note says otherwise, which is what
// wire::Read (wire_input.h) checks.
#pragma once

#include <boost/describe/members.hpp>
#include <boost/describe/modifiers.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/mp11/algorithm.hpp>
#include <boost/system/error_code.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "ledger/base/type_traits.h"

namespace ledger::http::wire {

namespace detail {
using base::kAlwaysFalse;
using base::kIsOptional;
using base::kIsStringMap;
using base::kIsVector;
template <typename T>
using Members = boost::describe::describe_members<T, boost::describe::mod_public | boost::describe::mod_inherited>;
}  // namespace detail

// The longest string a request body's member may hold unless its notes say
// otherwise (wire_input.h reads by the same rule).
inline constexpr std::size_t kDefaultMaxLength = 1000;

// A struct the API sends or reads as a JSON object.
template <typename T>
concept Body = boost::describe::has_describe_members<T>::value && requires {
  { T::kSchemaName } -> std::convertible_to<std::string_view>;
};

template <typename T>
boost::json::value ToJson(const T& value) {
  if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, bool> || std::is_arithmetic_v<T>) {
    return boost::json::value(value);
  } else if constexpr (std::is_same_v<T, boost::json::value>) {
    return value;
  } else if constexpr (std::is_same_v<T, boost::json::object> || std::is_same_v<T, boost::json::array>) {
    return boost::json::value(value);
  } else if constexpr (detail::kIsVector<T>) {
    boost::json::array out;
    out.reserve(value.size());
    for (const auto& item : value) out.push_back(ToJson(item));
    return out;
  } else if constexpr (detail::kIsStringMap<T>) {
    boost::json::object out;
    for (const auto& [key, item] : value) out[key] = ToJson(item);
    return out;
  } else if constexpr (Body<T>) {
    // A body's member names are distinct: each is placed once, in a table
    // sized for all of them.
    boost::json::object out(boost::mp11::mp_size<detail::Members<T>>::value);
    boost::mp11::mp_for_each<detail::Members<T>>([&](auto member) {
      const auto& field = value.*member.pointer;
      using F = std::remove_cvref_t<decltype(field)>;
      if constexpr (detail::kIsOptional<F>) {
        if (field.has_value()) out.emplace(member.name, ToJson(*field));
      } else {
        out.emplace(member.name, ToJson(field));
      }
    });
    return out;
  } else {
    static_assert(detail::kAlwaysFalse<T>, "no JSON form for this type: describe it as a wire::Body");
  }
}

template <typename T>
bool FromJson(const boost::json::value& json, T* out, std::string* error, const std::string& path = "$");

namespace detail {
// FromJson of a Body: its members, then no others.
template <typename T>
bool ReadMembers(const boost::json::value& json, T* out, std::string* error, const std::string& path) {
  if (!json.is_object()) {
    *error = path + ": not an object";
    return false;
  }
  const boost::json::object& object = json.as_object();
  size_t known = 0;
  bool ok = true;
  boost::mp11::mp_for_each<Members<T>>([&](auto member) {
    if (!ok) return;
    auto& field = out->*member.pointer;
    using F = std::remove_cvref_t<decltype(field)>;
    const boost::json::value* value = object.if_contains(member.name);
    std::string at = path + "." + member.name;
    if (value == nullptr) {
      if constexpr (!kIsOptional<F>) {
        *error = path + ": missing " + member.name;
        ok = false;
      }
      return;
    }
    ++known;
    if constexpr (kIsOptional<F>) {
      typename F::value_type item{};
      ok = FromJson(*value, &item, error, at);
      if (ok) field = std::move(item);
    } else {
      ok = FromJson(*value, &field, error, at);
    }
  });
  if (!ok || known == object.size()) return ok;
  for (const auto& member : object) {
    bool described = false;
    boost::mp11::mp_for_each<Members<T>>([&](auto m) { described = described || member.key() == m.name; });
    if (!described) {
      *error = path + ": a member " + std::string(member.key()) + " the description does not have";
      return false;
    }
  }
  return true;
}
}  // namespace detail

// Reads `json` as a T under the same rules ToJson writes it by: every
// non-optional member present, every value of its member's type, no other
// member. false with *error naming the first path that breaks them.
template <typename T>
bool FromJson(const boost::json::value& json, T* out, std::string* error, const std::string& path) {
  auto fail = [&](std::string_view what) {
    *error = path + ": " + std::string(what);
    return false;
  };
  if constexpr (std::is_same_v<T, std::string>) {
    if (!json.is_string()) return fail("not a string");
    *out = std::string(json.as_string());
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!json.is_bool()) return fail("not a boolean");
    *out = json.as_bool();
  } else if constexpr (std::is_integral_v<T>) {
    boost::system::error_code ec;
    T n = json.to_number<T>(ec);
    if (ec || json.is_double()) return fail("not an integer in range");
    *out = n;
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!json.is_number()) return fail("not a number");
    *out = json.to_number<T>();
  } else if constexpr (std::is_same_v<T, boost::json::value>) {
    *out = json;
  } else if constexpr (std::is_same_v<T, boost::json::object>) {
    if (!json.is_object()) return fail("not an object");
    *out = json.as_object();
  } else if constexpr (std::is_same_v<T, boost::json::array>) {
    if (!json.is_array()) return fail("not an array");
    *out = json.as_array();
  } else if constexpr (detail::kIsVector<T>) {
    if (!json.is_array()) return fail("not an array");
    out->clear();
    for (size_t i = 0; i < json.as_array().size(); ++i) {
      typename T::value_type item{};
      if (!FromJson(json.as_array()[i], &item, error, path + "[" + std::to_string(i) + "]")) return false;
      out->push_back(std::move(item));
    }
  } else if constexpr (detail::kIsStringMap<T>) {
    if (!json.is_object()) return fail("not an object");
    out->clear();
    for (const auto& member : json.as_object()) {
      typename T::mapped_type item{};
      if (!FromJson(member.value(), &item, error, path + "." + std::string(member.key()))) return false;
      out->emplace(std::string(member.key()), std::move(item));
    }
  } else if constexpr (Body<T>) {
    return detail::ReadMembers(json, out, error, path);
  } else {
    static_assert(detail::kAlwaysFalse<T>, "no JSON form for this type: describe it as a wire::Body");
  }
  return true;
}

// `built` as T sends it: read by FromJson and written again by ToJson, so an
// answer put together by hand still leaves in the described shape. Throws
// std::logic_error naming the path when `built` is not a T (a bug: the router
// answers 500 and logs it, and the tests fail).
template <Body T>
boost::json::value Checked(const boost::json::value& built) {
  T body{};
  std::string error;
  if (!FromJson(built, &body, &error)) {
    throw std::logic_error("the answer is not a " + std::string(T::kSchemaName) + ": " + error);
  }
  return ToJson(body);
}

// The names of the values first..last of an enum, by its name function
// (core::StatusName, ...): a schema's "enum" taken from core, never retyped.
template <typename E, typename NameOf>
boost::json::array EnumOf(NameOf name_of, E first, E last) {
  boost::json::array names;
  for (int i = static_cast<int>(first); i <= static_cast<int>(last); ++i) {
    names.emplace_back(std::string_view(name_of(static_cast<E>(i))));
  }
  return names;
}

// The value of an enum first..last that name_of names `text`; nullopt for none.
template <typename E, typename NameOf>
std::optional<E> EnumFrom(NameOf name_of, E first, E last, std::string_view text) {
  for (int i = static_cast<int>(first); i <= static_cast<int>(last); ++i) {
    if (name_of(static_cast<E>(i)) == text) return static_cast<E>(i);
  }
  return std::nullopt;
}

// The named schemas of one document (components/schemas), filled as bodies
// are referenced.
class Schemas {
 public:
  // The schema of T: inline for strings, numbers, arrays and maps; a $ref to
  // components/schemas/<kSchemaName> for a Body, defined on first use.
  template <typename T>
  boost::json::object Of();

  const std::map<std::string, boost::json::object>& named() const { return named_; }
  boost::json::object Components() const {
    boost::json::object out;
    for (const auto& [name, schema] : named_) out[name] = schema;
    return out;
  }

 private:
  template <typename T>
  boost::json::object Define();
  // A request's strings are non-empty and at most kDefaultMaxLength bytes
  // unless a note says otherwise: what wire::Read checks.
  template <typename F>
  static void RequestDefaults(boost::json::object& schema) {
    if constexpr (detail::kIsOptional<F>) {
      RequestDefaults<typename F::value_type>(schema);
    } else if constexpr (std::is_same_v<F, std::string>) {
      schema["minLength"] = 1;
      schema["maxLength"] = kDefaultMaxLength;
    } else if constexpr (std::is_same_v<F, std::vector<std::string>>) {
      RequestDefaults<std::string>(schema["items"].as_object());
    } else if constexpr (detail::kIsStringMap<F>) {
      if constexpr (std::is_same_v<typename F::mapped_type, std::string>) {
        RequestDefaults<std::string>(schema["additionalProperties"].as_object());
      }
    }
  }
  // Adds a note's keywords to a schema; "items" and "additionalProperties"
  // notes add to what is there rather than replace it.
  static void Merge(const boost::json::object& note, boost::json::object& schema) {
    for (const auto& [key, value] : note) {
      boost::json::value* there = schema.if_contains(key);
      if ((key == "items" || key == "additionalProperties") && there != nullptr && there->is_object() &&
          value.is_object()) {
        Merge(value.as_object(), there->as_object());
      } else {
        schema[key] = value;
      }
    }
  }
  std::map<std::string, boost::json::object> named_;
};

template <typename T>
boost::json::object Schemas::Of() {
  if constexpr (std::is_same_v<T, std::string>) {
    return {{"type", "string"}};
  } else if constexpr (std::is_same_v<T, bool>) {
    return {{"type", "boolean"}};
  } else if constexpr (std::is_integral_v<T>) {
    if constexpr (std::is_unsigned_v<T>) return {{"type", "integer"}, {"minimum", 0}};
    return {{"type", "integer"}};
  } else if constexpr (std::is_floating_point_v<T>) {
    return {{"type", "number"}};
  } else if constexpr (std::is_same_v<T, boost::json::value>) {
    return {};
  } else if constexpr (std::is_same_v<T, boost::json::object>) {
    return {{"type", "object"}};
  } else if constexpr (std::is_same_v<T, boost::json::array>) {
    return {{"type", "array"}};
  } else if constexpr (detail::kIsOptional<T>) {
    return Of<typename T::value_type>();
  } else if constexpr (detail::kIsVector<T>) {
    return {{"type", "array"}, {"items", Of<typename T::value_type>()}};
  } else if constexpr (detail::kIsStringMap<T>) {
    return {{"type", "object"}, {"additionalProperties", Of<typename T::mapped_type>()}};
  } else if constexpr (Body<T>) {
    std::string name(T::kSchemaName);
    if (!named_.contains(name)) {
      named_[name] = {};  // a placeholder, so a body that holds itself ends
      named_[name] = Define<T>();
    }
    return {{"$ref", "#/components/schemas/" + name}};
  } else {
    static_assert(detail::kAlwaysFalse<T>, "no schema for this type: describe it as a wire::Body");
  }
}

template <typename T>
boost::json::object Schemas::Define() {
  boost::json::object properties;
  boost::json::array required;
  boost::json::object notes;
  if constexpr (requires { T::Notes(); }) notes = T::Notes();
  std::set<std::string, std::less<>> members;
  boost::mp11::mp_for_each<detail::Members<T>>([&](auto member) {
    using F = std::remove_cvref_t<decltype(std::declval<const T&>().*member.pointer)>;
    boost::json::object schema = Of<F>();
    if constexpr (requires { T::kRequest; }) RequestDefaults<F>(schema);
    if (auto it = notes.find(member.name); it != notes.end()) Merge(it->value().as_object(), schema);
    properties[member.name] = std::move(schema);
    if constexpr (!detail::kIsOptional<F>) required.emplace_back(member.name);
    members.insert(member.name);
  });
  for (const auto& note : notes) {
    if (!members.contains(std::string_view(note.key()))) {
      throw std::logic_error("wire: a note on " + std::string(note.key()) + ", which " + std::string(T::kSchemaName) +
                             " does not have");
    }
  }
  boost::json::object schema{{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) schema["required"] = std::move(required);
  schema["additionalProperties"] = false;
  if constexpr (requires { T::kDoc; }) schema["description"] = std::string_view(T::kDoc);
  if constexpr (requires { T::Example(); }) schema["examples"] = boost::json::array{ToJson(T::Example())};
  return schema;
}

}  // namespace ledger::http::wire

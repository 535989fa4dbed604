// The JSON of events, driven by their descriptions: every event struct (and
// every struct an event holds) is described once, beside its declaration, with
// BOOST_DESCRIBE_STRUCT listing its fields in declaration order. The JSON of a
// described struct is an object with one key per described field, in that
// order, each value converted by ValueJson:
//   std::string, bool, integers   as themselves, except times (IsTimeField):
//                                 RFC 3339 UTC to the microsecond
//   Date                          "YYYY-MM-DD"
//   enums                         by name (EnumJsonName below: the *Name functions)
//   RoleSet                       an array of role names
//   vectors                       arrays; string-keyed maps: objects
//   described structs             nested objects
// A field named "password_hash" is shown as "[redacted]", never its value.
// Pure; thread-safe. core::ToJson (codec.h) adds the event's "type".
#pragma once

#include <boost/describe/members.hpp>
#include <boost/describe/modifiers.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/mp11/algorithm.hpp>

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "ledger/base/time.h"
#include "ledger/base/type_traits.h"
#include "ledger/core/access.h"
#include "ledger/core/claim.h"
#include "ledger/core/organisation.h"
#include "ledger/core/service.h"
#include "ledger/core/types.h"

namespace ledger::core {

// What the JSON shows instead of a password hash.
inline constexpr std::string_view kRedacted = "[redacted]";

// The JSON name of every enum an event holds (a new enum in an event fails to
// build until it has one).
inline std::string_view EnumJsonName(OrgKind v) { return OrgKindName(v); }
inline std::string_view EnumJsonName(ApprovalMode v) { return ApprovalModeName(v); }
inline std::string_view EnumJsonName(RiskBand v) { return RiskBandName(v); }
inline std::string_view EnumJsonName(ApprovalTier v) { return ApprovalTierName(v); }
inline std::string_view EnumJsonName(PaymentType v) { return PaymentTypeName(v); }
inline std::string_view EnumJsonName(PopulationBasis v) { return PopulationBasisName(v); }
inline std::string_view EnumJsonName(UnitKind v) { return UnitKindName(v); }
inline std::string_view EnumJsonName(QuestionKind v) { return QuestionKindName(v); }
inline std::string_view EnumJsonName(ServiceCategory v) { return ServiceCategoryName(v); }
inline std::string_view EnumJsonName(Frequency v) { return FrequencyName(v); }

namespace json_detail {
using base::kAlwaysFalse;
using base::kIsStringMap;
using base::kIsVector;

// The number of fields of an aggregate (how many initializers it accepts), so
// a description that leaves a field out fails to build.
struct AnyField {
  template <typename T>
  operator T() const;
};
template <typename T, typename... Fields>
constexpr size_t FieldCount() {
  if constexpr (requires { T{Fields{}..., AnyField{}}; })
    return FieldCount<T, Fields..., AnyField>();
  else
    return sizeof...(Fields);
}
}  // namespace json_detail

template <typename T>
boost::json::object FieldsJson(const T& described);

// The JSON of one field's value (see the table above).
template <typename T>
boost::json::value ValueJson(const T& value) {
  if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, bool> || std::is_integral_v<T>) {
    return boost::json::value(value);
  } else if constexpr (std::is_same_v<T, Date>) {
    return boost::json::value(value.ToString());
  } else if constexpr (std::is_enum_v<T>) {
    return boost::json::value(EnumJsonName(value));
  } else if constexpr (std::is_same_v<T, RoleSet>) {
    boost::json::array out;
    for (Role r : value.List()) out.emplace_back(RoleName(r));
    return out;
  } else if constexpr (json_detail::kIsVector<T>) {
    boost::json::array out;
    for (const auto& item : value) out.push_back(ValueJson(item));
    return out;
  } else if constexpr (json_detail::kIsStringMap<T>) {
    boost::json::object out;
    for (const auto& [key, item] : value) out[key] = ValueJson(item);
    return out;
  } else if constexpr (boost::describe::has_describe_members<T>::value) {
    return FieldsJson(value);
  } else {
    static_assert(json_detail::kAlwaysFalse<T>, "no JSON form for this field type: describe it or add a case");
  }
}

// Whether a field holds a time (microseconds since 1970, UTC): "at" and
// "<something>_at". Its JSON is RFC 3339 to the microsecond, as every time the
// API shows ("2026-04-03T08:12:00.000000Z"), which loses nothing.
inline bool IsTimeField(std::string_view name) { return name == "at" || name.ends_with("_at"); }

// Every described field of a described struct, in description order.
template <typename T>
boost::json::object FieldsJson(const T& described) {
  using Members = boost::describe::describe_members<T, boost::describe::mod_public>;
  static_assert(boost::mp11::mp_size<Members>::value == json_detail::FieldCount<T>(),
                "the description of this struct must list every field");
  boost::json::object out;
  boost::mp11::mp_for_each<Members>([&](auto member) {
    using V = std::remove_cvref_t<decltype(described.*member.pointer)>;
    if (std::string_view(member.name) == "password_hash") {
      out[member.name] = kRedacted;
    } else if constexpr (std::is_same_v<V, Timestamp>) {
      if (IsTimeField(member.name)) {
        out[member.name] = base::FormatRfc3339Micros(described.*member.pointer);
      } else {
        out[member.name] = ValueJson(described.*member.pointer);
      }
    } else if constexpr (kAddedLater<V>) {
      if (!(described.*member.pointer == V{})) out[member.name] = ValueJson(described.*member.pointer);
    } else {
      out[member.name] = ValueJson(described.*member.pointer);
    }
  });
  return out;
}

}  // namespace ledger::core

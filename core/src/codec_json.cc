// JSON -> events: the inverse of ToJson (event_json.h), driven by the same
// descriptions, so that a read model keeping an event's JSON can hand back
// the event itself.
#include <boost/json.hpp>
#include <boost/mp11/algorithm.hpp>

#include <optional>
#include <variant>

#include "codec_described.h"
#include "codec_internal.h"
#include "ledger/base/time.h"
#include "ledger/core/codec.h"
#include "ledger/core/event_json.h"

namespace ledger::core {
namespace {

using internal::LastValue;

template <typename T>
bool ValueFrom(const boost::json::value& json, T* out);

// Every described field of `out` from the key of its name.
template <typename T>
bool FieldsFrom(const boost::json::object& json, T* out) {
  bool ok = true;
  boost::mp11::mp_for_each<internal::described::Members<T>>([&](auto member) {
    if (!ok) return;
    using V = std::remove_cvref_t<decltype(out->*member.pointer)>;
    const boost::json::value* value = json.if_contains(member.name);
    if (value == nullptr) {
      ok = kAddedLater<V>;  // absent while empty (ToJson)
    } else if (std::string_view(member.name) == "password_hash") {
      out->*member.pointer = {};  // ToJson shows kRedacted, never the hash
    } else if constexpr (std::is_same_v<V, Timestamp>) {
      // A time as ToJson writes it; an integer of microseconds as it wrote it before.
      std::optional<int64_t> at;
      if (IsTimeField(member.name) && value->is_string()) at = base::ParseRfc3339(value->get_string());
      if (at) {
        out->*member.pointer = *at;
      } else {
        ok = ValueFrom(*value, &(out->*member.pointer));
      }
    } else {
      ok = ValueFrom(*value, &(out->*member.pointer));
    }
  });
  return ok;
}

template <typename E>
bool EnumFrom(std::string_view name, E* out) {
  for (unsigned i = 0; i <= LastValue(E{}); ++i) {
    if (EnumJsonName(static_cast<E>(i)) == name) {
      *out = static_cast<E>(i);
      return true;
    }
  }
  return false;
}

bool RolesFrom(const boost::json::array& names, RoleSet* out) {
  RoleSet roles;
  for (const boost::json::value& name : names) {
    Role role{};
    if (!name.is_string() || !ParseRole(name.get_string(), &role)) return false;
    roles.Add(role);
  }
  *out = roles;
  return true;
}

template <typename T>
bool ValueFrom(const boost::json::value& json, T* out) {
  if constexpr (std::is_same_v<T, std::string>) {
    if (!json.is_string()) return false;
    *out = std::string(json.get_string());
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!json.is_bool()) return false;
    *out = json.get_bool();
  } else if constexpr (std::is_integral_v<T>) {
    boost::system::error_code ec;
    const T n = json.to_number<T>(ec);
    if (ec || json.is_double()) return false;
    *out = n;
  } else if constexpr (std::is_same_v<T, Date>) {
    std::optional<Date> date = json.is_string() ? Date::Parse(json.get_string()) : std::nullopt;
    if (!date) return false;
    *out = *date;
  } else if constexpr (std::is_enum_v<T>) {
    return json.is_string() && EnumFrom(json.get_string(), out);
  } else if constexpr (std::is_same_v<T, RoleSet>) {
    return json.is_array() && RolesFrom(json.get_array(), out);
  } else if constexpr (json_detail::kIsVector<T>) {
    if (!json.is_array()) return false;
    out->clear();
    for (const boost::json::value& item : json.get_array()) {
      typename T::value_type value{};
      if (!ValueFrom(item, &value)) return false;
      out->push_back(std::move(value));
    }
  } else if constexpr (json_detail::kIsStringMap<T>) {
    if (!json.is_object()) return false;
    out->clear();
    for (const boost::json::key_value_pair& item : json.get_object()) {
      typename T::mapped_type value{};
      if (!ValueFrom(item.value(), &value)) return false;
      (*out)[std::string(item.key())] = std::move(value);
    }
  } else if constexpr (internal::described::kIsTable<T>) {
    return json.is_object() && FieldsFrom(json.get_object(), out);
  } else {
    static_assert(json_detail::kAlwaysFalse<T>, "no JSON form for this field type");
  }
  return true;
}

}  // namespace

Outcome<Event> FromJson(const boost::json::object& json) {
  const boost::json::value* type = json.if_contains("type");
  if (type == nullptr || !type->is_string()) return Rejection::Invalid("unknown_event_type", "The event has no type.");
  const std::string_view name = type->get_string();
  std::optional<Outcome<Event>> out;
  boost::mp11::mp_for_each<boost::mp11::mp_iota_c<std::variant_size_v<Event>>>([&](auto index) {
    using E = std::variant_alternative_t<decltype(index)::value, Event>;
    if (out || E::kTypeName != name) return;
    E event;
    if (FieldsFrom(json, &event))
      out.emplace(Event{std::move(event)});
    else
      out.emplace(internal::CorruptPayload(name));
  });
  if (!out) return Rejection::Invalid("unknown_event_type", "Unknown event type " + std::string(name) + ".");
  return std::move(*out);
}

}  // namespace ledger::core

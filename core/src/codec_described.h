// Internal: events <-> FlatBuffers tables, driven by the events' descriptions
// (BOOST_DESCRIBE_STRUCT beside each struct), so that no event has a
// hand-written encoder or decoder.
//
// The rule that makes this possible (tests/core/schema_test.cc checks it
// against core/schema/*.fbs): the table of a described struct has one field
// per described member, with the same name, in the same order, so member i is
// the table's field i (vtable offset 4 + 2i). Field types:
//   std::string -> string        int64_t -> long       uint64_t -> ulong
//   int32_t -> int               bool -> bool          enums -> ubyte
//   Date -> int (days)           RoleSet -> uint (bit mask)
//   std::vector<std::string> -> [string]
//   std::vector<S>, S described -> [S]                 S described -> S (a table)
//   std::map<std::string, V> -> [E] where E is a table {key:string; value:V}
// Decoding refuses (corrupt payload) an enum byte past the enum's last value and
// a role bit that is no role; a missing nested table is an empty value, except
// for the kinds listed in kRequiredTable.
#pragma once

#include <flatbuffers/flatbuffers.h>
#include <boost/describe/members.hpp>
#include <boost/describe/modifiers.hpp>
#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/integer_sequence.hpp>

#include <array>
#include <map>
#include <string>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

#include "codec_fb.h"
#include "ledger/core/event_json.h"

namespace ledger::core::internal {

// The order in which a table's strings, vectors and nested tables are written
// before the table itself. The bytes of a payload depend on it, and stored
// payloads were written in one of two orders, which each aggregate keeps:
//   kFieldOrder      depth first, field by field (claims, claim keys, payment runs)
//   kReverseFields   the elements of every vector of tables first, field by
//                    field; then the other fields from the last to the first
//                    (organisations, accounts, services, offers: their first
//                    encoders passed every string as an argument of the
//                    table's Create function, which GCC evaluates last to first)
enum class BuildOrder { kFieldOrder, kReverseFields };

// The last value of each enum an event holds (a byte past it is corrupt).
constexpr uint8_t LastValue(OrgKind) { return static_cast<uint8_t>(OrgKind::kFederation); }
constexpr uint8_t LastValue(ApprovalMode) { return static_cast<uint8_t>(ApprovalMode::kMultiLevel); }
constexpr uint8_t LastValue(RiskBand) { return 2; }
constexpr uint8_t LastValue(ApprovalTier) { return 3; }
constexpr uint8_t LastValue(PaymentType) { return static_cast<uint8_t>(PaymentType::kParticipation); }
constexpr uint8_t LastValue(PopulationBasis) { return static_cast<uint8_t>(PopulationBasis::kPerThousand); }
constexpr uint8_t LastValue(UnitKind) { return static_cast<uint8_t>(UnitKind::kPercentage); }
constexpr uint8_t LastValue(QuestionKind) { return static_cast<uint8_t>(QuestionKind::kYesNo); }
constexpr uint8_t LastValue(ServiceCategory) { return static_cast<uint8_t>(ServiceCategory::kLis); }
constexpr uint8_t LastValue(Frequency) { return static_cast<uint8_t>(Frequency::kOneOff); }
// ... and of each enum a stream's state holds (states.cc).
constexpr uint8_t LastValue(ClaimStatus) { return static_cast<uint8_t>(ClaimStatus::kDeleted); }
constexpr uint8_t LastValue(ServiceStatus) { return static_cast<uint8_t>(ServiceStatus::kRetired); }
constexpr uint8_t LastValue(OfferStatus) { return static_cast<uint8_t>(OfferStatus::kWithdrawn); }
constexpr uint8_t LastValue(PaymentRunStatus) { return static_cast<uint8_t>(PaymentRunStatus::kPaid); }
constexpr uint8_t LastValue(AccountStatus) { return static_cast<uint8_t>(AccountStatus::kDisabled); }

// Nested tables whose absence makes a payload corrupt.
template <typename T>
inline constexpr bool kRequiredTable = std::is_same_v<T, ServiceDefinition> || std::is_same_v<T, Tariff>;

namespace described {

using Fbb = flatbuffers::FlatBufferBuilder;
using Uoffset = flatbuffers::uoffset_t;
template <typename T>
using Members = boost::describe::describe_members<T, boost::describe::mod_public>;

template <typename T>
inline constexpr bool kIsVector = json_detail::kIsVector<T>;
// Maps keyed by a string or by an enum (a state's approvals by tier).
template <typename T>
inline constexpr bool kIsEnumMap = false;
template <typename K, typename V, typename C, typename A>
inline constexpr bool kIsEnumMap<std::map<K, V, C, A>> = std::is_enum_v<K>;
template <typename T>
inline constexpr bool kIsMap = json_detail::kIsStringMap<T> || kIsEnumMap<T>;
template <typename T>
inline constexpr bool kIsTable = boost::describe::has_describe_members<T>::value;
template <typename T>
inline constexpr bool kIsScalar = std::is_integral_v<T> || std::is_enum_v<T> || std::is_same_v<T, Date> ||
                                  std::is_same_v<T, RoleSet>;
// Fields whose elements are tables, written before the vector itself.
template <typename T>
inline constexpr bool kHasElements = kIsMap<T> || (kIsVector<T> && !std::is_same_v<T, std::vector<std::string>>);

// A scalar as the table stores it.
template <typename T>
auto Stored(const T& v) {
  if constexpr (std::is_same_v<T, bool>)
    return static_cast<uint8_t>(v);
  else if constexpr (std::is_enum_v<T>)
    return static_cast<uint8_t>(v);
  else if constexpr (std::is_same_v<T, Date>)
    return v.days;
  else if constexpr (std::is_same_v<T, RoleSet>)
    return v.bits();
  else
    return v;
}

// The size of a field in its table (offsets are 4 bytes): the table's
// Create function adds its fields largest first, the last field first.
template <typename T>
constexpr size_t FieldSize() {
  if constexpr (kIsScalar<T>)
    return sizeof(decltype(Stored(std::declval<T>())));
  else
    return sizeof(Uoffset);
}

template <typename T>
Uoffset BuildTable(Fbb& fbb, const T& value, BuildOrder order);
template <typename... F>
Uoffset BuildFields(Fbb& fbb, BuildOrder order, const std::tuple<const F&...>& fields);

template <typename T>
std::vector<flatbuffers::Offset<void>> BuildElements(Fbb& fbb, const T& field, BuildOrder order) {
  std::vector<flatbuffers::Offset<void>> out;
  if constexpr (kIsMap<T>) {
    for (const auto& [key, item] : field) out.emplace_back(BuildFields(fbb, order, std::tie(key, item)));
  } else {
    for (const auto& item : field) out.emplace_back(BuildTable(fbb, item, order));
  }
  return out;
}

// Writes a field that is not a scalar; returns its offset.
template <typename T>
Uoffset BuildField(Fbb& fbb, const T& field, BuildOrder order, std::vector<flatbuffers::Offset<void>>* elements) {
  if constexpr (std::is_same_v<T, std::string>)
    return fbb.CreateString(field).o;
  else if constexpr (std::is_same_v<T, std::vector<std::string>>)
    return fbb.CreateVectorOfStrings(field).o;
  else if constexpr (kHasElements<T>) {
    if (order == BuildOrder::kFieldOrder) *elements = BuildElements(fbb, field, order);
    return fbb.CreateVector(*elements).o;
  } else if constexpr (kIsTable<T>) {
    // An empty table added later is left out (a null offset adds no field).
    if constexpr (kAddedLater<T>) {
      if (field == T{}) return 0;
    }
    return BuildTable(fbb, field, order);
  } else {
    static_assert(json_detail::kAlwaysFalse<T>, "no FlatBuffers form for this field type");
  }
}

template <typename... F>
Uoffset BuildFields(Fbb& fbb, BuildOrder order, const std::tuple<const F&...>& fields) {
  constexpr size_t kCount = sizeof...(F);
  using Indexes = boost::mp11::mp_iota_c<kCount>;
  using Reversed = boost::mp11::mp_reverse<Indexes>;
  std::array<Uoffset, kCount> offsets{};
  std::array<std::vector<flatbuffers::Offset<void>>, kCount> elements;
  auto build = [&](auto i) {
    constexpr size_t kI = decltype(i)::value;
    using T = std::remove_cvref_t<std::tuple_element_t<kI, std::tuple<F...>>>;
    if constexpr (!kIsScalar<T>) offsets[kI] = BuildField(fbb, std::get<kI>(fields), order, &elements[kI]);
  };
  if (order == BuildOrder::kFieldOrder) {
    boost::mp11::mp_for_each<Indexes>(build);
  } else {
    boost::mp11::mp_for_each<Indexes>([&](auto i) {
      constexpr size_t kI = decltype(i)::value;
      using T = std::remove_cvref_t<std::tuple_element_t<kI, std::tuple<F...>>>;
      if constexpr (kHasElements<T>) elements[kI] = BuildElements(fbb, std::get<kI>(fields), order);
    });
    boost::mp11::mp_for_each<Reversed>(build);
  }
  const Uoffset start = fbb.StartTable();
  for (const size_t size : std::array<size_t, 4>{8, 4, 2, 1}) {
    boost::mp11::mp_for_each<Reversed>([&](auto i) {
      constexpr size_t kI = decltype(i)::value;
      using T = std::remove_cvref_t<std::tuple_element_t<kI, std::tuple<F...>>>;
      if (FieldSize<T>() != size) return;
      const flatbuffers::voffset_t field = flatbuffers::FieldIndexToOffset(static_cast<flatbuffers::voffset_t>(kI));
      if constexpr (kIsScalar<T>) {
        using S = decltype(Stored(std::get<kI>(fields)));
        fbb.AddElement<S>(field, Stored(std::get<kI>(fields)), S{0});
      } else {
        fbb.AddOffset(field, flatbuffers::Offset<void>(offsets[kI]));
      }
    });
  }
  return fbb.EndTable(start);
}

template <typename T>
Uoffset BuildTable(Fbb& fbb, const T& value, BuildOrder order) {
  return [&]<size_t... I>(boost::mp11::index_sequence<I...>) {
    return BuildFields(fbb, order, std::tie(value.*boost::mp11::mp_at_c<Members<T>, I>::pointer...));
  }
  (boost::mp11::make_index_sequence<boost::mp11::mp_size<Members<T>>::value>());
}

// ---- Decoding ---------------------------------------------------------------

template <typename T>
bool ReadTable(const flatbuffers::Table* table, T* out);

// Reads field `field` of `table` into `out`; false when its value is impossible.
template <typename T>
bool ReadField(const flatbuffers::Table* table, flatbuffers::voffset_t field, T* out) {
  if constexpr (std::is_same_v<T, std::string>) {
    *out = Str(table->GetPointer<const flatbuffers::String*>(field));
  } else if constexpr (std::is_same_v<T, bool>) {
    *out = table->GetField<uint8_t>(field, 0) != 0;
  } else if constexpr (std::is_enum_v<T>) {
    const uint8_t v = table->GetField<uint8_t>(field, 0);
    if (v > LastValue(T{})) return false;
    *out = static_cast<T>(v);
  } else if constexpr (std::is_same_v<T, Date>) {
    out->days = table->GetField<int32_t>(field, 0);
  } else if constexpr (std::is_same_v<T, RoleSet>) {
    auto roles = RolesFrom(table->GetField<uint32_t>(field, 0));
    if (!roles) return false;
    *out = *roles;
  } else if constexpr (std::is_integral_v<T>) {
    *out = table->GetField<T>(field, 0);
  } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    *out = Strs(table->GetPointer<const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>*>(field));
  } else if constexpr (kHasElements<T>) {
    const auto* items = table->GetPointer<const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::Table>>*>(field);
    out->clear();
    if (items == nullptr) return true;
    for (const flatbuffers::Table* item : *items) {
      if constexpr (kIsMap<T>) {
        typename T::key_type key{};
        typename T::mapped_type value{};
        if (!ReadField(item, flatbuffers::FieldIndexToOffset(0), &key) ||
            !ReadField(item, flatbuffers::FieldIndexToOffset(1), &value))
          return false;
        (*out)[std::move(key)] = std::move(value);
      } else {
        typename T::value_type value{};
        if (!ReadTable(item, &value)) return false;
        out->push_back(std::move(value));
      }
    }
  } else if constexpr (kIsTable<T>) {
    const auto* nested = table->GetPointer<const flatbuffers::Table*>(field);
    if (nested == nullptr) return !kRequiredTable<T>;
    return ReadTable(nested, out);
  } else {
    static_assert(json_detail::kAlwaysFalse<T>, "no FlatBuffers form for this field type");
  }
  return true;
}

template <typename T>
bool ReadTable(const flatbuffers::Table* table, T* out) {
  bool ok = true;
  size_t index = 0;
  boost::mp11::mp_for_each<Members<T>>([&](auto member) {
    const flatbuffers::voffset_t field = flatbuffers::FieldIndexToOffset(static_cast<flatbuffers::voffset_t>(index++));
    ok = ok && ReadField(table, field, &(out->*member.pointer));
  });
  return ok;
}

// ---- Verifying ----------------------------------------------------------------
//
// What flatc's generated Verify() does, for a table of any described struct:
// every offset, string, vector and nested table lies inside the buffer. For
// bytes that have no generated table (a stream's state, states.cc).

template <typename T>
bool VerifyTable(flatbuffers::Verifier& verifier, const flatbuffers::Table* table);

template <typename T>
bool VerifyField(flatbuffers::Verifier& verifier, const flatbuffers::Table* table, flatbuffers::voffset_t field) {
  using flatbuffers::Offset;
  using flatbuffers::Vector;
  if constexpr (kIsScalar<T>) {
    using S = decltype(Stored(std::declval<T>()));
    return table->VerifyField<S>(verifier, field, sizeof(S));
  } else {
    // An offset is read only once VerifyOffset found it inside the buffer.
    if (!table->VerifyOffset(verifier, field)) return false;
    if constexpr (std::is_same_v<T, std::string>) {
      return verifier.VerifyString(table->GetPointer<const flatbuffers::String*>(field));
    } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
      const auto* items = table->GetPointer<const Vector<Offset<flatbuffers::String>>*>(field);
      return verifier.VerifyVector(items) && verifier.VerifyVectorOfStrings(items);
    } else if constexpr (kHasElements<T>) {
      const auto* items = table->GetPointer<const Vector<Offset<flatbuffers::Table>>*>(field);
      if (!verifier.VerifyVector(items)) return false;
      if (items == nullptr) return true;
      for (const flatbuffers::Table* item : *items) {
        if constexpr (kIsMap<T>) {
          if (!item->VerifyTableStart(verifier) ||
              !VerifyField<typename T::key_type>(verifier, item, flatbuffers::FieldIndexToOffset(0)) ||
              !VerifyField<typename T::mapped_type>(verifier, item, flatbuffers::FieldIndexToOffset(1)) ||
              !verifier.EndTable())
            return false;
        } else if (!VerifyTable<typename T::value_type>(verifier, item)) {
          return false;
        }
      }
      return true;
    } else if constexpr (kIsTable<T>) {
      const auto* nested = table->GetPointer<const flatbuffers::Table*>(field);
      return nested == nullptr || VerifyTable<T>(verifier, nested);
    } else {
      static_assert(json_detail::kAlwaysFalse<T>, "no FlatBuffers form for this field type");
    }
  }
}

template <typename T>
bool VerifyTable(flatbuffers::Verifier& verifier, const flatbuffers::Table* table) {
  if (!table->VerifyTableStart(verifier)) return false;
  bool ok = true;
  size_t index = 0;
  boost::mp11::mp_for_each<Members<T>>([&](auto member) {
    using Field = std::remove_cvref_t<decltype(std::declval<const T&>().*member.pointer)>;
    const flatbuffers::voffset_t field = flatbuffers::FieldIndexToOffset(static_cast<flatbuffers::voffset_t>(index++));
    ok = ok && VerifyField<Field>(verifier, table, field);
  });
  return ok && verifier.EndTable();
}

// The root table of `bytes` when it verifies as a T's table; nullptr otherwise.
// REQUIRES: bytes.data() is 8-byte aligned (base::AlignedCopy).
template <typename T>
const flatbuffers::Table* VerifiedDescribedRoot(std::string_view bytes) {
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  flatbuffers::Verifier verifier(data, bytes.size());
  if (bytes.size() < sizeof(Uoffset)) return nullptr;
  const Uoffset offset = verifier.VerifyOffset(0);
  if (offset == 0) return nullptr;
  const auto* root = reinterpret_cast<const flatbuffers::Table*>(data + offset);
  return VerifyTable<T>(verifier, root) ? root : nullptr;
}

}  // namespace described

// The payload of an event, written in `order`.
template <typename E>
std::string EncodeDescribed(const E& event, BuildOrder order) {
  flatbuffers::FlatBufferBuilder fbb;
  return Finish(fbb, flatbuffers::Offset<void>(described::BuildTable(fbb, event, order)));
}

// An aggregate's event (a variant of described events), written in `order`.
template <typename V>
EncodedEvent EncodeVariant(const V& event, BuildOrder order) {
  return std::visit(
      [order](const auto& e) {
        return EncodedEvent{std::string(std::decay_t<decltype(e)>::kTypeName), kCurrentSchemaVersion,
                            EncodeDescribed(e, order)};
      },
      event);
}

// Decodes a payload whose root table is `Table` (its generated type, which
// verifies the buffer) into an E, or a corrupt-payload rejection.
template <typename E, typename Table>
Outcome<Event> DecodeDescribed(std::string_view type, std::string_view payload) {
  if (VerifiedRoot<Table>(payload) == nullptr) return CorruptPayload(type);
  E event;
  const auto* root = flatbuffers::GetRoot<flatbuffers::Table>(payload.data());
  if (!described::ReadTable(root, &event)) return CorruptPayload(type);
  return Event{std::move(event)};
}

// An aggregate's decoder row for event E stored as table `Table`.
template <typename E, typename Table>
constexpr DecoderEntry Described() {
  return {E::kTypeName, DecodeDescribed<E, Table>};
}

}  // namespace ledger::core::internal

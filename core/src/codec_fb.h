// Internal: FlatBuffers helpers shared by the per-aggregate codecs.
#pragma once

#include <flatbuffers/flatbuffers.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec_internal.h"

namespace ledger::core::internal {

// The finished buffer as a payload string.
template <typename T>
std::string Finish(flatbuffers::FlatBufferBuilder& fbb, flatbuffers::Offset<T> root) {
  fbb.Finish(root);
  return std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
}

// The root table when the payload verifies as a T; nullptr otherwise.
template <typename T>
const T* VerifiedRoot(std::string_view payload) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(payload.data());
  flatbuffers::Verifier verifier(bytes, payload.size());
  if (!verifier.VerifyBuffer<T>(nullptr)) return nullptr;
  return flatbuffers::GetRoot<T>(bytes);
}

inline std::string Str(const flatbuffers::String* s) { return s ? s->str() : std::string(); }

inline std::vector<std::string> Strs(const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* v) {
  std::vector<std::string> out;
  if (v) {
    for (const auto* s : *v) out.push_back(Str(s));
  }
  return out;
}

inline flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>> Strs(
    flatbuffers::FlatBufferBuilder& fbb, const std::vector<std::string>& v) {
  return fbb.CreateVectorOfStrings(v);
}

// An enum stored as its underlying value, when within [0, last].
template <typename E>
std::optional<E> EnumFrom(uint8_t value, E last) {
  if (value > static_cast<uint8_t>(last)) return std::nullopt;
  return static_cast<E>(value);
}

// A role set from its bit mask, when no unknown bit is set.
inline std::optional<RoleSet> RolesFrom(uint32_t bits) {
  if (bits >> kRoleCount) return std::nullopt;
  RoleSet roles;
  for (int i = 0; i < kRoleCount; ++i) {
    if ((bits >> i) & 1u) roles.Add(static_cast<Role>(i));
  }
  return roles;
}

// Decodes a payload of table T with `from` (returning nullopt on an invalid
// field) into an Event, or a corrupt-payload rejection.
template <typename T, typename F>
Outcome<Event> DecodeWith(std::string_view type, std::string_view payload, F from) {
  const T* table = VerifiedRoot<T>(payload);
  if (table == nullptr) return CorruptPayload(type);
  auto event = from(*table);
  if (!event) return CorruptPayload(type);
  return Event{std::move(*event)};
}

}  // namespace ledger::core::internal

namespace ledger::core::internal {

// One event type's decoder: verifies the payload and converts it.
using PayloadDecoder = Outcome<Event> (*)(std::string_view type, std::string_view payload);
struct DecoderEntry {
  std::string_view type;
  PayloadDecoder decode;
};

// Finds `type` among an aggregate's decoders: nullopt when it is not one of
// them; otherwise the decoded event, or why it cannot be decoded.
template <size_t N>
DecodeResult DecodeByType(const DecoderEntry (&entries)[N], std::string_view type, uint32_t schema_version,
                          std::string_view payload) {
  for (const DecoderEntry& entry : entries) {
    if (entry.type != type) continue;
    if (schema_version != kCurrentSchemaVersion) return Outcome<Event>(UnsupportedSchemaVersion(type, schema_version));
    return entry.decode(type, payload);
  }
  return std::nullopt;
}

// The kTypeName of the alternative a variant holds.
template <typename V>
std::string TypeNameOf(const V& event) {
  return std::string(std::visit([](const auto& e) { return std::decay_t<decltype(e)>::kTypeName; }, event));
}

}  // namespace ledger::core::internal

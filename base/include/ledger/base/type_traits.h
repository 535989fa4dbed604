// Compile-time questions the described-struct codecs ask of a member's type.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ledger::base {

template <typename T>
inline constexpr bool kIsVector = false;
template <typename T, typename A>
inline constexpr bool kIsVector<std::vector<T, A>> = true;

// A map keyed by strings (a JSON object).
template <typename T>
inline constexpr bool kIsStringMap = false;
template <typename V, typename C, typename A>
inline constexpr bool kIsStringMap<std::map<std::string, V, C, A>> = true;

template <typename T>
inline constexpr bool kIsOptional = false;
template <typename T>
inline constexpr bool kIsOptional<std::optional<T>> = true;

// For a static_assert in the last branch of an `if constexpr` chain.
template <typename T>
inline constexpr bool kAlwaysFalse = false;

}  // namespace ledger::base

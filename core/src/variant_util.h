// Internal: moving values between the flat Command/Event variants and each
// aggregate's own variant.
#pragma once

#include <optional>
#include <type_traits>
#include <variant>

namespace ledger::core::internal {

template <typename T, typename V>
struct IsAlternative;
template <typename T, typename... Ts>
struct IsAlternative<T, std::variant<Ts...>> : std::disjunction<std::is_same<T, Ts>...> {};
template <typename T, typename V>
inline constexpr bool kIsAlternative = IsAlternative<T, V>::value;

// The value as a `Sub` variant, when its alternative belongs to Sub.
template <typename Sub, typename Full>
std::optional<Sub> Narrow(const Full& value) {
  return std::visit(
      [](const auto& x) -> std::optional<Sub> {
        using T = std::decay_t<decltype(x)>;
        if constexpr (kIsAlternative<T, Sub>) {
          return Sub{x};
        } else {
          return std::nullopt;
        }
      },
      value);
}

// A Sub variant as the Full variant holding the same alternative.
template <typename Full, typename Sub>
Full Widen(const Sub& value) {
  return std::visit([](const auto& x) -> Full { return Full{x}; }, value);
}

template <typename T>
inline constexpr bool kAlwaysFalse = false;

template <typename... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <typename... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

}  // namespace ledger::core::internal

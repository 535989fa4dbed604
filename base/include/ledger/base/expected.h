// Expected<T, E>: a value, or the error that stopped it (a small
// std::expected, which GCC 12 lacks). The one shape under base::Result<T>
// (errors of the machinery: base::Status) and core::Outcome<T> (refusals of
// the domain: core::Rejection), which add their own name for the error.
#pragma once

#include <utility>
#include <variant>

namespace ledger::base {

// REQUIRES: T and E are distinct types. Accessing value() of an error (or the
// error of a value) throws std::bad_variant_access.
template <typename T, typename E>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Expected(E error) : v_(std::move(error)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 protected:
  const E& error() const { return std::get<E>(v_); }

 private:
  std::variant<T, E> v_;
};

}  // namespace ledger::base

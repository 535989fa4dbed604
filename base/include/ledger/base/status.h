// Status and Result<T>: errors as values, for the store and every module above it.
//
// Every fallible operation returns a [[nodiscard]] Status or Result<T> built by
// the named factories below. Exceptions are reserved for broken invariants.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>

#include "ledger/base/expected.h"

namespace ledger::base {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk,
    kConflict,  // expected stream version did not match
    kNotFound,
    kInvalid,              // bad input: nothing was written
    kIdempotencyMismatch,  // command id reused with different content
    kCorruption,           // stored bytes fail decoding or the hash chain
    kIoError,
    kBusy,         // the data directory is held by another process
    kUnavailable,  // the store refuses appends (its log failed verification) or keeps no
                   // Merkle tree to prove from (the message says why and what to do,
                   // and is written for people)
  };

  Status() = default;
  static Status Ok() { return {}; }
  static Status Conflict(std::string msg) { return {Code::kConflict, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status Invalid(std::string msg) { return {Code::kInvalid, std::move(msg)}; }
  static Status IdempotencyMismatch(std::string msg) { return {Code::kIdempotencyMismatch, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {Code::kCorruption, std::move(msg)}; }
  static Status IoError(std::string msg) { return {Code::kIoError, std::move(msg)}; }
  static Status Busy(std::string msg) { return {Code::kBusy, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {Code::kUnavailable, std::move(msg)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "Conflict: stream claim-1 is at version 3" -- for logs and CLI output.
  std::string ToString() const;

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// Result<T>: a T or a non-ok Status. REQUIRES: built from a non-ok Status when
// it carries an error.
template <typename T>
class [[nodiscard]] Result : public Expected<T, Status> {
 public:
  Result(T value) : Expected<T, Status>(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : Expected<T, Status>(std::move(status)) {  // NOLINT
    assert(!this->error().ok());
  }

  // Ok when it holds a value.
  const Status& status() const {
    static const Status kOk;
    return this->ok() ? kOk : this->error();
  }
};

}  // namespace ledger::base

#include "ledger/base/status.h"

namespace ledger::base {
namespace {

const char* CodeName(Status::Code code) {
  switch (code) {
    case Status::Code::kOk: return "OK";
    case Status::Code::kConflict: return "Conflict";
    case Status::Code::kNotFound: return "NotFound";
    case Status::Code::kInvalid: return "Invalid";
    case Status::Code::kIdempotencyMismatch: return "IdempotencyMismatch";
    case Status::Code::kCorruption: return "Corruption";
    case Status::Code::kIoError: return "IoError";
    case Status::Code::kBusy: return "Busy";
    case Status::Code::kUnavailable: return "Unavailable";
  }
  return "Unknown";
}

}  // namespace

std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(CodeName(code_)) + ": " + message_;
}

}  // namespace ledger::base

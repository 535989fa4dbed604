// Clock: where the store reads "recorded at" from, so tests can fix time.
#pragma once

#include <cstdint>

namespace ledger::es {

class Clock {
 public:
  virtual ~Clock() = default;
  // Microseconds since the Unix epoch. Thread-safe.
  virtual int64_t NowMicros() const = 0;
};

// The wall clock. Thread-safe; a process-wide instance.
const Clock& SystemClock();

}  // namespace ledger::es

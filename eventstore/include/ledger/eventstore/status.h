// The store's errors as values: base::Status and base::Result<T> (see
// ledger/base/status.h), named here as the store's own for its callers.
#pragma once

#include "ledger/base/status.h"

namespace ledger::es {

using base::Status;
template <typename T>
using Result = base::Result<T>;

}  // namespace ledger::es

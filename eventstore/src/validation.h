// Input checks applied to an AppendRequest before it reaches the writer.
// A request that fails gets Status::Invalid and nothing is written.
#pragma once

#include "ledger/eventstore/event_store.h"

namespace ledger::es {

// Stream ids: [A-Za-z0-9._:@/-], 1..200 bytes. Event types: [A-Za-z0-9._-],
// 1..128 bytes. Command ids: printable ASCII without space (0x21..0x7e),
// 1..128 bytes. Actor and correlation ids: at most 256 bytes, no 0x00.
// Request tags: at most 64 bytes.
Status ValidateAppend(const AppendRequest& request, const Options& options);
Status ValidateStreamId(std::string_view stream_id);
// Request record keys: as command ids.
Status ValidateRequestKey(std::string_view key);

}  // namespace ledger::es

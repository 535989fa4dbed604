// The Merkle tree's nodes in the merkle column family (storage_format.h):
// staging the nodes an appended event completes, opening the tree (loading
// the writer's frontier, or building the tree of a store written before it),
// and answering tree heads and proofs from stored nodes.
#pragma once

#include <rocksdb/write_batch.h>

#include <vector>

#include "ledger/eventstore/merkle.h"
#include "store_db.h"

namespace ledger::es {

// Reads stored nodes as of `snapshot` (nullptr: the latest); a missing or
// malformed node is Corruption naming its key.
merkle::NodeReader StoredNodes(const StoreDb& db, const rocksdb::Snapshot* snapshot = nullptr);

// Whether meta "tree" says the merkle family holds the tree over the whole log.
Result<bool> TreeKept(const StoreDb& db, const rocksdb::Snapshot* snapshot = nullptr);

// Adds the leaf of the event whose hash is `event_hash` to `frontier` and
// stages every node it completes in `batch`.
void StageLeaf(const StoreDb& db, const Hash& event_hash, merkle::Frontier* frontier, rocksdb::WriteBatch* batch);

// The tree over the log up to `head`, at open: true with *frontier set when
// the store has it. When the store keeps it, its frontier is loaded from the
// stored nodes. When it does not (a store written before the tree) or its
// frontier cannot be read (nodes lost), an open for writing builds it from the
// events, which the hash chain protects, and records meta "tree"; a read-only
// open gets false and *no_tree says why. `rebuild` (Options::rebuild_tree;
// writable only): clear the tree and build it again whatever its state.
Result<bool> OpenTree(StoreDb& db, const Head& head, bool writable, bool rebuild, merkle::Frontier* frontier,
                      std::string* no_tree);

// For a store opened without its tree (Options::merkle_tree false): an open
// for writing drops meta "tree", so that the next open with the tree builds it
// again over the events appended meanwhile.
Status ForgetTree(StoreDb& db);

// Tree heads and proofs from stored nodes, for sizes up to `head` (the
// published head): Invalid for a size or position the log does not have.
Result<Hash> TreeRootAt(const StoreDb& db, const Head& head, uint64_t size);
Result<std::vector<Hash>> TreeInclusionProof(const StoreDb& db, const Head& head, uint64_t position, uint64_t size);
Result<std::vector<Hash>> TreeConsistencyProof(const StoreDb& db, const Head& head, uint64_t old_size,
                                               uint64_t new_size);

}  // namespace ledger::es

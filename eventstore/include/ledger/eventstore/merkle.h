// The Merkle tree over the log, as RFC 9162 (section 2.1) defines it: leaf i
// (0-based) is the hash of the event at position i + 1, and the tree head of
// the first n events is MTH(D[n]). Pure functions; where the hashes of the
// tree come from is the caller's (a NodeReader).
//
// The tree is kept as its complete subtrees: node (level, index) is the hash
// of leaves [index * 2^level, (index + 1) * 2^level). A node never changes
// once its last leaf exists, so a log of n events has at most 2n - 1 of them,
// each written once (Frontier::Add, beside the event that completes it),
// and every tree head, inclusion proof and consistency proof is computed
// from O(log n) of them.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/eventstore/envelope.h"
#include "ledger/eventstore/status.h"

namespace ledger::es::merkle {

// RFC 9162 2.1.1: the hash of a leaf, SHA-256(0x00 || data), and of an
// inner node, SHA-256(0x01 || left || right). The tree of no leaves has the
// hash of nothing, SHA-256("").
Hash LeafHash(std::string_view data);
Hash NodeHash(const Hash& left, const Hash& right);
Hash EmptyRoot();

// The leaf of an event: the hash of its 32-byte event hash.
Hash EventLeaf(const Hash& event_hash);

// A complete subtree: level 0 is a leaf.
struct NodeId {
  unsigned level = 0;
  uint64_t index = 0;
  bool operator==(const NodeId&) const = default;
};

// Reads a complete node the tree already has; a store failure (or a missing
// node: Corruption) is the Status.
using NodeReader = std::function<Result<Hash>(NodeId)>;

// The right edge of a tree: for each level, the last complete node there.
// It is all that adding the next leaf needs, and all that the head of the
// whole tree needs: O(log n) hashes, kept in memory by whoever appends.
class Frontier {
 public:
  Frontier() = default;
  // The frontier of the stored tree of `size` leaves: O(log n) reads.
  static Result<Frontier> Load(uint64_t size, const NodeReader& read);

  uint64_t size() const { return size_; }
  // Adds leaf number size() and appends every node it completes (the leaf
  // itself, then each level above while its index is odd) to *completed.
  void Add(const Hash& leaf, std::vector<std::pair<NodeId, Hash>>* completed);
  // Adds the complete subtree of 2^level leaves whose hash is `node` (its
  // leaves numbered from size() on) and appends every node it completes, the
  // subtree itself first. REQUIRES size() is a multiple of 2^level: the
  // subtree is aligned, so its nodes are those of a tree hashed apart.
  void AddSubtree(unsigned level, const Hash& node, std::vector<std::pair<NodeId, Hash>>* completed);
  // The complete subtrees the tree is made of, largest (leftmost) first: one
  // per set bit of size(). Adding them with AddSubtree, in order, to a frontier
  // whose size is a multiple of the largest gives the tree of both.
  std::vector<std::pair<NodeId, Hash>> Peaks() const;
  // MTH(D[size()]).
  Hash Root() const;

 private:
  uint64_t size_ = 0;
  // last_[k]: node (k, (size_ >> k) - 1), while size_ >> k >= 1; below the
  // level of a subtree added whole it is left as it was, and never read
  // again: the next node of such a level starts a new pair.
  std::vector<Hash> last_;
};

// "level L index I", as Verify and errors name a node.
std::string NodeName(NodeId id);

// The leaves node `id` covers: [first, end).
inline uint64_t FirstLeaf(NodeId id) { return id.index << id.level; }
inline uint64_t EndLeaf(NodeId id) { return (id.index + 1) << id.level; }

// MTH(D[size]): the tree head of the first `size` leaves (EmptyRoot for 0).
Result<Hash> Root(uint64_t size, const NodeReader& read);

// RFC 9162 2.1.3.1: the inclusion proof of leaf `index` in the tree of
// `size` leaves. REQUIRES index < size.
Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size, const NodeReader& read);

// RFC 9162 2.1.4.1: the consistency proof of the tree of `old_size` leaves
// with the tree of `new_size` leaves (empty when old_size is 0 or equal to
// new_size). REQUIRES old_size <= new_size.
Result<std::vector<Hash>> ConsistencyProof(uint64_t old_size, uint64_t new_size, const NodeReader& read);

// RFC 9162 2.1.3.2: whether `proof` shows `leaf` at `index` in the tree of
// `size` leaves whose head is `root`.
bool VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf, std::span<const Hash> proof, const Hash& root);

// RFC 9162 2.1.4.2: whether `proof` shows that the tree of `new_size` leaves
// (head `new_root`) extends the tree of `old_size` leaves (head `old_root`).
bool VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root, const Hash& new_root,
                       std::span<const Hash> proof);

}  // namespace ledger::es::merkle

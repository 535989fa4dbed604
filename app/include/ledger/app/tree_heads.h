// Signed tree heads: the head of the log's Merkle tree (es::TreeHead, RFC
// 9162) with the time it was signed, signed with the ledger's Ed25519 key
// (libsodium). An auditor who keeps one can later hold the ledger to it with
// inclusion and consistency proofs, trusting nothing but the public key
// (docs/auditing.md).
//
// The signed bytes are fixed, so that a verifier in any language rebuilds
// them exactly (TreeHeadMessage):
//
//   "ledger tree head v1\n"                   20 bytes
//   size                                      u64 BE
//   root                                      32 bytes
//   chain hash (the event hash at `size`)     32 bytes
//   signed at, microseconds since the epoch   u64 BE
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "ledger/core/payment_run.h"
#include "ledger/core/types.h"
#include "ledger/eventstore/event_store.h"
#include "ledger/projections/table.h"

namespace ledger::app {

using PublicKey = std::array<uint8_t, 32>;
using Signature = std::array<uint8_t, 64>;

inline constexpr std::string_view kTreeHeadDomain = "ledger tree head v1\n";

struct SignedTreeHead {
  es::TreeHead tree;
  core::Timestamp signed_at = 0;  // microseconds since the epoch
  PublicKey key{};                // the key that signed it
  Signature signature{};          // Ed25519 over TreeHeadMessage(tree, signed_at)
};

// The bytes a tree head's signature covers. REQUIRES: signed_at >= 0.
std::string TreeHeadMessage(const es::TreeHead& tree, core::Timestamp signed_at);

// Whether head.signature is head.key's signature of its message.
bool VerifyTreeHead(const SignedTreeHead& head);

// The ledger's signing key. Kept in one file of its own, readable by its
// owner only: the line "ed25519-seed <64 hex digits>". Move-only; the secret
// is wiped when the key is destroyed.
class SigningKey {
 public:
  // Reads `file`; when it does not exist, creates it with a new random key
  // (written to a temporary file with mode 0600, synced, then renamed, so a
  // crash never leaves half a key). Invalid when the file is not a key, or
  // when others than its owner may read it (saying to chmod 600 it).
  static es::Result<SigningKey> LoadOrCreate(const std::filesystem::path& file);

  SigningKey(SigningKey&& other) noexcept;
  SigningKey& operator=(SigningKey&& other) noexcept;
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;
  ~SigningKey();

  const PublicKey& public_key() const { return public_; }
  SignedTreeHead Sign(const es::TreeHead& tree, core::Timestamp signed_at) const;
  // This key's signature of KeyRotationMessage(next): its endorsement of the
  // key that replaces it.
  Signature Endorse(const PublicKey& next) const;

 private:
  SigningKey() = default;
  std::array<uint8_t, 64> secret_{};  // libsodium's secret key: seed || public key
  PublicKey public_{};
};

// ---- Key rotation (`ledger key rotate`; docs/auditing.md) ---------------------------
//
// The operator replaces the key; the log records each rotation
// (core::SigningKeyRotated in the system organisation's stream) with the old
// key's endorsement of the new one:
//
//   "ledger key rotation v1\n"               23 bytes
//   the new public key                        32 bytes
//
// The new key waits in NextKeyFile until the log has recorded it, then
// replaces the key file, so a crash between the two is finished at the next
// start (OpenSigningKey) and never leaves the ledger signing with a key the
// log does not name.

inline constexpr std::string_view kKeyRotationDomain = "ledger key rotation v1\n";

std::string KeyRotationMessage(const PublicKey& next);
bool VerifyKeyRotation(const PublicKey& previous, const PublicKey& next, const Signature& endorsement);

// <file>.next
std::filesystem::path NextKeyFile(const std::filesystem::path& file);
// Renames NextKeyFile(file) over `file` and syncs the directory.
es::Status AdoptNextKey(const std::filesystem::path& file);

// The key the ledger signs with, from `file`, held to the log: when the log
// records rotations, the key must be the last one named (a pending NextKeyFile
// that is that key is adopted first); Invalid, saying what to do, when it is
// not or the file is missing. With no rotation recorded, LoadOrCreate.
es::Result<SigningKey> OpenSigningKey(es::EventStore& store, const std::filesystem::path& file);

// Every rotation the log records, oldest first, each
// {position, previous_public_key, public_key, endorsement, rotated_at}.
es::Result<boost::json::array> KeyRotationsJson(es::EventStore& store);

// ---- As JSON (docs/api.md, "The log's Merkle tree") ----------------------------------

// A public key in lowercase hex, as every JSON answer and event names it.
std::string KeyHex(const PublicKey& key);

// The signed head as a payment run cites it (core::CitedHead): root, time,
// key and signature in lowercase hex.
core::CitedHead Cite(const SignedTreeHead& head);

// {size, root, chain_hash, signed_at_us, signed_at, public_key, signature},
// every hash and key in lowercase hex.
boost::json::object SignedTreeHeadJson(const SignedTreeHead& head);

// The signed head a payment run cites (core::CreatePaymentRun), in the
// same shape, so that ledger-verifier checks it like any other head.
// REQUIRES: the run cites a signed head (signed_head not empty).
boost::json::object CitedHeadJson(const core::PaymentRunState& run);

// Hashes as a JSON array of lowercase hex strings.
boost::json::array HexList(const std::vector<es::Hash>& hashes);

// One event as proof material: every field its hash covers (docs/storage.md,
// "Canonical bytes"), the payload as hex, its hash and prev_hash, and its
// inclusion proof, so that a verifier recomputes the hash and the tree's root
// from this alone.
boost::json::object ProofEventJson(const es::Envelope& e, const std::vector<es::Hash>& proof);

// Every event of one stream within the tree of `size` events, each as proof
// material with its inclusion proof in that tree.
es::Result<boost::json::array> StreamProof(es::EventStore& store, const std::string& stream_id, uint64_t size);

// Stamps a report with the log it was computed from: the event hash at
// table->as_of.position and the tree's root over positions 1..that position
// (projections::Table::head_hash, tree_root), so that the report can be tied
// to a signed head later. The root is left out when the store keeps no tree.
es::Status StampLogHead(es::EventStore& store, projections::Table* table);

// {algorithm: "Ed25519", public_key, rotations}: the key heads are signed
// with now, and the rotations the log records (KeyRotationsJson), through
// which a verifier holding an earlier key reaches this one.
boost::json::object PublicKeyJson(const PublicKey& key, boost::json::array rotations = {});

// {position, size, event_hash, leaf_hash, root, proof}: the event at
// `position` in the tree of `size` events. The store's Invalid when the log
// has no such position or size.
es::Result<boost::json::object> InclusionProofJson(es::EventStore& store, uint64_t position, uint64_t size);

// {from, to, from_root, to_root, proof}: the tree of `to` events extends the
// tree of `from`.
es::Result<boost::json::object> ConsistencyProofJson(es::EventStore& store, uint64_t from, uint64_t to);

}  // namespace ledger::app

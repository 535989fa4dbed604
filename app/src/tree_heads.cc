#include "ledger/app/tree_heads.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <span>
#include <stdexcept>
#include <utility>

#include "ledger/base/big_endian.h"
#include "ledger/base/hex.h"
#include "ledger/base/time.h"
#include "ledger/core/codec.h"
#include "ledger/core/domain.h"
#include "ledger/core/streams.h"
#include "ledger/eventstore/merkle.h"

namespace ledger::app {
namespace {

constexpr std::string_view kKeyPrefix = "ed25519-seed ";

void EnsureSodium() {
  static const bool ok = sodium_init() >= 0;
  if (!ok) throw std::runtime_error("libsodium failed to initialise");
}

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

// Makes a rename or a new file in `file`'s directory durable.
void SyncDirectoryOf(const std::filesystem::path& file) {
  const std::filesystem::path dir = file.has_parent_path() ? file.parent_path() : ".";
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

// Writes `text` to `file` with mode 0600 through a synced temporary file and a
// rename, then syncs the directory: the file is there whole or not at all.
es::Status WriteSecretFile(const std::filesystem::path& file, const std::string& text) {
  const std::filesystem::path tmp = file.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return es::Status::IoError(Errno("cannot create " + tmp.string()));
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), file.c_str()) != 0) {
    std::string error = Errno("cannot write " + file.string());
    ::unlink(tmp.c_str());
    return es::Status::IoError(error);
  }
  SyncDirectoryOf(file);
  return es::Status::Ok();
}

}  // namespace

std::string TreeHeadMessage(const es::TreeHead& tree, core::Timestamp signed_at) {
  std::string out(kTreeHeadDomain);
  base::AppendBE64(&out, tree.size);
  out.append(reinterpret_cast<const char*>(tree.root.data()), tree.root.size());
  out.append(reinterpret_cast<const char*>(tree.chain_hash.data()), tree.chain_hash.size());
  base::AppendBE64(&out, static_cast<uint64_t>(signed_at));
  return out;
}

bool VerifyTreeHead(const SignedTreeHead& head) {
  EnsureSodium();
  const std::string message = TreeHeadMessage(head.tree, head.signed_at);
  return crypto_sign_verify_detached(head.signature.data(), reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), head.key.data()) == 0;
}

es::Result<SigningKey> SigningKey::LoadOrCreate(const std::filesystem::path& file) {
  EnsureSodium();
  std::array<uint8_t, crypto_sign_SEEDBYTES> seed{};
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    if (errno != ENOENT) return es::Status::IoError(Errno("cannot read " + file.string()));
    randombytes_buf(seed.data(), seed.size());
    std::string text = std::string(kKeyPrefix) + base::ToHex(std::span<const uint8_t>(seed)) + "\n";
    es::Status written = WriteSecretFile(file, text);
    sodium_memzero(text.data(), text.size());
    if (!written.ok()) return written;
  } else {
    if ((st.st_mode & 077) != 0) {
      return es::Status::Invalid("the signing key " + file.string() +
                                 " may be read by other users: make it readable by its owner only (chmod 600 " +
                                 file.string() + ")");
    }
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    const bool ok = line.size() == kKeyPrefix.size() + 2 * seed.size() && line.starts_with(kKeyPrefix) &&
                    base::FromHex(std::string_view(line).substr(kKeyPrefix.size()), std::span<uint8_t>(seed));
    sodium_memzero(line.data(), line.size());
    if (!ok) {
      return es::Status::Invalid("the signing key " + file.string() +
                                 " is not a key (one line: \"ed25519-seed\" and 64 hex digits)");
    }
  }
  SigningKey key;
  crypto_sign_seed_keypair(key.public_.data(), key.secret_.data(), seed.data());
  sodium_memzero(seed.data(), seed.size());
  return key;
}

SigningKey::SigningKey(SigningKey&& other) noexcept : secret_(other.secret_), public_(other.public_) {
  sodium_memzero(other.secret_.data(), other.secret_.size());
}

SigningKey& SigningKey::operator=(SigningKey&& other) noexcept {
  if (this != &other) {
    secret_ = other.secret_;
    public_ = other.public_;
    sodium_memzero(other.secret_.data(), other.secret_.size());
  }
  return *this;
}

SigningKey::~SigningKey() { sodium_memzero(secret_.data(), secret_.size()); }

Signature SigningKey::Endorse(const PublicKey& next) const {
  Signature endorsement{};
  const std::string message = KeyRotationMessage(next);
  crypto_sign_detached(endorsement.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), secret_.data());
  return endorsement;
}

SignedTreeHead SigningKey::Sign(const es::TreeHead& tree, core::Timestamp signed_at) const {
  SignedTreeHead head;
  head.tree = tree;
  head.signed_at = signed_at;
  head.key = public_;
  const std::string message = TreeHeadMessage(tree, signed_at);
  crypto_sign_detached(head.signature.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), secret_.data());
  return head;
}

namespace {

// One shape for every signed head, whether signed now or cited by a run.
boost::json::object HeadJson(uint64_t size, std::string_view chain_hash, const core::CitedHead& signed_head) {
  return boost::json::object{
      {"size", size},
      {"root", signed_head.tree_root},
      {"chain_hash", chain_hash},
      {"signed_at_us", signed_head.signed_at},
      {"signed_at", base::FormatRfc3339Micros(signed_head.signed_at)},
      {"public_key", signed_head.public_key},
      {"signature", signed_head.signature},
  };
}

}  // namespace

std::string KeyHex(const PublicKey& key) { return base::ToHex(std::span<const uint8_t>(key)); }

core::CitedHead Cite(const SignedTreeHead& head) {
  return core::CitedHead{es::HashToHex(head.tree.root), head.signed_at, KeyHex(head.key),
                         base::ToHex(std::span<const uint8_t>(head.signature))};
}

boost::json::object SignedTreeHeadJson(const SignedTreeHead& head) {
  return HeadJson(head.tree.size, es::HashToHex(head.tree.chain_hash), Cite(head));
}

boost::json::object CitedHeadJson(const core::PaymentRunState& run) {
  return HeadJson(run.head_position, run.head_hash, run.signed_head);
}

boost::json::array HexList(const std::vector<es::Hash>& hashes) {
  boost::json::array out;
  out.reserve(hashes.size());
  for (const es::Hash& h : hashes) out.emplace_back(es::HashToHex(h));
  return out;
}

boost::json::object ProofEventJson(const es::Envelope& e, const std::vector<es::Hash>& proof) {
  return boost::json::object{
      {"position", e.position},
      {"stream", e.stream_id},
      {"version", e.stream_version},
      {"type", e.type},
      {"schema_version", e.schema_version},
      {"recorded_at_us", e.recorded_at_us},
      {"actor", e.actor_id},
      {"command_id", e.command_id},
      {"correlation_id", e.correlation_id},
      {"payload_hex", base::ToHex(e.payload)},
      {"prev_hash", es::HashToHex(e.prev_hash)},
      {"hash", es::HashToHex(e.hash)},
      {"proof", HexList(proof)},
  };
}

es::Result<boost::json::array> StreamProof(es::EventStore& store, const std::string& stream_id, uint64_t size) {
  auto events = store.ReadStream(stream_id);
  if (!events.ok()) return events.status();
  boost::json::array out;
  for (const es::Envelope& e : *events) {
    if (e.position > size) break;
    auto proof = store.InclusionProof(e.position, size);
    if (!proof.ok()) return proof.status();
    out.push_back(ProofEventJson(e, *proof));
  }
  return out;
}

es::Status StampLogHead(es::EventStore& store, projections::Table* table) {
  const uint64_t position = table->as_of.position;
  es::Hash hash{};
  if (position > 0) {
    auto events = store.ReadAll(position, 1);
    if (!events.ok()) return events.status();
    if (events->empty() || events->front().position != position) {
      return es::Status::Corruption("the log holds no event at position " + std::to_string(position) +
                                    ", which a report was computed as of");
    }
    hash = events->front().hash;
  }
  table->head_hash = es::HashToHex(hash);
  auto root = store.TreeRoot(position);
  if (root.ok()) {
    table->tree_root = es::HashToHex(*root);
  } else if (root.status().code() != es::Status::Code::kUnavailable) {
    return root.status();
  }
  return es::Status::Ok();
}

boost::json::object PublicKeyJson(const PublicKey& key, boost::json::array rotations) {
  return boost::json::object{{"algorithm", "Ed25519"},
                             {"public_key", KeyHex(key)},
                             {"rotations", std::move(rotations)}};
}

std::string KeyRotationMessage(const PublicKey& next) {
  std::string out(kKeyRotationDomain);
  out.append(reinterpret_cast<const char*>(next.data()), next.size());
  return out;
}

bool VerifyKeyRotation(const PublicKey& previous, const PublicKey& next, const Signature& endorsement) {
  EnsureSodium();
  const std::string message = KeyRotationMessage(next);
  return crypto_sign_verify_detached(endorsement.data(), reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), previous.data()) == 0;
}

std::filesystem::path NextKeyFile(const std::filesystem::path& file) { return file.string() + ".next"; }

es::Status AdoptNextKey(const std::filesystem::path& file) {
  const std::filesystem::path next = NextKeyFile(file);
  if (::rename(next.c_str(), file.c_str()) != 0) {
    return es::Status::IoError(Errno("cannot rename " + next.string() + " to " + file.string()));
  }
  SyncDirectoryOf(file);
  return es::Status::Ok();
}

namespace {

struct RecordedRotation {
  uint64_t position = 0;
  core::SigningKeyRotated event;
};

es::Result<std::vector<RecordedRotation>> RecordedRotations(es::EventStore& store) {
  auto events = store.ReadStream(core::OrgStream(core::kSystemOrgCode));
  if (!events.ok()) return events.status();
  std::vector<RecordedRotation> out;
  for (const es::Envelope& e : *events) {
    if (e.type != core::SigningKeyRotated::kTypeName) continue;
    auto decoded = core::Decode(e.type, e.schema_version, e.payload);
    if (!decoded.ok()) {
      return es::Status::Corruption("the key rotation at position " + std::to_string(e.position) +
                                    " cannot be read: " + decoded.rejection().message);
    }
    out.push_back({e.position, std::get<core::SigningKeyRotated>(decoded.value())});
  }
  return out;
}

}  // namespace

es::Result<boost::json::array> KeyRotationsJson(es::EventStore& store) {
  auto rotations = RecordedRotations(store);
  if (!rotations.ok()) return rotations.status();
  boost::json::array out;
  for (const RecordedRotation& r : *rotations) {
    out.push_back(boost::json::object{{"position", r.position},
                                      {"previous_public_key", r.event.previous_public_key},
                                      {"public_key", r.event.public_key},
                                      {"endorsement", r.event.endorsement},
                                      {"rotated_at", base::FormatRfc3339Micros(r.event.at)}});
  }
  return out;
}

es::Result<SigningKey> OpenSigningKey(es::EventStore& store, const std::filesystem::path& file) {
  auto rotations = RecordedRotations(store);
  if (!rotations.ok()) return rotations.status();
  if (rotations->empty()) return SigningKey::LoadOrCreate(file);
  const RecordedRotation& last = rotations->back();
  const std::string& recorded = last.event.public_key;
  std::error_code ec;
  if (std::filesystem::exists(NextKeyFile(file), ec)) {
    auto next = SigningKey::LoadOrCreate(NextKeyFile(file));
    if (!next.ok()) return next.status();
    if (KeyHex(next->public_key()) == recorded) {
      // A rotation the log recorded before its key file was renamed: finish it.
      if (es::Status s = AdoptNextKey(file); !s.ok()) return s;
      return next;
    }
  }
  if (!std::filesystem::exists(file, ec)) {
    return es::Status::Invalid("the signing key " + file.string() + " is missing, and the log (position " +
                               std::to_string(last.position) + ") says the ledger signs with key " + recorded +
                               ": put that key's file back from its copy");
  }
  auto key = SigningKey::LoadOrCreate(file);
  if (!key.ok()) return key.status();
  if (KeyHex(key->public_key()) != recorded) {
    return es::Status::Invalid("the signing key " + file.string() + " is key " + KeyHex(key->public_key()) +
                               ", but the log's last key rotation (position " + std::to_string(last.position) +
                               ") says the ledger signs with key " + recorded +
                               ": put that key's file back; `ledger key rotate` is the way to change keys");
  }
  return key;
}

es::Result<boost::json::object> InclusionProofJson(es::EventStore& store, uint64_t position, uint64_t size) {
  auto proof = store.InclusionProof(position, size);
  if (!proof.ok()) return proof.status();
  auto root = store.TreeRoot(size);
  if (!root.ok()) return root.status();
  auto events = store.ReadAll(position, 1);
  if (!events.ok()) return events.status();
  if (events->empty() || events->front().position != position) {
    return es::Status::Corruption("the log holds no event at position " + std::to_string(position) +
                                  ", which its tree covers");
  }
  const es::Hash& event_hash = events->front().hash;
  return boost::json::object{
      {"position", position},
      {"size", size},
      {"event_hash", es::HashToHex(event_hash)},
      {"leaf_hash", es::HashToHex(es::merkle::EventLeaf(event_hash))},
      {"root", es::HashToHex(*root)},
      {"proof", HexList(*proof)},
  };
}

es::Result<boost::json::object> ConsistencyProofJson(es::EventStore& store, uint64_t from, uint64_t to) {
  auto proof = store.ConsistencyProof(from, to);
  if (!proof.ok()) return proof.status();
  auto from_root = store.TreeRoot(from);
  if (!from_root.ok()) return from_root.status();
  auto to_root = store.TreeRoot(to);
  if (!to_root.ok()) return to_root.status();
  return boost::json::object{
      {"from", from},
      {"to", to},
      {"from_root", es::HashToHex(*from_root)},
      {"to_root", es::HashToHex(*to_root)},
      {"proof", HexList(*proof)},
  };
}

}  // namespace ledger::app

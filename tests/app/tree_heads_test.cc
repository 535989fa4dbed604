// Signed tree heads: the signing key's file (created once, owner-only,
// refused when others may read it or it is not a key), the signed bytes'
// fixed layout, and the ledger re-signing only when the log grew or the head
// is old.
#include "ledger/app/tree_heads.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <span>

#include "ledger/app/command_bus.h"
#include "ledger/base/big_endian.h"
#include "ledger/base/hex.h"
#include "ledger/core/domain.h"
#include "ledger/core/streams.h"
#include "support/temp_dir.h"
#include "support/world.h"

namespace ledger::app {
namespace {

using ledger::testing::ReadFile;
using ledger::testing::WriteFile;

es::TreeHead SomeTree(uint64_t size) {
  es::TreeHead tree;
  tree.size = size;
  tree.root.fill(0xab);
  tree.chain_hash.fill(0xcd);
  return tree;
}

TEST_CASE("the signing key is created once, readable by its owner only, and read back the same") {
  ledger::testing::TempDir dir;
  const std::filesystem::path file = dir.path() / "signing.key";
  auto created = SigningKey::LoadOrCreate(file);
  REQUIRE_MESSAGE(created.ok(), created.status().ToString());
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(ReadFile(file).starts_with("ed25519-seed "));
  CHECK_FALSE(std::filesystem::exists(file.string() + ".tmp"));
  auto again = SigningKey::LoadOrCreate(file);
  REQUIRE(again.ok());
  CHECK(again->public_key() == created->public_key());
  auto other = SigningKey::LoadOrCreate(dir.path() / "other.key");
  REQUIRE(other.ok());
  CHECK(other->public_key() != created->public_key());
}

TEST_CASE("a key file others may read, or one that is not a key, is refused saying what to do") {
  ledger::testing::TempDir dir;
  const std::filesystem::path file = dir.path() / "signing.key";
  REQUIRE(SigningKey::LoadOrCreate(file).ok());
  REQUIRE(::chmod(file.c_str(), 0644) == 0);
  auto readable = SigningKey::LoadOrCreate(file);
  CHECK(readable.status().code() == es::Status::Code::kInvalid);
  CHECK(readable.status().message().find("chmod 600") != std::string::npos);

  const std::filesystem::path bad = dir.path() / "bad.key";
  WriteFile(bad, "ed25519-seed 1234\n");
  REQUIRE(::chmod(bad.c_str(), 0600) == 0);
  auto garbage = SigningKey::LoadOrCreate(bad);
  CHECK(garbage.status().code() == es::Status::Code::kInvalid);
  CHECK(garbage.status().message().find("is not a key") != std::string::npos);
}

TEST_CASE("a head's signature covers exactly its size, root, chain hash and time") {
  ledger::testing::TempDir dir;
  auto key = SigningKey::LoadOrCreate(dir.path() / "signing.key");
  REQUIRE(key.ok());
  const es::TreeHead tree = SomeTree(1234);
  const std::string message = TreeHeadMessage(tree, 5'000'000);
  REQUIRE(message.size() == 20 + 8 + 32 + 32 + 8);
  CHECK(message.starts_with("ledger tree head v1\n"));
  CHECK(base::ReadBE64(std::string_view(message).substr(20, 8)) == 1234);
  CHECK(base::ReadBE64(std::string_view(message).substr(92, 8)) == 5'000'000);

  SignedTreeHead head = key->Sign(tree, 5'000'000);
  CHECK(head.key == key->public_key());
  CHECK(VerifyTreeHead(head));
  for (auto alter : std::initializer_list<void (*)(SignedTreeHead&)>{
           [](SignedTreeHead& h) { h.tree.size += 1; },
           [](SignedTreeHead& h) { h.tree.root[3] ^= 1; },
           [](SignedTreeHead& h) { h.tree.chain_hash[30] ^= 1; },
           [](SignedTreeHead& h) { h.signed_at += 1; },
           [](SignedTreeHead& h) { h.signature[10] ^= 1; },
       }) {
    SignedTreeHead altered = head;
    alter(altered);
    CHECK_FALSE(VerifyTreeHead(altered));
  }
}

TEST_CASE("the ledger signs the current tree head, again only once the log grew or a minute passed") {
  ledger::testing::LedgerWorld world;
  world.Start();
  Ledger& ledger = world.ledger();
  REQUIRE(ledger.public_key().has_value());
  auto first = ledger.SignedHead();
  REQUIRE_MESSAGE(first.ok(), first.status().ToString());
  CHECK(first->tree.size == ledger.store().GetHead().position);
  CHECK(VerifyTreeHead(*first));
  world.now += 1'000'000;
  CHECK(ledger.SignedHead()->signed_at == first->signed_at);  // nothing new: the same head
  world.now += Ledger::kTreeHeadResign;
  CHECK(ledger.SignedHead()->signed_at == world.now);  // a minute on: signed again
  ledger::testing::Seed(ledger.store(), core::OrgStream("XYZ"),
                        {core::OrganisationRegistered{"XYZ", "A practice", core::OrgKind::kPractice, "C1"}});
  auto grown = ledger.SignedHead();
  REQUIRE(grown.ok());
  CHECK(grown->tree.size == first->tree.size + 1);
}

std::string Hex(const PublicKey& key) { return base::ToHex(std::span<const uint8_t>(key)); }

TEST_CASE("a rotation's endorsement is the old key's signature of the new key, and nothing else") {
  ledger::testing::TempDir dir;
  auto old_key = SigningKey::LoadOrCreate(dir.path() / "old.key");
  auto new_key = SigningKey::LoadOrCreate(dir.path() / "new.key");
  REQUIRE((old_key.ok() && new_key.ok()));
  CHECK(KeyRotationMessage(new_key->public_key()) ==
        "ledger key rotation v1\n" + std::string(reinterpret_cast<const char*>(new_key->public_key().data()), 32));
  const Signature endorsement = old_key->Endorse(new_key->public_key());
  CHECK(VerifyKeyRotation(old_key->public_key(), new_key->public_key(), endorsement));
  CHECK_FALSE(VerifyKeyRotation(new_key->public_key(), new_key->public_key(), endorsement));
  CHECK_FALSE(VerifyKeyRotation(old_key->public_key(), old_key->public_key(), endorsement));
  Signature altered = endorsement;
  altered[5] ^= 1;
  CHECK_FALSE(VerifyKeyRotation(old_key->public_key(), new_key->public_key(), altered));
}

TEST_CASE("the ledger opens only the key the log last rotated to, finishing a rotation a crash interrupted") {
  ledger::testing::LedgerWorld world;
  es::EventStore& store = world.ledger().store();
  ledger::testing::TempDir dir;
  const std::filesystem::path file = dir.path() / "signing.key";
  // No rotation recorded: the key is made at the first open and kept.
  auto first = OpenSigningKey(store, file);
  REQUIRE_MESSAGE(first.ok(), first.status().ToString());
  CHECK(OpenSigningKey(store, file)->public_key() == first->public_key());
  auto rotations = KeyRotationsJson(store);
  REQUIRE(rotations.ok());
  CHECK(rotations->empty());

  // A rotation recorded while the new key still waits beside the old one (the
  // process stopped before renaming it): the next open adopts it.
  auto next = SigningKey::LoadOrCreate(NextKeyFile(file));
  REQUIRE(next.ok());
  const Signature endorsement = first->Endorse(next->public_key());
  ledger::testing::Seed(store, core::OrgStream(core::kSystemOrgCode),
                        {core::OrganisationRegistered{std::string(core::kSystemOrgCode), "Ledger operators",
                                                      core::OrgKind::kSystem}});
  CommandBus bus(store);
  ExecuteResult recorded = bus.Execute(core::CommandMeta{"rotate-1", "rotate-1", "", 1},
                                       core::RotateSigningKey{std::string(core::kSystemOrgCode),
                                                              Hex(first->public_key()), Hex(next->public_key()),
                                                              base::ToHex(std::span<const uint8_t>(endorsement))});
  REQUIRE_MESSAGE(recorded.ok(), recorded.Describe());
  auto adopted = OpenSigningKey(store, file);
  REQUIRE_MESSAGE(adopted.ok(), adopted.status().ToString());
  CHECK(adopted->public_key() == next->public_key());
  CHECK_FALSE(std::filesystem::exists(NextKeyFile(file)));
  CHECK(SigningKey::LoadOrCreate(file)->public_key() == next->public_key());
  rotations = KeyRotationsJson(store);
  REQUIRE(rotations.ok());
  REQUIRE(rotations->size() == 1);
  CHECK((*rotations)[0].at("public_key").as_string() == Hex(next->public_key()));
  CHECK((*rotations)[0].at("previous_public_key").as_string() == Hex(first->public_key()));

  // Another key in the file, or no file, is refused saying which key the log names.
  const std::filesystem::path other = dir.path() / "other.key";
  REQUIRE(SigningKey::LoadOrCreate(other).ok());
  auto wrong = OpenSigningKey(store, other);
  CHECK(wrong.status().code() == es::Status::Code::kInvalid);
  CHECK(wrong.status().message().find("says the ledger signs with key " + Hex(next->public_key())) !=
        std::string::npos);
  auto missing = OpenSigningKey(store, dir.path() / "missing.key");
  CHECK(missing.status().code() == es::Status::Code::kInvalid);
  CHECK(missing.status().message().find("is missing") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.path() / "missing.key"));
}

}  // namespace
}  // namespace ledger::app

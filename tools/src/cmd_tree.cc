// The log's Merkle tree from the command line (docs/auditing.md):
//   ledger prove         proofs in the API's JSON, so ledger-verifier reads them alike
//   ledger key show      the public half of the key tree heads are signed with
//   ledger key rotate    a new key, the rotation recorded in the log
//   ledger rebuild-tree  builds a damaged tree again from the events
#include <fmt/format.h>
#include <boost/json/serialize.hpp>

#include <filesystem>
#include <span>

#include "commands.h"
#include "ledger/app/command_bus.h"
#include "ledger/app/tree_heads.h"
#include "ledger/base/hex.h"
#include "ledger/core/streams.h"
#include "operator.h"

namespace ledger::tools {
namespace {

// The data directory's signing key; never creates one (only `ledger serve` does).
std::optional<app::SigningKey> ReadSigningKey(const DataDir& data, int* exit_code) {
  std::error_code ec;
  if (!std::filesystem::exists(data.signing_key(), ec)) {
    *exit_code = Fail(kExitFailed, fmt::format("there is no signing key in {}: `ledger serve` creates it at its "
                                               "first start",
                                               data.root().string()));
    return std::nullopt;
  }
  auto key = app::SigningKey::LoadOrCreate(data.signing_key());
  if (!key.ok()) {
    *exit_code = Fail(kExitFailed, fmt::format("cannot read the signing key: {}", key.status().message()));
    return std::nullopt;
  }
  return std::move(key).value();
}

struct ProveArgs {
  std::string data;
  std::string claim;
  uint64_t position = 0;
  uint64_t size = 0;
  uint64_t from = 0;
  uint64_t to = 0;
};

int PrintJson(const boost::json::object& json) {
  fmt::print("{}\n", boost::json::serialize(json));
  return kExitOk;
}

// A proof the store refused: a size or position the log does not have is the
// user's mistake (exit 2), anything else a failure (exit 1).
int Refused(const CLI::App& app, const es::Status& status) {
  if (status.code() == es::Status::Code::kInvalid) return UsageError(app, status.message());
  return Fail(kExitFailed, fmt::format("no proof: {}", status.ToString()));
}

int RunProve(const CLI::App& app, const ProveArgs& args) {
  const int asked = (app.count("--claim") > 0) + (app.count("--position") > 0) + (app.count("--from") > 0);
  if (asked != 1) return UsageError(app, "give one of --claim ID, --position P or --from M");
  DataDir data(args.data);
  int exit_code = kExitOk;
  auto store = OpenStoreReadOnly(data, &exit_code);
  if (!store) return exit_code;
  auto tree = store->GetTreeHead();
  if (!tree.ok()) return Fail(kExitFailed, fmt::format("no proofs from this store: {}", tree.status().message()));
  if (app.count("--claim") > 0) {
    auto key = ReadSigningKey(data, &exit_code);
    if (!key) return exit_code;
    const app::SignedTreeHead head = key->Sign(*tree, WallClockMicros());
    auto events = app::StreamProof(*store, core::ClaimStream(args.claim), head.tree.size);
    if (!events.ok()) return Refused(app, events.status());
    if (events->empty()) return Fail(kExitFailed, fmt::format("there is no claim {} in the log", args.claim));
    return PrintJson(boost::json::object{{"claim_id", args.claim},
                                         {"head", app::SignedTreeHeadJson(head)},
                                         {"events", std::move(*events)}});
  }
  if (app.count("--position") > 0) {
    const uint64_t size = app.count("--size") > 0 ? args.size : tree->size;
    auto proof = app::InclusionProofJson(*store, args.position, size);
    return proof.ok() ? PrintJson(*proof) : Refused(app, proof.status());
  }
  const uint64_t to = app.count("--to") > 0 ? args.to : tree->size;
  auto proof = app::ConsistencyProofJson(*store, args.from, to);
  return proof.ok() ? PrintJson(*proof) : Refused(app, proof.status());
}

int RunKeyShow(const std::string& dir) {
  DataDir data(dir);
  int exit_code = kExitOk;
  auto key = ReadSigningKey(data, &exit_code);
  if (!key) return exit_code;
  auto store = OpenStoreReadOnly(data, &exit_code);
  if (!store) return exit_code;
  auto rotations = app::KeyRotationsJson(*store);
  if (!rotations.ok())
    return Fail(kExitFailed, fmt::format("cannot read the key rotations: {}", rotations.status().ToString()));
  return PrintJson(app::PublicKeyJson(key->public_key(), std::move(*rotations)));
}

// A new key replaces the one in force: the new key is written beside it
// (signing.key.next), the log records the rotation with the old key's
// endorsement, then the new key file replaces the old (app::OpenSigningKey
// finishes this at the next start should the process stop in between).
int RunKeyRotate(const std::string& dir) {
  DataDir data(dir);
  int exit_code = kExitOk;
  if (!ReadSigningKey(data, &exit_code)) return exit_code;
  auto store = OpenStoreForWriting(data, /*create_if_missing=*/false, &exit_code);
  if (!store) return exit_code;
  auto current = app::OpenSigningKey(*store, data.signing_key());
  if (!current.ok()) return Fail(kExitFailed, fmt::format("cannot rotate: {}", current.status().message()));
  auto next = app::SigningKey::LoadOrCreate(app::NextKeyFile(data.signing_key()));
  if (!next.ok()) return Fail(kExitFailed, fmt::format("cannot make the new key: {}", next.status().message()));
  app::CommandBus bus(*store);
  if (auto failed = EnsureSystemOrganisation(bus)) return ReportExecuted(*failed, "");
  const std::string next_hex = app::KeyHex(next->public_key());
  core::RotateSigningKey command{std::string(core::kSystemOrgCode), app::KeyHex(current->public_key()), next_hex,
                                 base::ToHex(std::span<const uint8_t>(current->Endorse(next->public_key())))};
  app::ExecuteResult recorded = bus.Execute(OperatorMeta("key-rotate-" + next_hex.substr(0, 16)), command);
  if (!recorded.ok()) return ReportExecuted(recorded, "");
  if (es::Status s = app::AdoptNextKey(data.signing_key()); !s.ok()) {
    return Fail(kExitFailed, fmt::format("the log records the new key, but {}: the next `ledger serve` finishes the "
                                         "rotation",
                                         s.message()));
  }
  auto rotations = app::KeyRotationsJson(*store);
  if (!rotations.ok()) return Fail(kExitFailed, rotations.status().ToString());
  fmt::print(stderr,
             "rotated the signing key: heads are signed with {} from now on; heads signed before stay valid under "
             "{}. Publish the new key (the JSON below) to the auditors, and keep a copy of {} apart.\n",
             next_hex, command.previous_public_key, data.signing_key().string());
  return PrintJson(app::PublicKeyJson(next->public_key(), std::move(*rotations)));
}

int RunRebuildTree(const std::string& dir) {
  es::Options options;
  options.create_if_missing = false;
  options.rebuild_tree = true;
  int exit_code = kExitOk;
  auto store = OpenStoreForWriting(DataDir(dir), options, &exit_code);
  if (!store) return exit_code;
  auto tree = store->GetTreeHead();
  if (!tree.ok()) return Fail(kExitFailed, fmt::format("the tree could not be built: {}", tree.status().ToString()));
  fmt::print(stderr, "rebuilt the Merkle tree over {} events\n", tree->size);
  fmt::print("{}:{}\n", tree->size, es::HashToHex(tree->root));
  return kExitOk;
}

}  // namespace

void RegisterTree(CLI::App& app, CommandRegistry& registry) {
  auto prove_args = std::make_shared<ProveArgs>();
  CLI::App* prove = app.add_subcommand(
      "prove", "Print a proof from the log's Merkle tree as JSON, as the API answers it (docs/auditing.md)");
  AddDataOption(prove, &prove_args->data);
  prove
      ->add_option("--claim", prove_args->claim,
                   "Every event of this claim with its inclusion proof, in a head "
                   "signed now with the data directory's key")
      ->type_name("ID");
  prove->add_option("--position", prove_args->position, "The inclusion proof of the event at this position")
      ->type_name("P");
  prove->add_option("--size", prove_args->size, "With --position: in the tree of this many events (default: all)")
      ->type_name("N");
  prove->add_option("--from", prove_args->from, "The consistency proof from the tree of this many events")
      ->type_name("M");
  prove->add_option("--to", prove_args->to, "With --from: to the tree of this many events (default: all)")
      ->type_name("N");
  prove->footer(
      "Opens the store read-only, so it works while the server runs. Check the output with ledger-verifier.\n\n"
      "Examples:\n"
      "  ledger prove --data /var/lib/ledger --claim c-426b6c46 > claim.json\n"
      "  ledger prove --data /var/lib/ledger --from 120345 > consistency.json");
  registry.Add(prove, [prove, prove_args] { return RunProve(*prove, *prove_args); });

  auto key_data = std::make_shared<std::string>();
  CLI::App* key = app.add_subcommand("key", "The key tree heads are signed with");
  key->require_subcommand(1, 1);
  key->footer("Example:\n  ledger key show --data /var/lib/ledger");
  CLI::App* show = key->add_subcommand(
      "show", "Print the public key and the rotations the log records as JSON, as GET /api/v1/ledger/public-key");
  AddDataOption(show, key_data.get());
  show->footer(
      "Opens the store read-only, so it works while the server runs.\n\nExample:\n"
      "  ledger key show --data /var/lib/ledger");
  registry.Add(show, [key_data] { return RunKeyShow(*key_data); });
  CLI::App* rotate = key->add_subcommand(
      "rotate", "Replace the signing key with a new one; the log records the rotation, endorsed by the old key");
  AddDataOption(rotate, key_data.get());
  rotate->footer(
      "Opens the store for writing, so stop the server first. Heads signed with the old key stay valid: a verifier\n"
      "given the old key and the new public-key JSON follows the endorsement to the new key (docs/auditing.md).\n\n"
      "Example:\n  ledger key rotate --data /var/lib/ledger > public-key.json");
  registry.Add(rotate, [key_data] { return RunKeyRotate(*key_data); });

  auto tree_data = std::make_shared<std::string>();
  CLI::App* tree = app.add_subcommand(
      "rebuild-tree", "Build the log's Merkle tree again from the events; print its size and root as SIZE:ROOT");
  AddDataOption(tree, tree_data.get());
  tree->footer(
      "For a tree `ledger verify` found damaged: the tree is computed from the event hashes, which verify checked\n"
      "first. Opens the store for writing, so stop the server first. The events are not changed.\n\n"
      "Example:\n  ledger rebuild-tree --data /var/lib/ledger");
  registry.Add(tree, [tree_data] { return RunRebuildTree(*tree_data); });
}

}  // namespace ledger::tools

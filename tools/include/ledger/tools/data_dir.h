// The data directory: where the `ledger` binary (every subcommand, `serve`
// included) keeps its files. One convention, in one place:
//
//   <data>/events        the event store (RocksDB; the source of truth)
//   <data>/projections   read models, rebuilt from the log at any time
//   <data>/evidence      evidence files, content-addressed:
//                        <data>/evidence/<first two hex digits>/<sha256>
//   <data>/signing.key   the Ed25519 key tree heads are signed with (mode
//                        0600; created by the first `ledger serve`; not in
//                        backups: keep a copy of it apart)
//
// A backup (`ledger backup --to DIR2`) has the same layout, plus a BACKUP file
// naming the head it was taken at. Pure path arithmetic; thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace ledger::tools {

inline constexpr std::string_view kEventsDirName = "events";
inline constexpr std::string_view kProjectionsDirName = "projections";
inline constexpr std::string_view kEvidenceDirName = "evidence";
inline constexpr std::string_view kBackupManifestName = "BACKUP";
inline constexpr std::string_view kSigningKeyName = "signing.key";

class DataDir {
 public:
  explicit DataDir(std::filesystem::path root) : root_(std::move(root)) {}

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path events() const { return root_ / kEventsDirName; }
  std::filesystem::path projections() const { return root_ / kProjectionsDirName; }
  std::filesystem::path evidence() const { return root_ / kEvidenceDirName; }
  std::filesystem::path signing_key() const { return root_ / kSigningKeyName; }
  // Where the bytes of one evidence file live. REQUIRES: sha256 is 64 lowercase hex digits.
  std::filesystem::path EvidenceFile(std::string_view sha256) const {
    return evidence() / std::string(sha256.substr(0, 2)) / std::string(sha256);
  }

 private:
  std::filesystem::path root_;
};

}  // namespace ledger::tools

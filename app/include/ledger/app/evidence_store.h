// The content-addressed evidence file store: one file a SHA-256, written
// once, shared by the API and the portal. Thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "ledger/eventstore/status.h"

namespace ledger::app {

// <dir>/<sha[0..2]>/<sha>.
std::filesystem::path EvidencePath(const std::filesystem::path& dir, std::string_view sha256);
// Writes bytes to EvidencePath (temporary file, fsync, rename) unless already
// there. Racing writers of the same content are harmless.
es::Status StoreEvidence(const std::filesystem::path& dir, std::string_view sha256, std::string_view bytes);
// The bytes of a stored file; NotFound when absent.
es::Result<std::string> ReadEvidence(const std::filesystem::path& dir, std::string_view sha256);

}  // namespace ledger::app

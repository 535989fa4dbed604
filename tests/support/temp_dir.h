// TempDir: a fresh directory under $TMPDIR, removed with everything in it when
// the object goes out of scope. Not thread-safe; one per test. And the bytes
// of a whole file, read and written.
#pragma once

#include <filesystem>
#include <string>

namespace ledger::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }
  // A path inside the directory (not created).
  std::string Sub(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// The bytes of a file ("" when it cannot be read).
std::string ReadFile(const std::filesystem::path& path);
// Replaces a file's bytes with `bytes`.
void WriteFile(const std::filesystem::path& path, const std::string& bytes);

}  // namespace ledger::testing

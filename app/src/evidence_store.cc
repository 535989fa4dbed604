#include "ledger/app/evidence_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ledger::app {
namespace {

// ".tmp-<pid>-<n>": unique among the writers of one directory (O_EXCL refuses a clash).
std::string TempSuffix() {
  static std::atomic<uint64_t> next{0};
  return ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(next.fetch_add(1));
}

}  // namespace

std::filesystem::path EvidencePath(const std::filesystem::path& dir, std::string_view sha256) {
  return dir / std::string(sha256.substr(0, 2)) / std::string(sha256);
}

es::Status StoreEvidence(const std::filesystem::path& dir, std::string_view sha256, std::string_view bytes) {
  std::filesystem::path target = EvidencePath(dir, sha256);
  std::error_code ec;
  if (std::filesystem::exists(target, ec)) return es::Status::Ok();
  std::filesystem::create_directories(target.parent_path(), ec);
  if (ec) return es::Status::IoError("cannot create " + target.parent_path().string() + ": " + ec.message());
  std::filesystem::path temp = target;
  temp += TempSuffix();
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return es::Status::IoError("cannot create " + temp.string() + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      ::close(fd);
      std::filesystem::remove(temp, ec);
      return es::Status::IoError("cannot write " + temp.string() + ": " + std::strerror(err));
    }
    done += static_cast<size_t>(n);
  }
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) {
    std::filesystem::remove(temp, ec);
    return es::Status::IoError("cannot sync " + temp.string());
  }
  std::filesystem::rename(temp, target, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    return es::Status::IoError("cannot rename into " + target.string());
  }
  return es::Status::Ok();
}

es::Result<std::string> ReadEvidence(const std::filesystem::path& dir, std::string_view sha256) {
  std::ifstream in(EvidencePath(dir, sha256), std::ios::binary);
  if (!in) return es::Status::NotFound("no evidence file " + std::string(sha256));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace ledger::app

// FaultFs: a RocksDB file system for tests that fails on command and can
// simulate a power cut.
//
//   - FailWrites(kEio / kNoSpace): every append to a writable file fails.
//   - FailSyncs(kEio / kNoSpace): every Sync/Fsync of a writable file fails
//     (the data may already be in the page cache, but was never made durable).
//   - PowerCut(): from now on nothing reaches the disk (appends and syncs
//     fail); once the store is closed, DropUnsynced() truncates every file
//     written through this file system to the length it had at its last
//     successful sync, as a machine that lost power would find it.
//
// Directory entries are treated as durable when created (RocksDB syncs the
// directory after creating its files); only file contents are modelled.
// Thread-safe.
#pragma once

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace ledger::testing {

class FaultFs : public rocksdb::FileSystemWrapper {
 public:
  enum class Fault { kNone, kEio, kNoSpace };

  FaultFs() : rocksdb::FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  const char* Name() const override { return "FaultFs"; }

  void FailWrites(Fault f) {
    std::lock_guard lock(mu_);
    write_fault_ = f;
  }
  void FailSyncs(Fault f) {
    std::lock_guard lock(mu_);
    sync_fault_ = f;
  }
  // What GetFreeSpace reports from now on (nullopt: the real figure).
  void ReportFreeSpace(std::optional<uint64_t> bytes) {
    std::lock_guard lock(mu_);
    free_space_ = bytes;
  }
  void PowerCut() {
    std::lock_guard lock(mu_);
    cut_ = true;
  }
  // REQUIRES: PowerCut() was called and the store using this file system is closed.
  void DropUnsynced() {
    std::lock_guard lock(mu_);
    for (const auto& [path, state] : files_) {
      std::error_code ec;
      if (std::filesystem::exists(path, ec)) std::filesystem::resize_file(path, state.synced, ec);
    }
    files_.clear();
    cut_ = false;
  }
  // An Env for rocksdb::Options::env that routes every file through this.
  static std::shared_ptr<rocksdb::Env> EnvFor(const std::shared_ptr<FaultFs>& fs) {
    return std::shared_ptr<rocksdb::Env>(rocksdb::NewCompositeEnv(fs).release());
  }

  rocksdb::IOStatus GetFreeSpace(const std::string& path, const rocksdb::IOOptions& o, uint64_t* free,
                                 rocksdb::IODebugContext* dbg) override {
    {
      std::lock_guard lock(mu_);
      if (free_space_) {
        *free = *free_space_;
        return rocksdb::IOStatus::OK();
      }
    }
    return target()->GetFreeSpace(path, o, free, dbg);
  }
  rocksdb::IOStatus NewWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                    std::unique_ptr<rocksdb::FSWritableFile>* r,
                                    rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->NewWritableFile(f, o, r, dbg);
    if (s.ok()) Wrap(f, 0, r);
    return s;
  }
  rocksdb::IOStatus ReopenWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                       std::unique_ptr<rocksdb::FSWritableFile>* r,
                                       rocksdb::IODebugContext* dbg) override {
    uint64_t size = 0;
    (void)target()->GetFileSize(f, rocksdb::IOOptions(), &size, dbg);
    rocksdb::IOStatus s = target()->ReopenWritableFile(f, o, r, dbg);
    if (s.ok()) Wrap(f, size, r);
    return s;
  }
  rocksdb::IOStatus ReuseWritableFile(const std::string& f, const std::string& old, const rocksdb::FileOptions& o,
                                      std::unique_ptr<rocksdb::FSWritableFile>* r,
                                      rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->ReuseWritableFile(f, old, o, r, dbg);
    if (s.ok()) {
      Forget(old);
      Wrap(f, 0, r);
    }
    return s;
  }
  rocksdb::IOStatus RenameFile(const std::string& from, const std::string& to, const rocksdb::IOOptions& o,
                               rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->RenameFile(from, to, o, dbg);
    if (s.ok()) {
      std::lock_guard lock(mu_);
      auto it = files_.find(from);
      if (it != files_.end()) {
        files_[to] = it->second;
        files_.erase(from);
      } else {
        files_.erase(to);
      }
    }
    return s;
  }
  rocksdb::IOStatus DeleteFile(const std::string& f, const rocksdb::IOOptions& o,
                               rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->DeleteFile(f, o, dbg);
    if (s.ok()) Forget(f);
    return s;
  }

 private:
  struct FileState {
    uint64_t written = 0;
    uint64_t synced = 0;
  };

  class File : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    File(FaultFs& fs, std::string path, std::unique_ptr<rocksdb::FSWritableFile> target)
        : FSWritableFileOwnerWrapper(std::move(target)), fs_(fs), path_(std::move(path)) {}
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& o,
                             rocksdb::IODebugContext* dbg) override {
      if (rocksdb::IOStatus s = fs_.CheckWrite(); !s.ok()) return s;
      rocksdb::IOStatus s = FSWritableFileOwnerWrapper::Append(data, o, dbg);
      if (s.ok()) fs_.Wrote(path_, data.size());
      return s;
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& o,
                             const rocksdb::DataVerificationInfo&, rocksdb::IODebugContext* dbg) override {
      return Append(data, o, dbg);
    }
    rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset, const rocksdb::IOOptions& o,
                                       rocksdb::IODebugContext* dbg) override {
      if (rocksdb::IOStatus s = fs_.CheckWrite(); !s.ok()) return s;
      rocksdb::IOStatus s = FSWritableFileOwnerWrapper::PositionedAppend(data, offset, o, dbg);
      if (s.ok()) fs_.Wrote(path_, data.size());
      return s;
    }
    rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset, const rocksdb::IOOptions& o,
                                       const rocksdb::DataVerificationInfo&, rocksdb::IODebugContext* dbg) override {
      return PositionedAppend(data, offset, o, dbg);
    }
    rocksdb::IOStatus Sync(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
      return SyncWith([&] { return FSWritableFileOwnerWrapper::Sync(o, dbg); });
    }
    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
      return SyncWith([&] { return FSWritableFileOwnerWrapper::Fsync(o, dbg); });
    }
    rocksdb::IOStatus RangeSync(uint64_t, uint64_t, const rocksdb::IOOptions&, rocksdb::IODebugContext*) override {
      // Never counts as durable here: only a full Sync/Fsync does.
      return rocksdb::IOStatus::OK();
    }
    rocksdb::IOStatus Close(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
      // Closing does not make anything durable; after a cut it writes nothing.
      if (fs_.IsCut()) return rocksdb::IOStatus::OK();
      return FSWritableFileOwnerWrapper::Close(o, dbg);
    }

   private:
    template <typename F>
    rocksdb::IOStatus SyncWith(F sync) {
      if (rocksdb::IOStatus s = fs_.CheckSync(); !s.ok()) return s;
      rocksdb::IOStatus s = sync();
      if (s.ok()) fs_.Synced(path_);
      return s;
    }
    FaultFs& fs_;
    std::string path_;
  };

  void Wrap(const std::string& path, uint64_t size, std::unique_ptr<rocksdb::FSWritableFile>* r) {
    {
      std::lock_guard lock(mu_);
      files_[path] = FileState{size, size};
    }
    *r = std::make_unique<File>(*this, path, std::move(*r));
  }
  void Forget(const std::string& path) {
    std::lock_guard lock(mu_);
    files_.erase(path);
  }
  void Wrote(const std::string& path, uint64_t n) {
    std::lock_guard lock(mu_);
    files_[path].written += n;
  }
  void Synced(const std::string& path) {
    std::lock_guard lock(mu_);
    FileState& state = files_[path];
    state.synced = state.written;
  }
  bool IsCut() {
    std::lock_guard lock(mu_);
    return cut_;
  }
  static rocksdb::IOStatus Failure(Fault f, const char* what) {
    if (f == Fault::kNoSpace) return rocksdb::IOStatus::NoSpace(what, "No space left on device");
    return rocksdb::IOStatus::IOError(what, "Input/output error");
  }
  rocksdb::IOStatus CheckWrite() {
    std::lock_guard lock(mu_);
    if (cut_) return rocksdb::IOStatus::IOError("write", "the power is off");
    if (write_fault_ != Fault::kNone) return Failure(write_fault_, "write");
    return rocksdb::IOStatus::OK();
  }
  rocksdb::IOStatus CheckSync() {
    std::lock_guard lock(mu_);
    if (cut_) return rocksdb::IOStatus::IOError("sync", "the power is off");
    if (sync_fault_ != Fault::kNone) return Failure(sync_fault_, "sync");
    return rocksdb::IOStatus::OK();
  }

  std::mutex mu_;
  Fault write_fault_ = Fault::kNone;
  Fault sync_fault_ = Fault::kNone;
  bool cut_ = false;
  std::optional<uint64_t> free_space_;
  std::map<std::string, FileState> files_;
};

}  // namespace ledger::testing

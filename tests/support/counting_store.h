// CountingStore: an EventStore that forwards every call to a real one and
// counts the stream reads (ReadStream) per stream id, so a test can assert how
// often a command or a page reads each stream. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "ledger/eventstore/event_store.h"

namespace ledger::testing {

class CountingStore final : public es::EventStore {
 public:
  explicit CountingStore(std::unique_ptr<es::EventStore> inner) : inner_(std::move(inner)) {}

  // Stream id -> ReadStream calls since the last ResetReads().
  std::map<std::string, int> Reads() const {
    std::lock_guard lock(mu_);
    return reads_;
  }
  // Stream id -> the from_version of its last ReadStream since ResetReads().
  std::map<std::string, uint64_t> LastReadFrom() const {
    std::lock_guard lock(mu_);
    return last_from_;
  }
  void ResetReads() {
    std::lock_guard lock(mu_);
    reads_.clear();
    last_from_.clear();
  }

  es::Result<es::AppendResult> Append(const es::AppendRequest& request) override { return inner_->Append(request); }
  es::Result<uint64_t> StreamVersion(const std::string& stream_id) override { return inner_->StreamVersion(stream_id); }
  es::Result<std::vector<es::Envelope>> ReadStream(const std::string& stream_id, uint64_t from_version,
                                                   size_t max_count) override {
    {
      std::lock_guard lock(mu_);
      ++reads_[stream_id];
      last_from_[stream_id] = from_version;
    }
    return inner_->ReadStream(stream_id, from_version, max_count);
  }
  es::Result<std::vector<es::Envelope>> ReadAll(uint64_t from_position, size_t max_count) override {
    return inner_->ReadAll(from_position, max_count);
  }
  es::Status Scan(uint64_t from_position, uint64_t to_position,
                  const std::function<bool(const es::Envelope&)>& visit) override {
    return inner_->Scan(from_position, to_position, visit);
  }
  es::Result<std::optional<es::AppendResult>> FindCommand(const std::string& command_id) override {
    return inner_->FindCommand(command_id);
  }
  es::Status PutRequestRecord(const std::string& key, std::string_view value) override {
    return inner_->PutRequestRecord(key, value);
  }
  es::Result<std::optional<std::string>> FindRequestRecord(const std::string& key) override {
    return inner_->FindRequestRecord(key);
  }
  es::Head GetHead() override { return inner_->GetHead(); }
  es::Result<es::TreeHead> GetTreeHead() override { return inner_->GetTreeHead(); }
  es::Result<es::Hash> TreeRoot(uint64_t size) override { return inner_->TreeRoot(size); }
  es::Result<std::vector<es::Hash>> InclusionProof(uint64_t position, uint64_t size) override {
    return inner_->InclusionProof(position, size);
  }
  es::Result<std::vector<es::Hash>> ConsistencyProof(uint64_t old_size, uint64_t new_size) override {
    return inner_->ConsistencyProof(old_size, new_size);
  }
  es::Result<es::VerifyReport> Verify(uint64_t from_position, uint64_t to_position,
                                      const std::function<void(uint64_t)>& progress) override {
    return inner_->Verify(from_position, to_position, progress);
  }
  es::Result<es::VerifyReport> VerifyNewEvents(const std::function<void(uint64_t)>& progress) override {
    return inner_->VerifyNewEvents(progress);
  }
  es::IntegrityState Integrity() override { return inner_->Integrity(); }
  std::unique_ptr<es::Subscription> Subscribe(uint64_t from_position,
                                              std::function<void(std::span<const es::Envelope>)> deliver,
                                              size_t batch_size, size_t batch_bytes) override {
    return inner_->Subscribe(from_position, std::move(deliver), batch_size, batch_bytes);
  }
  es::Head WaitForHead(uint64_t position, int timeout_ms) override { return inner_->WaitForHead(position, timeout_ms); }
  es::Status Checkpoint(const std::string& dir) override { return inner_->Checkpoint(dir); }
  es::Status Sync() override { return inner_->Sync(); }
  es::WriterStats Stats() override { return inner_->Stats(); }
  const es::WriteHistograms& Histograms() const override { return inner_->Histograms(); }
  es::MemoryUsage Memory() const override { return inner_->Memory(); }

 private:
  std::unique_ptr<es::EventStore> inner_;
  mutable std::mutex mu_;
  std::map<std::string, int> reads_;
  std::map<std::string, uint64_t> last_from_;
};

}  // namespace ledger::testing

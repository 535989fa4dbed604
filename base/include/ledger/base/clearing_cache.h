// ClearingCache: a map in front of a store that can always be asked again,
// emptied wholesale once it holds more than a byte budget, and counting its
// bytes as the heap holds them (nodes, strings, the bucket array, each as the
// chunk glibc's malloc gives it), so that /metrics can tell the process's
// heap apart from what the caches hold.
//
// Wholesale clearing instead of least-recently-used eviction: the caches save
// reads of RocksDB, which has its own block cache, and clearing costs nothing
// per hit. The owner decides when to clear (between batches: a writer's cache
// may hold rows its pending batch has not written yet).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace ledger::base {

// The bytes glibc's malloc takes for a request of n bytes: a chunk with its
// 8-byte header, rounded up to 16 and at least 32; a request of 128 KiB or
// more is an mmap of whole pages.
constexpr uint64_t MallocChunk(uint64_t n) {
  if (n == 0) return 0;
  if (n >= (128u << 10)) return (n + 16 + 4095) & ~uint64_t{4095};
  return std::max<uint64_t>(32, (n + 8 + 15) & ~uint64_t{15});
}

// The heap a value holds beyond its own object: nothing for a number; a
// string's buffer once its text no longer fits in place (libstdc++ keeps up
// to 15 characters inside the string); an optional string's, when it has one.
inline uint64_t HeapBytes(uint64_t) { return 0; }
inline uint64_t HeapBytes(const std::string& s) { return s.capacity() > 15 ? MallocChunk(s.capacity() + 1) : 0; }
inline uint64_t HeapBytes(const std::optional<std::string>& s) { return s ? HeapBytes(*s) : 0; }
template <typename T>
uint64_t HeapBytes(const std::vector<T>& v) {
  return MallocChunk(v.capacity() * sizeof(T));
}

// Value: a copyable type with a HeapBytes(const Value&) overload found by
// ordinary or argument-dependent lookup. Not thread-safe, except bytes().
template <typename Value>
class ClearingCache {
 public:
  // `limit_bytes`: the budget past which OverLimit() says to clear.
  explicit ClearingCache(uint64_t limit_bytes) : limit_(limit_bytes) {}

  // The cached value of key; nullptr when none (valid until the next Put or Clear).
  const Value* Find(const std::string& key) const {
    auto it = map_.find(key);
    return it == map_.end() ? nullptr : &it->second;
  }
  // Sets key's value (never clears: see OverLimit).
  void Put(const std::string& key, Value value) {
    auto it = map_.find(key);
    if (it == map_.end()) {
      it = map_.emplace(key, std::move(value)).first;  // the stored copy's capacity is what counts
      entry_bytes_ += kNodeBytes + HeapBytes(it->first) + HeapBytes(it->second);
    } else {
      entry_bytes_ -= HeapBytes(it->second);
      it->second = std::move(value);
      entry_bytes_ += HeapBytes(it->second);
    }
    Count();
  }
  bool OverLimit() const { return bytes() > limit_; }
  void Clear() {
    Map().swap(map_);  // gives the bucket array back too
    entry_bytes_ = 0;
    Count();
  }

  std::size_t size() const { return map_.size(); }
  uint64_t limit() const { return limit_; }
  // The heap the cache holds (any thread).
  uint64_t bytes() const { return bytes_.load(std::memory_order_relaxed); }

 private:
  using Map = std::unordered_map<std::string, Value>;
  // A node of libstdc++'s unordered_map of strings: the next pointer, the
  // key and value, and the key's cached hash.
  static constexpr uint64_t kNodeBytes = MallocChunk(sizeof(void*) + sizeof(typename Map::value_type) +
                                                     sizeof(std::size_t));

  void Count() {
    // One bucket lives inside the map; more are one array of pointers.
    const uint64_t buckets = map_.bucket_count() > 1 ? MallocChunk(map_.bucket_count() * sizeof(void*)) : 0;
    bytes_.store(entry_bytes_ + buckets, std::memory_order_relaxed);
  }

  uint64_t limit_;
  Map map_;
  uint64_t entry_bytes_ = 0;
  std::atomic<uint64_t> bytes_{0};
};

}  // namespace ledger::base

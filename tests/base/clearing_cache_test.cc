#include "ledger/base/clearing_cache.h"

#include <doctest/doctest.h>
#include <malloc.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace ledger::base {
namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kGlibcMalloc = false;  // a sanitizer's allocator answers for the heap
#else
constexpr bool kGlibcMalloc = true;
#endif

// Bytes glibc's malloc has handed out and not had back (heap chunks and mmaps).
uint64_t HeapInUse() {
  const struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

TEST_CASE("a clearing cache finds what was put, replaces values, and is empty after Clear") {
  ClearingCache<std::optional<std::string>> cache(1 << 20);
  CHECK(cache.Find("a") == nullptr);
  cache.Put("a", std::string("one"));
  cache.Put("b", std::nullopt);
  REQUIRE(cache.Find("a") != nullptr);
  CHECK(**cache.Find("a") == "one");
  REQUIRE(cache.Find("b") != nullptr);
  CHECK_FALSE(cache.Find("b")->has_value());
  cache.Put("a", std::string(100, 'x'));
  CHECK(cache.Find("a")->value().size() == 100);
  CHECK(cache.size() == 2);
  CHECK(cache.bytes() > 0);
  cache.Clear();
  CHECK(cache.size() == 0);
  CHECK(cache.bytes() == 0);
  CHECK(cache.Find("a") == nullptr);
}

TEST_CASE("a clearing cache says when it passed its budget, and never clears by itself") {
  ClearingCache<uint64_t> cache(64 << 10);
  uint64_t i = 0;
  while (!cache.OverLimit()) {
    cache.Put("stream-" + std::to_string(i), i);
    ++i;
  }
  CHECK(cache.bytes() > cache.limit());
  CHECK(cache.bytes() < cache.limit() + (16 << 10));  // by one entry and a grown bucket array at most
  cache.Put("one-more", 1);
  CHECK(cache.size() == i + 1);  // still everything: the owner clears
  REQUIRE(cache.Find("stream-0") != nullptr);
  cache.Clear();
  CHECK_FALSE(cache.OverLimit());
}

TEST_CASE("a clearing cache's byte count is what the heap holds for it, within 2%") {
  if (!kGlibcMalloc) {
    MESSAGE("skipped: a sanitizer's allocator does not report glibc's heap");
    return;
  }
  // Keys and rows of the sizes the read models cache (20 to 70 and 0 to 400 bytes), some absent.
  const uint64_t before = HeapInUse();
  auto cache = std::make_unique<ClearingCache<std::optional<std::string>>>(uint64_t{1} << 40);
  for (int i = 0; i < 200'000; ++i) {
    std::string key = "C|claim-" + std::to_string(i * 7919) + std::string(static_cast<size_t>(i % 50), 'k');
    std::optional<std::string> row;
    if (i % 10 != 0) row = std::string(static_cast<size_t>((i * 37) % 400), 'r');
    cache->Put(key, std::move(row));
  }
  for (int i = 0; i < 20'000; ++i) cache->Put("C|claim-" + std::to_string(i * 7919), std::string(300, 'u'));
  const uint64_t held = HeapInUse() - before;
  const uint64_t counted = cache->bytes();
  INFO("heap " << held << " bytes, counted " << counted);
  CHECK(counted >= held * 98 / 100);
  CHECK(counted <= held * 102 / 100);
  cache.reset();
  CHECK(HeapInUse() <= before + (held / 100));  // and it gives it all back
}

}  // namespace
}  // namespace ledger::base

// eventstore_bench: the event store beside raw RocksDB with the same options,
// in one process and one run, printed as a Markdown table.
//
//   durable appends (fsync before ack) at each concurrency: events/s, p50/p99
//     latency, mean events per fsync; raw RocksDB Put with sync=true likewise,
//     and the store without its Merkle tree (the tree's cost at append);
//   replay of N events (decode every envelope) vs raw iteration over the same
//     keys; verify of the same N events;
//   inclusion and consistency proofs over the N events: mean and p99 latency.
//
// Flags: --seconds (per writer and concurrency), --slices, --events (replay size), --payload,
// --concurrency 1,8,64, --dir (under which the benchmark makes, and at the end removes, its own
// directory ledger-eventstore-bench; default $TMPDIR).
#include <rocksdb/db.h>
#include <rocksdb/statistics.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "envelope_codec.h"
#include "ledger/eventstore/event_store.h"
#include "rocksdb_options.h"
#include "storage_format.h"

namespace {

namespace es = ledger::es;
using Clock = std::chrono::steady_clock;

struct Config {
  double seconds = 6;  // per writer and concurrency, split into `slices`
  int slices = 6;
  uint64_t events = 1'000'000;
  size_t payload = 200;
  std::vector<int> concurrency = {1, 8, 64};
  std::string dir;
};

struct WriteRow {
  std::string what;
  int threads = 0;
  uint64_t events = 0;
  double seconds = 0;
  double p50_us = 0, p99_us = 0;
  double events_per_fsync = 0;
  double rate() const { return events / seconds; }
};

struct ReadRow {
  std::string what;
  uint64_t events = 0;
  double seconds = 0;
  double rate() const { return events / seconds; }
};

double Since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

void Fail(const std::string& what) {
  std::fprintf(stderr, "eventstore_bench: %s\n", what.c_str());
  std::exit(1);
}

// Runs `threads` workers calling op(thread, i) until `seconds` pass; returns
// the number of operations and fills latencies (microseconds).
template <typename Op>
uint64_t RunTimed(int threads, double seconds, Op op, std::vector<double>* latencies, double* elapsed) {
  std::vector<std::vector<double>> per_thread(threads);
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  auto start = Clock::now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (uint64_t i = 0; !stop.load(std::memory_order_relaxed); ++i) {
        auto begin = Clock::now();
        op(t, i);
        per_thread[t].push_back(std::chrono::duration<double, std::micro>(Clock::now() - begin).count());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& w : workers) w.join();
  *elapsed = Since(start);
  for (auto& v : per_thread) latencies->insert(latencies->end(), v.begin(), v.end());
  return latencies->size();
}

void Percentiles(std::vector<double>& v, WriteRow* row) {
  if (v.empty()) return;
  auto at = [&](double q) {
    size_t k = std::min(v.size() - 1, static_cast<size_t>(q * v.size()));
    std::nth_element(v.begin(), v.begin() + k, v.end());
    return v[k];
  };
  row->p50_us = at(0.50);
  row->p99_us = at(0.99);
}

// The stored size of one benchmark envelope, so raw Puts write as many bytes.
std::string RawValue(size_t payload) {
  es::Envelope e;
  e.position = 1;
  e.stream_id = "bench-0";
  e.stream_version = 1;
  e.type = "BenchEvent";
  e.actor_id = "bench";
  e.command_id = "b0-0";
  e.payload.assign(payload, 'p');
  return es::EncodeEnvelope(e);
}

// Raw RocksDB and the store at one concurrency, in alternating slices so both
// see the same background disk load (fsync latency on a shared disk drifts).
class AppendDuel {
 public:
  AppendDuel(const Config& cfg, int threads) : cfg_(cfg), threads_(threads) {
    raw_dir_ = cfg.dir + "/raw-put-" + std::to_string(threads);
    store_dir_ = cfg.dir + "/store-append-" + std::to_string(threads);
    options_ = es::StoreDbOptions();
    options_.statistics = rocksdb::CreateDBStatistics();  // counts WAL syncs
    rocksdb::DB* raw = nullptr;
    rocksdb::Status s = rocksdb::DB::Open(options_, raw_dir_, &raw);
    if (!s.ok()) Fail(s.ToString());
    raw_.reset(raw);
    auto store = es::EventStore::Open(store_dir_);
    if (!store.ok()) Fail(store.status().ToString());
    store_ = std::move(store).value();
    es::Options without_tree;
    without_tree.merkle_tree = false;
    auto plain = es::EventStore::Open(store_dir_ + "-no-tree", without_tree);
    if (!plain.ok()) Fail(plain.status().ToString());
    plain_ = std::move(plain).value();
    raw_row_ = WriteRow{"raw RocksDB Put sync", threads};
    store_row_ = WriteRow{"event store Append", threads};
    plain_row_ = WriteRow{"event store Append, no Merkle tree", threads};
  }

  void Run(int slices) {
    const double slice = cfg_.seconds / slices;
    for (int i = 0; i < slices; ++i) {
      double t = 0;
      RunTimed(
          threads_, slice, [&](int, uint64_t) { RawPut(); }, &raw_latencies_, &t);
      raw_row_.seconds += t;
      RunTimed(
          threads_, slice, [&](int thread, uint64_t n) { StoreAppend(*store_, thread, n); }, &store_latencies_, &t);
      store_row_.seconds += t;
      RunTimed(
          threads_, slice, [&](int thread, uint64_t n) { StoreAppend(*plain_, thread, n); }, &plain_latencies_, &t);
      plain_row_.seconds += t;
    }
    raw_row_.events = raw_latencies_.size();
    uint64_t syncs = options_.statistics->getTickerCount(rocksdb::WAL_FILE_SYNCED);
    raw_row_.events_per_fsync = syncs ? static_cast<double>(raw_row_.events) / syncs : 0;
    es::WriterStats stats = store_->Stats();
    store_row_.events = stats.events;
    store_row_.events_per_fsync = stats.batches ? static_cast<double>(stats.events) / stats.batches : 0;
    es::WriterStats plain = plain_->Stats();
    plain_row_.events = plain.events;
    plain_row_.events_per_fsync = plain.batches ? static_cast<double>(plain.events) / plain.batches : 0;
    Percentiles(raw_latencies_, &raw_row_);
    Percentiles(store_latencies_, &store_row_);
    Percentiles(plain_latencies_, &plain_row_);
  }

  const WriteRow& raw_row() const { return raw_row_; }
  const WriteRow& store_row() const { return store_row_; }
  const WriteRow& plain_row() const { return plain_row_; }

 private:
  void RawPut() {
    rocksdb::WriteOptions write;
    write.sync = true;
    rocksdb::Status put = raw_->Put(write, es::format::PositionKey(next_key_.fetch_add(1)), value_);
    if (!put.ok()) Fail(put.ToString());
  }
  void StoreAppend(es::EventStore& store, int thread, uint64_t n) {
    es::AppendRequest req;
    req.command_id = "b" + std::to_string(thread) + "-" + std::to_string(n) + "-" + std::to_string(round_++);
    req.actor_id = "bench";
    req.streams.push_back(es::StreamAppend{"bench-" + std::to_string(thread),
                                           es::ExpectedVersion::Any(),
                                           {es::EventData{"BenchEvent", 1, payload_}}});
    auto r = store.Append(req);
    if (!r.ok()) Fail(r.status().ToString());
  }

  const Config& cfg_;
  int threads_;
  std::string raw_dir_, store_dir_;
  rocksdb::Options options_;
  std::unique_ptr<rocksdb::DB> raw_;
  std::unique_ptr<es::EventStore> store_;
  std::unique_ptr<es::EventStore> plain_;  // without the Merkle tree
  const std::string value_ = RawValue(cfg_.payload);
  const std::string payload_ = std::string(cfg_.payload, 'p');
  std::atomic<uint64_t> next_key_{1};
  std::atomic<uint64_t> round_{0};
  std::vector<double> raw_latencies_, store_latencies_, plain_latencies_;
  WriteRow raw_row_, store_row_, plain_row_;
};

void FillStore(const Config& cfg, const std::string& dir) {
  auto store = es::EventStore::Open(dir);
  if (!store.ok()) Fail(store.status().ToString());
  const std::string payload(cfg.payload, 'r');
  constexpr uint64_t kPerCommand = 1000;
  for (uint64_t done = 0, c = 0; done < cfg.events; ++c) {
    es::AppendRequest req;
    req.command_id = "fill-" + std::to_string(c);
    es::StreamAppend stream{"replay-" + std::to_string(c % 100), es::ExpectedVersion::Any(), {}};
    for (uint64_t i = 0; i < kPerCommand && done < cfg.events; ++i, ++done) {
      stream.events.push_back(es::EventData{"ReplayEvent", 1, payload});
    }
    req.streams.push_back(std::move(stream));
    auto r = (*store)->Append(req);
    if (!r.ok()) Fail(r.status().ToString());
  }
}

ReadRow RawIterate(const std::string& dir) {
  rocksdb::Options options = es::StoreDbOptions();
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::OpenForReadOnly(options, dir, es::StoreColumnFamilies(options), &handles, &raw);
  if (!s.ok()) Fail(s.ToString());
  ReadRow row{"raw RocksDB iteration"};
  uint64_t bytes = 0;
  auto start = Clock::now();
  {
    std::unique_ptr<rocksdb::Iterator> it(raw->NewIterator(es::ScanReadOptions(), handles[1]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      bytes += it->key().size() + it->value().size();
      ++row.events;
    }
  }
  row.seconds = Since(start);
  if (bytes == 0) Fail("nothing to iterate");
  for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
  delete raw;
  return row;
}

ReadRow Replay(const std::string& dir) {
  es::Options ro;
  ro.read_only = true;
  auto store = es::EventStore::Open(dir, ro);
  if (!store.ok()) Fail(store.status().ToString());
  ReadRow row{"event store replay (decode)"};
  uint64_t bytes = 0;
  auto start = Clock::now();
  es::Status s = (*store)->Scan(1, 0, [&](const es::Envelope& e) {
    bytes += e.payload.size() + e.stream_id.size();
    ++row.events;
    return true;
  });
  row.seconds = Since(start);
  if (!s.ok() || bytes == 0) Fail("replay failed: " + s.ToString());
  return row;
}

ReadRow VerifyAll(const std::string& dir) {
  es::Options ro;
  ro.read_only = true;
  auto store = es::EventStore::Open(dir, ro);
  if (!store.ok()) Fail(store.status().ToString());
  ReadRow row{"event store verify"};
  auto start = Clock::now();
  auto report = (*store)->Verify();
  row.seconds = Since(start);
  if (!report.ok() || !report->ok) Fail("verify failed");
  row.events = report->events_checked;
  return row;
}

struct ProofRow {
  std::string what;
  uint64_t proofs = 0;
  double mean_us = 0, p99_us = 0;
  double hashes = 0;  // mean hashes per proof
};

// `count` proofs of `kind` ("inclusion" or "consistency") against the whole
// tree, for positions or sizes spread evenly over the log.
ProofRow Proofs(const std::string& dir, const std::string& kind, uint64_t count) {
  es::Options ro;
  ro.read_only = true;
  auto store = es::EventStore::Open(dir, ro);
  if (!store.ok()) Fail(store.status().ToString());
  const uint64_t n = (*store)->GetHead().position;
  ProofRow row{kind + " proof at " + std::to_string(n) + " events"};
  std::vector<double> latencies;
  uint64_t hashes = 0;
  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t at = 1 + (i * 7919 * 104729) % n;  // spread over the log, not in order
    auto begin = Clock::now();
    auto proof = kind == "inclusion" ? (*store)->InclusionProof(at, n) : (*store)->ConsistencyProof(at, n);
    latencies.push_back(std::chrono::duration<double, std::micro>(Clock::now() - begin).count());
    if (!proof.ok()) Fail(kind + " proof failed: " + proof.status().ToString());
    hashes += proof->size();
  }
  row.proofs = count;
  double sum = 0;
  for (double l : latencies) sum += l;
  row.mean_us = sum / static_cast<double>(latencies.size());
  WriteRow percentiles;
  Percentiles(latencies, &percentiles);
  row.p99_us = percentiles.p99_us;
  row.hashes = static_cast<double>(hashes) / static_cast<double>(count);
  return row;
}

template <typename F>
ReadRow BestOf(int runs, F f) {
  ReadRow best = f();
  for (int i = 1; i < runs; ++i) {
    ReadRow r = f();
    if (r.seconds < best.seconds) best = r;
  }
  return best;
}

const char* Verdict(bool ok) { return ok ? "met" : "MISSED"; }

}  // namespace

int main(int argc, char** argv) {
  Config cfg;
  CLI::App app{"Event store benchmark beside raw RocksDB"};
  app.add_option("--seconds", cfg.seconds, "seconds per append phase");
  app.add_option("--slices", cfg.slices, "alternating raw/store slices per append phase");
  app.add_option("--events", cfg.events, "events to replay and verify");
  app.add_option("--payload", cfg.payload, "payload bytes per event");
  app.add_option("--concurrency", cfg.concurrency, "appender counts")->delimiter(',');
  app.add_option("--dir", cfg.dir,
                 "where to make the benchmark's own directory, ledger-eventstore-bench (default: $TMPDIR)");
  CLI11_PARSE(app, argc, argv);
  // Only the benchmark's own directory is cleared and removed, never the one
  // given: `--dir /tmp` once emptied /tmp.
  const std::filesystem::path parent = cfg.dir.empty() ? std::filesystem::temp_directory_path()
                                                       : std::filesystem::path(cfg.dir);
  cfg.dir = (parent / "ledger-eventstore-bench").string();
  std::filesystem::remove_all(cfg.dir);
  std::filesystem::create_directories(cfg.dir);

  std::vector<WriteRow> writes;
  for (int c : cfg.concurrency) {
    std::fprintf(stderr, "appends at %d ...\n", c);
    AppendDuel duel(cfg, c);
    duel.Run(cfg.slices);
    writes.push_back(duel.raw_row());
    writes.push_back(duel.store_row());
    writes.push_back(duel.plain_row());
  }
  const std::string replay_dir = cfg.dir + "/replay";
  std::fprintf(stderr, "filling %llu events ...\n", static_cast<unsigned long long>(cfg.events));
  FillStore(cfg, replay_dir);
  std::fprintf(stderr, "replay and verify ...\n");
  ReadRow raw_iter = BestOf(2, [&] { return RawIterate(replay_dir); });
  ReadRow replay = BestOf(2, [&] { return Replay(replay_dir); });
  ReadRow verify = BestOf(2, [&] { return VerifyAll(replay_dir); });
  std::fprintf(stderr, "proofs ...\n");
  const ProofRow inclusion = Proofs(replay_dir, "inclusion", 10'000);
  const ProofRow consistency = Proofs(replay_dir, "consistency", 10'000);
  std::filesystem::remove_all(cfg.dir);

  std::printf("Durable writes (%zu-byte payload, %.0f s per row)\n\n", cfg.payload, cfg.seconds);
  std::printf("| writer | concurrency | events/s | p50 latency | p99 latency | mean events per fsync |\n");
  std::printf("|---|---:|---:|---:|---:|---:|\n");
  for (const WriteRow& r : writes) {
    std::printf("| %s | %d | %.0f | %.0f us | %.0f us | %.1f |\n", r.what.c_str(), r.threads, r.rate(), r.p50_us,
                r.p99_us, r.events_per_fsync);
  }
  std::printf("\nReads (%llu events)\n\n| operation | events/s | seconds |\n|---|---:|---:|\n",
              static_cast<unsigned long long>(cfg.events));
  for (const ReadRow& r : {raw_iter, replay, verify}) {
    std::printf("| %s | %.0f | %.2f |\n", r.what.c_str(), r.rate(), r.seconds);
  }
  std::printf("\nProofs\n\n| proof | count | mean | p99 | hashes per proof |\n|---|---:|---:|---:|---:|\n");
  for (const ProofRow& r : {inclusion, consistency}) {
    std::printf("| %s | %llu | %.1f us | %.1f us | %.1f |\n", r.what.c_str(), static_cast<unsigned long long>(r.proofs),
                r.mean_us, r.p99_us, r.hashes);
  }

  auto find = [&](const std::string& what, int threads) -> const WriteRow* {
    for (const WriteRow& r : writes) {
      if (r.what == what && r.threads == threads) return &r;
    }
    return nullptr;
  };
  const WriteRow* raw1 = find("raw RocksDB Put sync", 1);
  const WriteRow* store1 = find("event store Append", 1);
  const WriteRow* store64 = find("event store Append", 64);
  std::printf("\n| target | measured | verdict |\n|---|---:|---|\n");
  if (raw1 && store64) {
    double x = store64->rate() / raw1->rate();
    std::printf("| 64 appenders >= 10x raw single-thread sync Put | %.1fx | %s |\n", x, Verdict(x >= 10));
  }
  if (raw1 && store1) {
    double x = store1->rate() / raw1->rate();
    std::printf("| 1 appender >= 0.9x raw single-thread sync Put | %.2fx | %s |\n", x, Verdict(x >= 0.9));
  }
  for (int c : cfg.concurrency) {
    const WriteRow* with = find("event store Append", c);
    const WriteRow* without = find("event store Append, no Merkle tree", c);
    if (with && without) {
      double cost = 1 - with->rate() / without->rate();
      std::printf("| the Merkle tree costs < 5%% of Append at %d appenders | %.1f%% | %s |\n", c, 100 * cost,
                  Verdict(cost < 0.05));
    }
  }
  std::printf("| inclusion proof p99 < 1 ms | %.0f us | %s |\n", inclusion.p99_us, Verdict(inclusion.p99_us < 1000));
  double rx = replay.rate() / raw_iter.rate();
  double vx = verify.rate() / raw_iter.rate();
  std::printf("| replay >= 0.5x raw iteration | %.2fx | %s |\n", rx, Verdict(rx >= 0.5));
  std::printf("| verify >= 0.25x raw iteration | %.2fx | %s |\n", vx, Verdict(vx >= 0.25));
  return 0;
}

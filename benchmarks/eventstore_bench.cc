// eventstore_bench: the event store beside raw RocksDB with the same options
// and beside PostgreSQL 15, the peer a user would otherwise keep events in, in
// one process and one run, printed as Markdown tables.
//
//   durable appends (fsync before ack) at each concurrency: events/s, p50/p99
//     latency, mean events per fsync; raw RocksDB Put with sync=true likewise,
//     the store without its Merkle tree (the tree's cost at append), and
//     PostgreSQL INSERT of one event per transaction (synchronous_commit=on);
//   replay of N events (decode every envelope) vs raw iteration over the same
//     keys and a PostgreSQL scan in position order; verify of the same N
//     events; reads of whole streams by the store and by PostgreSQL;
//   inclusion and consistency proofs over the N events: mean and p99 latency.
//
// PostgreSQL runs as a temporary cluster the benchmark makes (initdb), starts
// on a unix socket in its own directory with no TCP listener, and stops and
// removes at the end, also on a failure or Ctrl-C. As root it runs the server
// as the user `postgres` (--pg-user), since PostgreSQL refuses root.
//
// Flags: --seconds (per writer and concurrency), --slices, --events (replay size), --payload,
// --concurrency 1,8,64, --stream-reads, --dir (under which the benchmark makes, and at the end
// removes, its own directory ledger-eventstore-bench; default $TMPDIR), --no-postgres, --pg-bin,
// --pg-user.
#include <rocksdb/db.h>
#include <rocksdb/statistics.h>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "envelope_codec.h"
#include "ledger/eventstore/event_store.h"
#include "postgres_peer.h"
#include "rocksdb_options.h"
#include "storage_format.h"

namespace {

namespace es = ledger::es;
using ledger::bench::PgCluster;
using ledger::bench::PgConn;
using Clock = std::chrono::steady_clock;

struct Config {
  double seconds = 6;  // per writer and concurrency, split into `slices`
  int slices = 6;
  uint64_t events = 1'000'000;
  size_t payload = 200;
  std::vector<int> concurrency = {1, 8, 64};
  size_t stream_reads = 100;  // whole streams read by ReadStream and by PostgreSQL
  std::string dir;
  bool no_postgres = false;
  ledger::bench::PgOptions pg;
};

struct WriteRow {
  std::string what;
  int threads = 0;
  uint64_t events = 0;
  double seconds = 0;
  double p50_us = 0, p99_us = 0;
  double events_per_fsync = 0;  // < 0: not counted
  double rate() const { return events / seconds; }
};

struct ReadRow {
  std::string what;
  uint64_t events = 0;
  double seconds = 0;
  double rate() const { return events / seconds; }
};

double Since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// What an early end (a failure, Ctrl-C) must undo: the PostgreSQL cluster and
// the benchmark's own directory. CleanUp also ends a normal run. Owned here,
// the cluster is stopped by std::exit too.
struct Leftovers {
  std::mutex mu;
  std::unique_ptr<PgCluster> cluster;
  std::string dir;
};

Leftovers& TheLeftovers() {
  static Leftovers leftovers;
  return leftovers;
}

void CleanUp() {
  Leftovers& l = TheLeftovers();
  std::lock_guard lock(l.mu);
  l.cluster.reset();  // stops it
  std::error_code ec;
  if (!l.dir.empty()) std::filesystem::remove_all(l.dir, ec);
  l.dir.clear();
}

[[noreturn]] void Fail(const std::string& what) {
  static std::atomic<bool> failing{false};
  if (failing.exchange(true)) {
    for (;;) std::this_thread::sleep_for(std::chrono::hours(1));  // the first failure exits
  }
  std::fprintf(stderr, "eventstore_bench: %s\n", what.c_str());
  CleanUp();
  std::exit(1);
}

// Blocks SIGINT, SIGTERM and SIGHUP in every thread (call before any other
// starts) and takes them on one thread that cleans up and exits.
void CleanUpOnStopSignals() {
  sigset_t stop;
  sigemptyset(&stop);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&stop, sig);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  std::thread([stop] {
    int sig = 0;
    sigwait(&stop, &sig);
    std::fprintf(stderr, "eventstore_bench: stopped by signal %d; cleaning up\n", sig);
    CleanUp();
    _exit(128 + sig);
  }).detach();
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

// Raw RocksDB, the store (with and without its tree) and PostgreSQL at one
// concurrency, in alternating slices so all see the same background disk load
// (fsync latency on a shared disk drifts).
class AppendDuel {
 public:
  AppendDuel(const Config& cfg, int threads, const PgCluster* pg) : cfg_(cfg), threads_(threads) {
    raw_dir_ = cfg.dir + "/raw-put-" + std::to_string(threads);
    store_dir_ = cfg.dir + "/store-append-" + std::to_string(threads);
    options_ = es::StoreDbOptions();
    options_.statistics = rocksdb::CreateDBStatistics();  // counts WAL syncs
    rocksdb::DB* raw = nullptr;
    rocksdb::Status s = rocksdb::DB::Open(options_, raw_dir_, &raw);
    if (!s.ok()) Fail(s.ToString());
    raw_.reset(raw);
    store_ = OpenStore(store_dir_, es::Options());
    es::Options without_tree;
    without_tree.merkle_tree = false;
    plain_ = OpenStore(store_dir_ + "-no-tree", without_tree);
    // A row's payload is a stored envelope's bytes, the value raw RocksDB writes.
    if (pg != nullptr) pg_ = std::make_unique<ledger::bench::PgAppender>(*pg, threads, value_);
    raw_row_ = WriteRow{"raw RocksDB Put sync", threads};
    store_row_ = WriteRow{"event store Append", threads};
    plain_row_ = WriteRow{"event store Append, no Merkle tree", threads};
    if (pg != nullptr) pg_row_ = WriteRow{PgName(*pg) + " INSERT+COMMIT", threads};
  }

  void Run(int slices) {
    const double slice = cfg_.seconds / slices;
    auto timed = [&](WriteRow* row, std::vector<double>* latencies, auto op) {
      double t = 0;
      RunTimed(threads_, slice, op, latencies, &t);
      row->seconds += t;
    };
    for (int i = 0; i < slices; ++i) {
      timed(&raw_row_, &raw_latencies_, [&](int, uint64_t) { RawPut(); });
      timed(&store_row_, &store_latencies_, [&](int thread, uint64_t n) { StoreAppend(*store_, thread, n); });
      timed(&plain_row_, &plain_latencies_, [&](int thread, uint64_t n) { StoreAppend(*plain_, thread, n); });
      if (pg_) timed(&pg_row_, &pg_latencies_, [&](int thread, uint64_t) { PgAppend(thread); });
    }
    Finish();
  }

  // raw, store, store without the tree, then PostgreSQL when it ran.
  std::vector<WriteRow> rows() const {
    std::vector<WriteRow> rows = {raw_row_, store_row_, plain_row_};
    if (pg_) rows.push_back(pg_row_);
    return rows;
  }

  static std::string PgName(const PgCluster& pg) { return "PostgreSQL " + std::to_string(pg.major_version()); }

 private:
  static std::unique_ptr<es::EventStore> OpenStore(const std::string& dir, const es::Options& options) {
    auto store = es::EventStore::Open(dir, options);
    if (!store.ok()) Fail(store.status().ToString());
    return std::move(store).value();
  }
  static double PerFsync(uint64_t events, int64_t fsyncs) {
    return fsyncs > 0 ? static_cast<double>(events) / static_cast<double>(fsyncs) : -1;
  }
  void Finish() {
    raw_row_.events = raw_latencies_.size();
    raw_row_.events_per_fsync = PerFsync(raw_row_.events,
                                         options_.statistics->getTickerCount(rocksdb::WAL_FILE_SYNCED));
    es::WriterStats stats = store_->Stats();
    store_row_.events = stats.events;
    store_row_.events_per_fsync = PerFsync(stats.events, stats.batches);
    es::WriterStats plain = plain_->Stats();
    plain_row_.events = plain.events;
    plain_row_.events_per_fsync = PerFsync(plain.events, plain.batches);
    Percentiles(raw_latencies_, &raw_row_);
    Percentiles(store_latencies_, &store_row_);
    Percentiles(plain_latencies_, &plain_row_);
    if (!pg_) return;
    pg_row_.events = pg_latencies_.size();
    pg_row_.events_per_fsync = PerFsync(pg_row_.events, pg_->WalSyncs());
    Percentiles(pg_latencies_, &pg_row_);
  }
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
  void PgAppend(int thread) {
    try {
      pg_->Append(thread);
    } catch (const std::exception& e) {
      Fail(e.what());
    }
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
  std::unique_ptr<ledger::bench::PgAppender> pg_;  // one connection per thread
  std::atomic<uint64_t> next_key_{1};
  std::atomic<uint64_t> round_{0};
  std::vector<double> raw_latencies_, store_latencies_, plain_latencies_, pg_latencies_;
  WriteRow raw_row_, store_row_, plain_row_, pg_row_;
};

// The replay store: commands of kFillPerCommand events, command c to stream
// "replay-(c % kFillStreams)"; PgFill fills PostgreSQL the same way.
constexpr uint64_t kFillPerCommand = 1000;
constexpr uint64_t kFillStreams = 100;

void FillStore(const Config& cfg, const std::string& dir) {
  auto store = es::EventStore::Open(dir);
  if (!store.ok()) Fail(store.status().ToString());
  const std::string payload(cfg.payload, 'r');
  for (uint64_t done = 0, c = 0; done < cfg.events; ++c) {
    es::AppendRequest req;
    req.command_id = "fill-" + std::to_string(c);
    es::StreamAppend stream{"replay-" + std::to_string(c % kFillStreams), es::ExpectedVersion::Any(), {}};
    for (uint64_t i = 0; i < kFillPerCommand && done < cfg.events; ++i, ++done) {
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

std::unique_ptr<es::EventStore> OpenReadOnly(const std::string& dir) {
  es::Options ro;
  ro.read_only = true;
  auto store = es::EventStore::Open(dir, ro);
  if (!store.ok()) Fail(store.status().ToString());
  return std::move(store).value();
}

ReadRow Replay(const std::string& dir) {
  auto store = OpenReadOnly(dir);
  ReadRow row{"event store replay (decode)"};
  uint64_t bytes = 0;
  auto start = Clock::now();
  es::Status s = store->Scan(1, 0, [&](const es::Envelope& e) {
    bytes += e.payload.size() + e.stream_id.size();
    ++row.events;
    return true;
  });
  row.seconds = Since(start);
  if (!s.ok() || bytes == 0) Fail("replay failed: " + s.ToString());
  return row;
}

ReadRow VerifyAll(const std::string& dir) {
  auto store = OpenReadOnly(dir);
  ReadRow row{"event store verify"};
  auto start = Clock::now();
  auto report = store->Verify();
  row.seconds = Since(start);
  if (!report.ok() || !report->ok) Fail("verify failed");
  row.events = report->events_checked;
  return row;
}

// Streams to read whole, drawn at random (a fixed seed) from those FillStore made.
std::vector<std::string> StreamsToRead(const Config& cfg) {
  const uint64_t commands = (cfg.events + kFillPerCommand - 1) / kFillPerCommand;
  std::mt19937_64 random(42);
  std::uniform_int_distribution<uint64_t> pick(0, std::clamp<uint64_t>(commands, 1, kFillStreams) - 1);
  std::vector<std::string> streams;
  for (size_t i = 0; i < cfg.stream_reads; ++i) streams.push_back("replay-" + std::to_string(pick(random)));
  return streams;
}

ReadRow StoreReadStreams(const std::string& dir, const std::vector<std::string>& streams) {
  auto store = OpenReadOnly(dir);
  ReadRow row{"event store ReadStream, " + std::to_string(streams.size()) + " streams"};
  uint64_t bytes = 0;
  auto start = Clock::now();
  for (const std::string& id : streams) {
    auto events = store->ReadStream(id);
    if (!events.ok()) Fail("read stream failed: " + events.status().ToString());
    for (const es::Envelope& e : *events) bytes += e.payload.size() + e.stream_id.size();
    row.events += events->size();
  }
  row.seconds = Since(start);
  if (bytes == 0) Fail("no stream events");
  return row;
}

// One PostgreSQL read (`read` returns the events it read), timed once connected.
template <typename Read>
ReadRow PgRead(const PgCluster& pg, const std::string& what, Read read) {
  PgConn conn(pg);
  ReadRow row{what};
  auto start = Clock::now();
  row.events = read(conn);
  row.seconds = Since(start);
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
  auto store = OpenReadOnly(dir);
  const uint64_t n = store->GetHead().position;
  ProofRow row{kind + " proof at " + std::to_string(n) + " events"};
  std::vector<double> latencies;
  uint64_t hashes = 0;
  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t at = 1 + (i * 7919 * 104729) % n;  // spread over the log, not in order
    auto begin = Clock::now();
    auto proof = kind == "inclusion" ? store->InclusionProof(at, n) : store->ConsistencyProof(at, n);
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

struct Reads {
  ReadRow raw_iter, replay, verify, store_streams;
  std::optional<ReadRow> pg_scan, pg_streams;  // when PostgreSQL ran
};

// The store's reads of a filled store, then PostgreSQL's of the same events.
Reads MeasureReads(const Config& cfg, const PgCluster* pg) {
  const std::string replay_dir = cfg.dir + "/replay";
  std::fprintf(stderr, "filling %llu events ...\n", static_cast<unsigned long long>(cfg.events));
  FillStore(cfg, replay_dir);
  std::fprintf(stderr, "replay and verify ...\n");
  Reads r;
  r.raw_iter = BestOf(2, [&] { return RawIterate(replay_dir); });
  r.replay = BestOf(2, [&] { return Replay(replay_dir); });
  r.verify = BestOf(2, [&] { return VerifyAll(replay_dir); });
  const std::vector<std::string> streams = StreamsToRead(cfg);
  r.store_streams = BestOf(2, [&] { return StoreReadStreams(replay_dir, streams); });
  if (pg == nullptr) return r;
  std::fprintf(stderr, "filling PostgreSQL with %llu events ...\n", static_cast<unsigned long long>(cfg.events));
  ledger::bench::PgFill(*pg, {cfg.events, kFillPerCommand, kFillStreams}, RawValue(cfg.payload));
  const std::string name = AppendDuel::PgName(*pg);
  r.pg_scan = BestOf(2, [&] { return PgRead(*pg, name + " scan in position order", ledger::bench::PgScan); });
  r.pg_streams = BestOf(2, [&] {
    return PgRead(*pg, name + " by stream, " + std::to_string(streams.size()) + " streams",
                  [&](PgConn& conn) { return ledger::bench::PgReadStreams(conn, streams); });
  });
  return r;
}

std::vector<WriteRow> MeasureWrites(const Config& cfg, const PgCluster* pg) {
  std::vector<WriteRow> writes;
  for (int c : cfg.concurrency) {
    std::fprintf(stderr, "appends at %d ...\n", c);
    AppendDuel duel(cfg, c, pg);
    duel.Run(cfg.slices);
    for (const WriteRow& r : duel.rows()) writes.push_back(r);
  }
  return writes;
}

std::string PerFsyncText(double events_per_fsync) {
  if (events_per_fsync < 0) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", events_per_fsync);
  return text;
}

void PrintTables(const Config& cfg, const std::vector<WriteRow>& writes, const Reads& reads,
                 const std::vector<ProofRow>& proofs) {
  std::printf("Durable writes (%zu-byte payload, %.0f s per row)\n\n", cfg.payload, cfg.seconds);
  std::printf("| writer | concurrency | events/s | p50 latency | p99 latency | mean events per fsync |\n");
  std::printf("|---|---:|---:|---:|---:|---:|\n");
  for (const WriteRow& r : writes) {
    std::printf("| %s | %d | %.0f | %.0f us | %.0f us | %s |\n", r.what.c_str(), r.threads, r.rate(), r.p50_us,
                r.p99_us, PerFsyncText(r.events_per_fsync).c_str());
  }
  std::printf("\nReads (%llu events)\n\n| operation | events/s | seconds |\n|---|---:|---:|\n",
              static_cast<unsigned long long>(cfg.events));
  std::vector<ReadRow> rows = {reads.raw_iter, reads.replay};
  if (reads.pg_scan) rows.push_back(*reads.pg_scan);
  rows.push_back(reads.verify);
  rows.push_back(reads.store_streams);
  if (reads.pg_streams) rows.push_back(*reads.pg_streams);
  for (const ReadRow& r : rows) {
    std::printf("| %s | %.0f | %.2f |\n", r.what.c_str(), r.rate(), r.seconds);
  }
  std::printf("\nProofs\n\n| proof | count | mean | p99 | hashes per proof |\n|---|---:|---:|---:|---:|\n");
  for (const ProofRow& r : proofs) {
    std::printf("| %s | %llu | %.1f us | %.1f us | %.1f |\n", r.what.c_str(), static_cast<unsigned long long>(r.proofs),
                r.mean_us, r.p99_us, r.hashes);
  }
}

void PrintTargets(const Config& cfg, const std::vector<WriteRow>& writes, const Reads& reads,
                  const ProofRow& inclusion) {
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
  double rx = reads.replay.rate() / reads.raw_iter.rate();
  double vx = reads.verify.rate() / reads.raw_iter.rate();
  std::printf("| replay >= 0.5x raw iteration | %.2fx | %s |\n", rx, Verdict(rx >= 0.5));
  std::printf("| verify >= 0.25x raw iteration | %.2fx | %s |\n", vx, Verdict(vx >= 0.25));
}

// Makes the benchmark's own directory under --dir, emptied first. Only that
// directory is cleared and removed, never the one given: `--dir /tmp` once
// emptied /tmp.
void MakeOwnDir(Config* cfg) {
  const std::filesystem::path parent = cfg->dir.empty() ? std::filesystem::temp_directory_path()
                                                        : std::filesystem::path(cfg->dir);
  cfg->dir = (parent / "ledger-eventstore-bench").string();
  if (!cfg->no_postgres) PgCluster::StopLeftover(cfg->dir + "/postgres", cfg->pg);
  std::filesystem::remove_all(cfg->dir);
  std::filesystem::create_directories(cfg->dir);
  std::lock_guard lock(TheLeftovers().mu);
  TheLeftovers().dir = cfg->dir;
}

// The temporary cluster in <dir>/postgres, owned by TheLeftovers; nullptr
// when PostgreSQL cannot run here (Start has said why).
PgCluster* StartPostgres(Config* cfg) {
  for (int c : cfg->concurrency) cfg->pg.max_connections = std::max(cfg->pg.max_connections, c + 10);
  std::unique_ptr<PgCluster> pg = PgCluster::Start(cfg->dir + "/postgres", cfg->pg);
  std::lock_guard lock(TheLeftovers().mu);
  TheLeftovers().cluster = std::move(pg);
  return TheLeftovers().cluster.get();
}

void StopPostgres() {
  std::lock_guard lock(TheLeftovers().mu);
  TheLeftovers().cluster.reset();
}

int Run(Config& cfg) {
  MakeOwnDir(&cfg);
  PgCluster* pg = cfg.no_postgres ? nullptr : StartPostgres(&cfg);
  const std::vector<WriteRow> writes = MeasureWrites(cfg, pg);
  const Reads reads = MeasureReads(cfg, pg);
  StopPostgres();  // nothing of PostgreSQL's runs beside the proofs
  std::fprintf(stderr, "proofs ...\n");
  const std::string replay_dir = cfg.dir + "/replay";
  const ProofRow inclusion = Proofs(replay_dir, "inclusion", 10'000);
  const ProofRow consistency = Proofs(replay_dir, "consistency", 10'000);
  CleanUp();
  PrintTables(cfg, writes, reads, {inclusion, consistency});
  PrintTargets(cfg, writes, reads, inclusion);
  return 0;
}

void AddFlags(CLI::App& app, Config& cfg) {
  app.add_option("--seconds", cfg.seconds, "seconds per append phase");
  app.add_option("--slices", cfg.slices, "alternating raw/store/PostgreSQL slices per append phase");
  app.add_option("--events", cfg.events, "events to replay and verify (the store's and PostgreSQL's)");
  app.add_option("--payload", cfg.payload, "payload bytes per event");
  app.add_option("--concurrency", cfg.concurrency, "appender counts")->delimiter(',');
  app.add_option("--stream-reads", cfg.stream_reads, "whole streams read by ReadStream and by PostgreSQL");
  app.add_option("--dir", cfg.dir,
                 "where to make the benchmark's own directory, ledger-eventstore-bench (default: $TMPDIR)");
  app.add_flag("--no-postgres", cfg.no_postgres, "leave out PostgreSQL, the peer");
  app.add_option("--pg-bin", cfg.pg.bin_dir, "PostgreSQL server binaries (initdb, pg_ctl, postgres)")
      ->capture_default_str();
  app.add_option("--pg-user", cfg.pg.os_user, "the user to run PostgreSQL as when the benchmark runs as root")
      ->capture_default_str();
}

}  // namespace

int main(int argc, char** argv) {
  CleanUpOnStopSignals();  // first: every later thread inherits the blocked signals
  Config cfg;
  CLI::App app{
      "Event store benchmark beside raw RocksDB and PostgreSQL 15 (a temporary cluster under --dir, on a unix "
      "socket only)"};
  AddFlags(app, cfg);
  CLI11_PARSE(app, argc, argv);
  try {
    return Run(cfg);
  } catch (const std::exception& e) {
    Fail(e.what());
  }
}

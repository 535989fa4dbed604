// postgres_peer: PostgreSQL as the peer of eventstore_bench, the database a
// user would otherwise keep an event log in. A throwaway cluster in a directory
// of the benchmark's own (unix socket only, no TCP listener), a connection, the
// durable one-event-per-transaction append, and the reads the store is compared
// with. Errors after the cluster is up are thrown as PgError.
#pragma once

#include <libpq-fe.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace ledger::bench {

struct PgError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using PgResult = std::unique_ptr<PGresult, void (*)(PGresult*)>;

struct PgOptions {
  std::string bin_dir = "/usr/lib/postgresql/15/bin";  // initdb, pg_ctl, postgres
  std::string os_user = "postgres";                    // who runs the server when the benchmark runs as root
  int max_connections = 100;
};

// A PostgreSQL cluster living in `dir` (data in dir/data, the socket in dir),
// with the events table made. Not thread-safe, except that Stop may be called
// from any thread once.
class PgCluster {
 public:
  // initdb, pg_ctl start and the schema. nullptr, after one message on stderr
  // saying why, when PostgreSQL cannot be run here (binaries missing, root
  // without the server's user, a failed start).
  static std::unique_ptr<PgCluster> Start(const std::string& dir, const PgOptions& options);
  // Stops a server that a killed run left in `dir`, before its files are removed.
  static void StopLeftover(const std::string& dir, const PgOptions& options);

  ~PgCluster();
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  // pg_ctl stop -m fast, then removes the cluster's directory. Idempotent.
  void Stop();

  const std::string& socket_dir() const { return dir_; }
  int major_version() const { return major_; }

  struct Runner;  // runs the PostgreSQL tools as the server's user (postgres_peer.cc)

 private:
  PgCluster(std::string dir, std::unique_ptr<Runner> runner);

  std::string dir_;
  std::unique_ptr<Runner> runner_;
  int major_ = 0;
  std::atomic<bool> stopped_{false};
};

// One connection to the cluster's postgres database. Move-only.
class PgConn {
 public:
  explicit PgConn(const PgCluster& cluster);
  PGconn* get() const { return conn_.get(); }
  // Runs a statement; throws unless it succeeds. Binary results when `binary`.
  PgResult Exec(const std::string& sql, bool binary = false);
  void Prepare(const char* name, const char* sql, int params);

 private:
  std::unique_ptr<PGconn, void (*)(PGconn*)> conn_;
};

// `threads` connections appending to an emptied events table: connection t
// writes stream "bench-t" with versions 1, 2, ..., one INSERT per transaction
// (autocommit: the INSERT commits, and returns once the commit is fsynced).
class PgAppender {
 public:
  PgAppender(const PgCluster& cluster, int threads, std::string payload);
  // One event on connection `thread`; only that thread may use it.
  void Append(int thread);
  // WAL fsyncs (pg_stat_wal.wal_sync) since construction, or -1 when the
  // server does not count them.
  int64_t WalSyncs();

 private:
  struct Writer {
    PgConn conn;
    std::string stream;
    uint64_t version = 0;
  };
  int64_t ReadWalSyncs();

  PgConn admin_;
  std::vector<Writer> writers_;
  std::string payload_;
  int64_t syncs_before_ = -1;
};

// How eventstore_bench fills its replay store: `events` events in batches of
// `per_batch`, batch c to stream "replay-(c % streams)".
struct PgFillShape {
  uint64_t events = 0;
  uint64_t per_batch = 1000;
  uint64_t streams = 100;
};

// Empties events and refills it in that shape by binary COPY, each row's
// payload `payload`; then VACUUM ANALYZE and a checkpoint.
void PgFill(const PgCluster& cluster, const PgFillShape& shape, const std::string& payload);
// Reads every event in position order through a cursor; returns how many.
uint64_t PgScan(PgConn& conn);
// Reads each stream's events in version order (a prepared statement); returns
// how many events were read.
uint64_t PgReadStreams(PgConn& conn, const std::vector<std::string>& streams);

}  // namespace ledger::bench

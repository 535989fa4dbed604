#include "postgres_peer.h"

#include <endian.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace ledger::bench {

namespace {

constexpr int kPort = 5432;  // names the socket file only: there is no TCP listener
constexpr const char* kRole = "ledger_bench";

void Say(const std::string& what) { std::fprintf(stderr, "eventstore_bench: %s\n", what.c_str()); }

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The file's last lines, for a message about a failed start.
std::string Tail(const std::string& path, size_t lines) {
  std::ifstream in(path);
  std::vector<std::string> kept;
  for (std::string line; std::getline(in, line);) {
    kept.push_back(line);
    if (kept.size() > lines) kept.erase(kept.begin());
  }
  std::string out;
  for (const std::string& line : kept) out += "  " + line + "\n";
  return out.empty() ? "  (" + path + " is empty or missing)\n" : out;
}

// In a forked child: drops to the server's user when asked, runs argv[0] in
// `cwd` with output appended to `log`. Async-signal-safe calls only.
[[noreturn]] void ExecChild(char* const* argv, bool switch_user, uid_t uid, gid_t gid, const char* cwd,
                            const char* log) {
  sigset_t none;
  sigemptyset(&none);
  // The benchmark blocks its stop signals; and in a process group of its own,
  // the server does not see a Ctrl-C meant for the benchmark, which then stops
  // the server in order.
  sigprocmask(SIG_SETMASK, &none, nullptr);
  setpgid(0, 0);
  const int out = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
  const int in = open("/dev/null", O_RDONLY);
  if (out < 0 || in < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0) _exit(126);
  close_range(3, ~0U, 0);
  if (switch_user && (setgroups(0, nullptr) != 0 || setgid(gid) != 0 || setuid(uid) != 0)) _exit(126);
  if (chdir(cwd) != 0) _exit(126);
  execv(argv[0], argv);
  _exit(127);
}

}  // namespace

// Runs the PostgreSQL tools as the user the server runs as.
struct PgCluster::Runner {
  std::string bin_dir;
  std::string dir;  // the cluster's directory: working directory and setup.log
  bool switch_user = false;
  uid_t uid = 0;
  gid_t gid = 0;

  // bin_dir/tool with args; true when it exits 0.
  bool Run(const std::string& tool, const std::vector<std::string>& args) const {
    std::vector<std::string> all = {bin_dir + "/" + tool};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string log = dir + "/setup.log";
    const pid_t pid = fork();
    if (pid < 0) return false;
    if (pid == 0) ExecChild(argv.data(), switch_user, uid, gid, dir.c_str(), log.c_str());
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
      if (errno != EINTR) return false;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
};

namespace {

// Who runs the server: the benchmark's own user, or options.os_user when the
// benchmark runs as root (initdb and postgres refuse root). Empty `why` on success.
std::unique_ptr<PgCluster::Runner> MakeRunner(const std::string& dir, const PgOptions& options, std::string* why);

// The server's settings on pg_ctl's command line: a unix socket in the
// cluster's directory and no TCP listener; durable commits (the defaults, said
// outright).
std::string ServerOptions(const std::string& dir, const PgOptions& options) {
  return "-c listen_addresses='' -c unix_socket_directories=" + ShellQuote(dir) + " -c port=" + std::to_string(kPort) +
         " -c max_connections=" + std::to_string(options.max_connections) + " -c fsync=on -c synchronous_commit=on";
}

}  // namespace

PgCluster::PgCluster(std::string dir, std::unique_ptr<Runner> runner)
    : dir_(std::move(dir)), runner_(std::move(runner)) {}

PgCluster::~PgCluster() { Stop(); }

std::unique_ptr<PgCluster> PgCluster::Start(const std::string& dir, const PgOptions& options) {
  std::string why;
  std::unique_ptr<Runner> runner = MakeRunner(dir, options, &why);
  if (!runner) {
    Say(why + "; going on without the PostgreSQL peer");
    return nullptr;
  }
  std::unique_ptr<PgCluster> cluster(new PgCluster(dir, std::move(runner)));
  const Runner& run = *cluster->runner_;
  const std::string data = dir + "/data";
  Say("starting PostgreSQL in " + dir + (run.switch_user ? " as " + options.os_user : ""));
  // --no-sync: initdb's own files are not fsynced (the cluster is thrown
  // away); the server fsyncs every commit as usual.
  const bool up = run.Run("initdb",
                          {"-D", data, "-U", kRole, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"}) &&
                  run.Run("pg_ctl", {"-D", data, "-l", dir + "/server.log", "-w", "-t", "120", "-o",
                                     ServerOptions(dir, options), "start"});
  try {
    if (up) {
      PgConn conn(*cluster);
      conn.Exec(
          "CREATE TABLE events (position bigserial PRIMARY KEY, stream_id text NOT NULL, version bigint NOT NULL, "
          "payload bytea NOT NULL, UNIQUE (stream_id, version))");
      cluster->major_ = PQserverVersion(conn.get()) / 10000;
      return cluster;
    }
  } catch (const PgError& e) {
    Say(e.what());
  }
  Say("PostgreSQL did not start; going on without the PostgreSQL peer. setup.log:\n" + Tail(dir + "/setup.log", 8) +
      "server.log:\n" + Tail(dir + "/server.log", 8));
  cluster->Stop();
  return nullptr;
}

void PgCluster::StopLeftover(const std::string& dir, const PgOptions& options) {
  if (!std::filesystem::exists(dir + "/data/postmaster.pid")) return;
  std::string why;
  std::unique_ptr<Runner> runner = MakeRunner(dir, options, &why);
  if (runner) runner->Run("pg_ctl", {"-D", dir + "/data", "-m", "immediate", "-w", "stop"});
}

void PgCluster::Stop() {
  if (stopped_.exchange(true)) return;
  const std::string data = dir_ + "/data";
  if (std::filesystem::exists(data + "/postmaster.pid") &&
      !runner_->Run("pg_ctl", {"-D", data, "-m", "fast", "-w", "-t", "60", "stop"}) &&
      !runner_->Run("pg_ctl", {"-D", data, "-m", "immediate", "-w", "-t", "60", "stop"})) {
    Say("could not stop PostgreSQL; its files are left in " + dir_);
    return;
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

namespace {

bool HasServer(const std::string& bin_dir) {
  for (const char* tool : {"initdb", "pg_ctl", "postgres"}) {
    if (access((bin_dir + "/" + tool).c_str(), X_OK) != 0) return false;
  }
  return true;
}

std::unique_ptr<PgCluster::Runner> MakeRunner(const std::string& dir, const PgOptions& options, std::string* why) {
  if (!HasServer(options.bin_dir)) {
    *why = "no PostgreSQL server in " + options.bin_dir + " (apt-get install postgresql-15, or --pg-bin DIR)";
    return nullptr;
  }
  if (std::string(dir + "/.s.PGSQL." + std::to_string(kPort)).size() >= sizeof(sockaddr_un{}.sun_path)) {
    *why = "the PostgreSQL socket path under " + dir + " is too long for a unix socket (pass a shorter --dir)";
    return nullptr;
  }
  auto runner = std::make_unique<PgCluster::Runner>();
  runner->bin_dir = options.bin_dir;
  runner->dir = dir;
  if (geteuid() == 0) {
    const passwd* user = getpwnam(options.os_user.c_str());
    if (user == nullptr) {
      *why = "running as root, and PostgreSQL will not run as root; there is no user '" + options.os_user +
             "' to run it as (--pg-user NAME)";
      return nullptr;
    }
    runner->switch_user = true;
    runner->uid = user->pw_uid;
    runner->gid = user->pw_gid;
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  // Private to the server's user: the server trusts whoever reaches its socket.
  if (ec || chmod(dir.c_str(), 0700) != 0 || (runner->switch_user && chown(dir.c_str(), runner->uid, runner->gid))) {
    *why = "cannot make " + dir + " for PostgreSQL";
    return nullptr;
  }
  return runner;
}

void Check(const PgResult& result, const std::string& what) {
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw PgError("PostgreSQL: " + what + ": " + PQresultErrorMessage(result.get()));
  }
}

uint64_t BigEndian64(const char* bytes) {
  uint64_t v = 0;
  std::memcpy(&v, bytes, sizeof v);
  return be64toh(v);
}

}  // namespace

PgConn::PgConn(const PgCluster& cluster) : conn_(nullptr, PQfinish) {
  const std::string port = std::to_string(kPort);
  const char* keys[] = {"host", "port", "user", "dbname", "application_name", nullptr};
  const char* values[] = {cluster.socket_dir().c_str(), port.c_str(), kRole, "postgres", "eventstore_bench", nullptr};
  conn_.reset(PQconnectdbParams(keys, values, 0));
  if (PQstatus(conn_.get()) != CONNECTION_OK) {
    throw PgError(std::string("PostgreSQL: connecting: ") + PQerrorMessage(conn_.get()));
  }
}

PgResult PgConn::Exec(const std::string& sql, bool binary) {
  PgResult result(PQexecParams(get(), sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, binary ? 1 : 0), PQclear);
  Check(result, sql);
  return result;
}

void PgConn::Prepare(const char* name, const char* sql, int params) {
  PgResult result(PQprepare(get(), name, sql, params, nullptr), PQclear);
  Check(result, sql);
}

PgAppender::PgAppender(const PgCluster& cluster, int threads, std::string payload)
    : admin_(cluster), payload_(std::move(payload)) {
  admin_.Exec("TRUNCATE events RESTART IDENTITY");
  writers_.reserve(threads);
  for (int t = 0; t < threads; ++t) {
    writers_.push_back(Writer{PgConn(cluster), "bench-" + std::to_string(t)});
    writers_.back().conn.Prepare("append", "INSERT INTO events (stream_id, version, payload) VALUES ($1, $2, $3)", 3);
  }
  syncs_before_ = ReadWalSyncs();
}

void PgAppender::Append(int thread) {
  Writer& w = writers_[thread];
  const uint64_t version = htobe64(++w.version);
  const char* values[] = {w.stream.c_str(), reinterpret_cast<const char*>(&version), payload_.data()};
  const int lengths[] = {0, sizeof version, static_cast<int>(payload_.size())};
  const int formats[] = {0, 1, 1};
  PgResult result(PQexecPrepared(w.conn.get(), "append", 3, values, lengths, formats, 0), PQclear);
  Check(result, "append");
}

int64_t PgAppender::WalSyncs() {
  const int64_t now = ReadWalSyncs();
  return now < 0 || syncs_before_ < 0 || now == syncs_before_ ? -1 : now - syncs_before_;
}

int64_t PgAppender::ReadWalSyncs() {
  // A backend publishes its counts when idle at most once a second, or at once
  // when told to (PostgreSQL 15's pg_stat_force_next_flush): tell every one.
  try {
    admin_.Exec("SELECT pg_stat_force_next_flush()");
    for (Writer& w : writers_) w.conn.Exec("SELECT pg_stat_force_next_flush()");
    PgResult result = admin_.Exec("SELECT wal_sync FROM pg_stat_wal");
    return std::stoll(PQgetvalue(result.get(), 0, 0));
  } catch (const std::exception&) {
    return -1;
  }
}

namespace {

void PutBigEndian(std::string* out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void PutField(std::string* out, std::string_view bytes) {
  PutBigEndian(out, bytes.size(), 4);
  out->append(bytes);
}

void PutCopyData(PgConn& conn, std::string* buffer) {
  if (PQputCopyData(conn.get(), buffer->data(), static_cast<int>(buffer->size())) != 1) {
    throw PgError(std::string("PostgreSQL: COPY: ") + PQerrorMessage(conn.get()));
  }
  buffer->clear();
}

// COPY ... FROM STDIN in the binary format: a header, then per row the field
// count and each field as its length and bytes.
void CopyIn(PgConn& conn, const PgFillShape& shape, const std::string& payload) {
  PgResult start(PQexec(conn.get(), "COPY events (stream_id, version, payload) FROM STDIN (FORMAT binary)"), PQclear);
  if (PQresultStatus(start.get()) != PGRES_COPY_IN) throw PgError("PostgreSQL: COPY did not start");
  std::string buffer("PGCOPY\n\xff\r\n\0", 11);
  PutBigEndian(&buffer, 0, 4);  // flags
  PutBigEndian(&buffer, 0, 4);  // header extension length
  std::vector<uint64_t> versions(shape.streams, 0);
  std::string version(8, '\0');
  for (uint64_t done = 0; done < shape.events; ++done) {
    const uint64_t stream = (done / shape.per_batch) % shape.streams;
    version.clear();
    PutBigEndian(&version, ++versions[stream], 8);
    PutBigEndian(&buffer, 3, 2);
    PutField(&buffer, "replay-" + std::to_string(stream));
    PutField(&buffer, version);
    PutField(&buffer, payload);
    if (buffer.size() >= (1 << 20)) PutCopyData(conn, &buffer);
  }
  PutBigEndian(&buffer, 0xffff, 2);  // the trailer: a field count of -1
  PutCopyData(conn, &buffer);
  if (PQputCopyEnd(conn.get(), nullptr) != 1)
    throw PgError(std::string("PostgreSQL: COPY: ") + PQerrorMessage(conn.get()));
  for (PGresult* r; (r = PQgetResult(conn.get())) != nullptr;) Check(PgResult(r, PQclear), "COPY");
}

}  // namespace

void PgFill(const PgCluster& cluster, const PgFillShape& shape, const std::string& payload) {
  PgConn conn(cluster);
  conn.Exec("TRUNCATE events RESTART IDENTITY");
  CopyIn(conn, shape, payload);
  // Hint bits and statistics settled, and no checkpoint due during the reads.
  conn.Exec("VACUUM ANALYZE events");
  conn.Exec("CHECKPOINT");
}

uint64_t PgScan(PgConn& conn) {
  conn.Exec("BEGIN");
  conn.Exec(
      "DECLARE replay NO SCROLL CURSOR FOR SELECT position, stream_id, version, payload FROM events ORDER BY "
      "position");
  uint64_t events = 0, bytes = 0, last = 0;
  for (;;) {
    PgResult rows = conn.Exec("FETCH 10000 FROM replay", true);
    const int n = PQntuples(rows.get());
    if (n == 0) break;
    for (int i = 0; i < n; ++i) {
      const uint64_t position = BigEndian64(PQgetvalue(rows.get(), i, 0));
      if (position <= last) throw PgError("PostgreSQL: scan out of position order");
      last = position;
      bytes += PQgetlength(rows.get(), i, 1) + PQgetlength(rows.get(), i, 3);
    }
    events += n;
  }
  conn.Exec("COMMIT");
  if (bytes == 0) throw PgError("PostgreSQL: nothing to scan");
  return events;
}

uint64_t PgReadStreams(PgConn& conn, const std::vector<std::string>& streams) {
  conn.Prepare("read_stream",
               "SELECT position, stream_id, version, payload FROM events WHERE stream_id = $1 ORDER BY version", 1);
  uint64_t events = 0, bytes = 0;
  for (const std::string& stream : streams) {
    const char* values[] = {stream.c_str()};
    PgResult rows(PQexecPrepared(conn.get(), "read_stream", 1, values, nullptr, nullptr, 1), PQclear);
    Check(rows, "read_stream");
    const int n = PQntuples(rows.get());
    for (int i = 0; i < n; ++i) {
      if (BigEndian64(PQgetvalue(rows.get(), i, 2)) != static_cast<uint64_t>(i) + 1) {
        throw PgError("PostgreSQL: stream " + stream + " out of version order");
      }
      bytes += PQgetlength(rows.get(), i, 1) + PQgetlength(rows.get(), i, 3);
    }
    events += n;
  }
  if (bytes == 0) throw PgError("PostgreSQL: no stream events");
  return events;
}

}  // namespace ledger::bench

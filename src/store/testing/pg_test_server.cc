#include "store/testing/pg_test_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

namespace failsafe::store::testing {

namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

struct Identity {
  bool drop = false;  // true when running as root: become the postgres user in children
  uid_t uid = 0;
  gid_t gid = 0;
};

std::string BinDir() {
  const char* env = std::getenv("FAILSAFE_PG_BIN");
  return env != nullptr && *env != '\0' ? env : "/usr/lib/postgresql/15/bin";
}

std::string Tail(const std::string& path, size_t max = 2000) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  return s.size() > max ? "..." + s.substr(s.size() - max) : s;
}

// argv storage that outlives the fork: children may only call async-signal-safe functions.
struct Argv {
  std::vector<std::string> args;
  std::vector<char*> ptrs;
  explicit Argv(std::vector<std::string> a) : args(std::move(a)) {
    for (auto& s : args) ptrs.push_back(s.data());
    ptrs.push_back(nullptr);
  }
};

// In a forked child: log to `log_fd`, drop root, exec. Never returns.
[[noreturn]] void ExecChild(const Argv& argv, int log_fd, const Identity& id) {
  int devnull = open("/dev/null", O_RDONLY);
  if (devnull >= 0) dup2(devnull, 0);
  dup2(log_fd, 1);
  dup2(log_fd, 2);
  if (id.drop && (setgroups(0, nullptr) != 0 || setgid(id.gid) != 0 || setuid(id.uid) != 0)) {
    _exit(126);
  }
  execv(argv.ptrs[0], argv.ptrs.data());
  _exit(127);
}

int OpenLog(const std::string& path) {
  return open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

Status RunInitdb(const std::string& dir, const Identity& id) {
  Argv argv({BinDir() + "/initdb", "-D", dir + "/data", "-A", "trust", "-U", "postgres",
             "--no-sync", "-E", "UTF8", "--locale=C", "--no-instructions"});
  std::string log = dir + "/initdb.log";
  int log_fd = OpenLog(log);
  if (log_fd < 0) return Unavailable("cannot create " + log);
  pid_t pid = fork();
  if (pid == 0) ExecChild(argv, log_fd, id);
  close(log_fd);
  if (pid < 0) return Unavailable("fork failed for initdb");
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
    return Unavailable("initdb failed (status " + std::to_string(wstatus) + "): " + Tail(log));
  }
  return Status::Ok();
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

// The watchdog process owns the server: it starts postgres, and stops it (fast shutdown,
// SIGKILL after 10 s) as soon as its control pipe reaches EOF — when the test process calls
// Stop(), exits, or dies by any signal — then removes the temp dir. So a crashed or killed
// test leaves neither a server nor its files behind. It exits by itself when postgres exits.
// Async-signal-safe calls only.
[[noreturn]] void Watchdog(int control_fd, const Argv& argv, int log_fd, const Identity& id,
                           const Argv& cleanup) {
  pid_t pg = fork();
  if (pg == 0) ExecChild(argv, log_fd, id);
  if (pg < 0) _exit(1);
  for (;;) {
    pollfd p{control_fd, POLLIN, 0};
    int n = poll(&p, 1, 200);
    int wstatus = 0;
    if (waitpid(pg, &wstatus, WNOHANG) == pg) _exit(1);  // the server died on its own
    if (n > 0) {
      char c;
      if (read(control_fd, &c, 1) <= 0) break;  // EOF: stop the server
    }
  }
  kill(pg, SIGINT);  // fast shutdown: disconnects clients, unlike SIGTERM's smart shutdown
  bool stopped = false;
  for (int i = 0; i < 200 && !stopped; ++i) {
    int wstatus = 0;
    stopped = waitpid(pg, &wstatus, WNOHANG) == pg;
    timespec ts{0, 50'000'000};
    if (!stopped) nanosleep(&ts, nullptr);
  }
  if (!stopped) {
    kill(pg, SIGKILL);
    waitpid(pg, nullptr, 0);
  }
  execv(cleanup.ptrs[0], cleanup.ptrs.data());  // rm -rf the temp dir
  _exit(0);
}

std::string PingConninfo(int port) {
  return "host=127.0.0.1 port=" + std::to_string(port) +
         " user=postgres dbname=postgres connect_timeout=2";
}

}  // namespace

Result<std::unique_ptr<PgTestServer>> PgTestServer::Start() {
  std::string bin = BinDir();
  for (const char* tool : {"initdb", "postgres"}) {
    if (access((bin + "/" + tool).c_str(), X_OK) != 0) {
      return Err(FailedPrecondition(
          "PostgreSQL binary " + bin + "/" + tool +
          " not found: install postgresql-15 or set FAILSAFE_PG_BIN (PostgreSQL tests need a "
          "real server)"));
    }
  }
  Identity id;
  if (geteuid() == 0) {
    passwd* pw = getpwnam("postgres");
    if (pw == nullptr) {
      return Err(
          FailedPrecondition("running as root and there is no `postgres` user to run "
                             "the test server as"));
    }
    id = {true, pw->pw_uid, pw->pw_gid};
  }

  std::unique_ptr<PgTestServer> server(new PgTestServer());
  server->owner_pid_ = getpid();
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/failsafe-pg-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) return Err(Unavailable("cannot create " + pattern));
  server->dir_ = buf.data();
  if (id.drop && chown(server->dir_.c_str(), id.uid, id.gid) != 0) {
    return Err(Unavailable("cannot chown " + server->dir_ + " to the postgres user"));
  }
  FS_RETURN_IF_ERROR(RunInitdb(server->dir_, id));

  std::string log = server->dir_ + "/server.log";
  Status last = Unavailable("postgres did not start");
  for (int attempt = 0; attempt < 3; ++attempt) {  // the free port may be taken meanwhile
    int port = FreePort();
    if (port == 0) return Err(Unavailable("cannot find a free TCP port on 127.0.0.1"));
    Argv argv({bin + "/postgres", "-D", server->dir_ + "/data", "-k", server->dir_, "-h",
               "127.0.0.1", "-p", std::to_string(port), "-F", "-c", "synchronous_commit=off", "-c",
               "full_page_writes=off", "-c", "max_connections=200", "-c", "shared_buffers=32MB"});
    int log_fd = OpenLog(log);
    int control[2];
    if (log_fd < 0 || pipe2(control, O_CLOEXEC) != 0) {
      return Err(Unavailable("cannot create the server log or control pipe"));
    }
    Argv cleanup({"/bin/rm", "-rf", server->dir_});
    pid_t watchdog = fork();
    if (watchdog == 0) {
      close(control[1]);
      Watchdog(control[0], argv, log_fd, id, cleanup);
    }
    close(control[0]);
    close(log_fd);
    if (watchdog < 0) {
      close(control[1]);
      return Err(Unavailable("fork failed for postgres"));
    }
    server->pid_ = watchdog;
    server->control_fd_ = control[1];
    server->port_ = port;

    auto deadline = steady_clock::now() + std::chrono::seconds(30);
    std::string conninfo = PingConninfo(port);
    bool exited = false;
    while (steady_clock::now() < deadline) {
      if (PQping(conninfo.c_str()) == PQPING_OK) break;
      if (waitpid(watchdog, nullptr, WNOHANG) == watchdog) {
        exited = true;
        break;
      }
      std::this_thread::sleep_for(milliseconds(50));
    }
    if (exited) {
      close(server->control_fd_);
      server->control_fd_ = -1;
      server->pid_ = -1;
      last = Unavailable("postgres exited at start: " + Tail(log));
      continue;
    }
    if (PQping(conninfo.c_str()) != PQPING_OK) {
      return Err(Unavailable("postgres did not accept connections within 30 s: " + Tail(log)));
    }
    auto db = server->CreateDatabase("failsafe");
    if (!db) return Err(db.error());
    return server;
  }
  return Err(last);
}

Result<PgTestServer*> PgTestServer::Shared() {
  static std::once_flag once;
  static std::unique_ptr<PgTestServer> server;
  static Status error;
  std::call_once(once, [] {
    auto started = Start();
    if (started) {
      server = std::move(*started);
    } else {
      error = started.error();
    }
  });
  if (!server) return Err(error);
  return server.get();
}

PgTestServer::~PgTestServer() {
  (void)Stop();
}

Status PgTestServer::Stop() {
  if (getpid() != owner_pid_) return Status::Ok();  // a forked child: not ours to stop
  if (control_fd_ >= 0) {
    close(control_fd_);
    control_fd_ = -1;
  }
  if (pid_ > 0) {
    while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    dir_.clear();
  }
  return Status::Ok();
}

std::string PgTestServer::UrlFor(const std::string& database) const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

Result<std::string> PgTestServer::CreateDatabase(const std::string& name) {
  if (name.empty() || name.size() > 63 ||
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
    return Err(InvalidArgument("database name must be 1-63 of [a-z0-9_]: " + name));
  }
  std::string conninfo = PingConninfo(port_);
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    PQfinish(conn);
    return Err(Unavailable("cannot connect to the test server: " + msg));
  }
  std::string sql = "CREATE DATABASE " + name;
  PGresult* res = PQexec(conn, sql.c_str());
  Status status;
  if (PQresultStatus(res) != PGRES_COMMAND_OK) {
    const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    std::string msg = std::string("CREATE DATABASE failed: ") + PQresultErrorMessage(res);
    status = state != nullptr && std::string_view(state) == "42P04" ? AlreadyExists(msg)
                                                                    : Unavailable(msg);
  }
  PQclear(res);
  PQfinish(conn);
  if (!status.ok()) return Err(status);
  return UrlFor(name);
}

Result<std::string> PgTestServer::CreateUniqueDatabase(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return CreateDatabase(prefix + "_" + std::to_string(getpid()) + "_" + std::to_string(++counter));
}

}  // namespace failsafe::store::testing

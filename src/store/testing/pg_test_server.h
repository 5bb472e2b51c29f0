#pragma once
// A real, throw-away PostgreSQL 15 server for tests (store_test here, integration tests in
// tests/). Start() runs initdb into a fresh temp dir and starts `postgres` on a free port of
// 127.0.0.1 with trust authentication and fsync off (fast; its data is discarded anyway).
// When the process runs as root, the server runs as the `postgres` system user (PostgreSQL
// refuses root). Binaries come from $FAILSAFE_PG_BIN, default /usr/lib/postgresql/15/bin.
//
// Thread-safe after Start(). A watchdog process stops the server when this process ends in
// any way (even kill -9), so no server outlives its test run. A forked child inherits the
// object but never stops the server: only the process that started it does.
#include <sys/types.h>

#include <memory>
#include <string>

#include "base/result.h"

namespace failsafe::store::testing {

class PgTestServer {
 public:
  // Starts a server and creates the database "failsafe". kFailedPrecondition naming the path
  // when the binaries are missing; kUnavailable (with the server log's tail) when initdb or
  // the server fails or does not accept connections within 30 s.
  static Result<std::unique_ptr<PgTestServer>> Start();

  // One server per test binary, started on first use and stopped at exit. Returns the same
  // error on every call when it could not start.
  static Result<PgTestServer*> Shared();

  // Stops the server (fast shutdown, SIGKILL after 10 s) and removes its directory.
  ~PgTestServer();
  PgTestServer(const PgTestServer&) = delete;
  PgTestServer& operator=(const PgTestServer&) = delete;

  // postgresql://postgres@127.0.0.1:PORT/failsafe
  std::string Url() const { return UrlFor("failsafe"); }
  std::string UrlFor(const std::string& database) const;
  int port() const { return port_; }

  // Creates an empty database and returns its URL. `name` is [a-z0-9_], at most 63 bytes
  // (kInvalidArgument otherwise); kAlreadyExists when it exists.
  Result<std::string> CreateDatabase(const std::string& name);
  // A database with a name nobody used before in this server (prefix + counter).
  Result<std::string> CreateUniqueDatabase(const std::string& prefix = "test");

 private:
  PgTestServer() = default;
  Status Stop();

  std::string dir_;  // temp dir: data/, the socket and server.log
  int port_ = 0;
  pid_t pid_ = -1;       // the watchdog process that owns the postgres process
  int control_fd_ = -1;  // closing it tells the watchdog to stop the server
  pid_t owner_pid_ = -1;
};

}  // namespace failsafe::store::testing

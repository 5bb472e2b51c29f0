#pragma once
// The embedded engine: one SQLite file in WAL mode. One writer connection behind a mutex
// (BEGIN IMMEDIATE, so writers in other processes wait on the file lock for busy_timeout) and
// a pool of reader connections (deferred BEGIN: each Read sees one snapshot while writers go
// on). Thread-safe.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/sqlite_connection.h"
#include "store/store.h"
#include "store/store_metrics.h"

namespace failsafe::store {

class SqliteStore final : public Store {
 public:
  // Creates the file and its parent directory when missing. kUnavailable when they cannot be
  // created or opened; kDataLoss when the file is not an SQLite database.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   const StoreOptions& options);

  Engine engine() const override { return Engine::kSqlite; }
  Status Write(const std::function<Status(Tx&)>& fn) override;
  Status Read(const std::function<Status(Tx&)>& fn) override;
  Status Ping() override;
  std::string Describe() const override { return "sqlite:" + path_; }

 private:
  SqliteStore(std::string path, const StoreOptions& options)
      : path_(std::move(path)), metrics_(options.metrics, Engine::kSqlite) {}
  SqliteConnection* AcquireReader();
  void ReleaseReader(SqliteConnection* conn);

  std::string path_;
  StoreMetrics metrics_;

  std::mutex write_mu_;
  std::unique_ptr<SqliteConnection> writer_;  // guarded by write_mu_

  std::mutex readers_mu_;
  std::condition_variable reader_freed_;
  std::vector<std::unique_ptr<SqliteConnection>> readers_;  // owned, fixed after Open
  std::vector<SqliteConnection*> idle_readers_;             // guarded by readers_mu_
};

}  // namespace failsafe::store

#pragma once
// The shared engine: PostgreSQL through libpq, with a pool of up to pool_size connections
// opened on demand. Writes run under READ COMMITTED and are serialised within this process;
// reads run REPEATABLE READ READ ONLY. A connection found broken (server restart, network
// loss, terminated backend) is closed instead of being returned to the pool; a transaction
// whose BEGIN fails on a broken pooled connection is retried once on a fresh one.
// Thread-safe.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/postgres_connection.h"
#include "store/store.h"
#include "store/store_metrics.h"

namespace failsafe::store {

class PostgresStore final : public Store {
 public:
  // Connects once to fail fast: kInvalidArgument for a malformed URL, kUnavailable when the
  // server cannot be reached. Errors show the URL without its password.
  static Result<std::unique_ptr<PostgresStore>> Open(const std::string& url,
                                                     const StoreOptions& options);

  Engine engine() const override { return Engine::kPostgres; }
  Status Write(const std::function<Status(Tx&)>& fn) override;
  Status Read(const std::function<Status(Tx&)>& fn) override;
  Status Ping() override;
  std::string Describe() const override { return redacted_; }

 private:
  PostgresStore(std::string url, const StoreOptions& options);
  // Waits up to busy_timeout_ms for an idle connection or room to open one.
  Result<std::unique_ptr<PostgresConnection>> Acquire();
  // Returns a healthy idle connection to the pool; closes an unusable one.
  void Release(std::unique_ptr<PostgresConnection> conn);
  Status Run(StoreMetrics::Kind kind, const char* begin_sql, const std::function<Status(Tx&)>& fn);

  std::string url_;  // holds the password: never logged
  std::string redacted_;
  int pool_size_;
  int acquire_timeout_ms_;
  StoreMetrics metrics_;

  std::mutex write_mu_;  // serialises writers of this process

  std::mutex pool_mu_;
  std::condition_variable pool_changed_;
  std::vector<std::unique_ptr<PostgresConnection>> idle_;  // guarded by pool_mu_
  int open_ = 0;                                           // guarded by pool_mu_
};

}  // namespace failsafe::store

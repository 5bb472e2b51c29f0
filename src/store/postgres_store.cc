#include "store/postgres_store.h"

#include <chrono>

#include "store/tx_support.h"

namespace failsafe::store {

namespace {

class PostgresTx final : public Tx {
 public:
  explicit PostgresTx(PostgresConnection& conn) : conn_(conn) {}
  Engine engine() const override { return Engine::kPostgres; }

  Result<int64_t> Exec(std::string_view sql, const std::vector<Value>& params) override {
    FS_RETURN_IF_ERROR(Check(params));
    auto r = conn_.Exec(sql, params);
    if (!r) latch_.Record(r.error());
    return r;
  }
  Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Value>& params) override {
    FS_RETURN_IF_ERROR(Check(params));
    auto r = conn_.Query(sql, params);
    if (!r) latch_.Record(r.error());
    return r;
  }
  const TxErrorLatch& latch() const { return latch_; }

 private:
  Status Check(const std::vector<Value>& params) {
    FS_RETURN_STATUS_IF_ERROR(latch_.Check());
    Status s = CheckParams(params);
    latch_.Record(s);  // keeps the engines alike: a rejected parameter aborts on both
    return s;
  }

  PostgresConnection& conn_;
  TxErrorLatch latch_;
};

constexpr const char* kBeginWrite = "BEGIN";
constexpr const char* kBeginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

}  // namespace

PostgresStore::PostgresStore(std::string url, const StoreOptions& options)
    : url_(std::move(url)),
      redacted_(RedactUrl(url_)),
      pool_size_(std::max(1, options.pool_size)),
      acquire_timeout_ms_(std::max(1, options.busy_timeout_ms)),
      metrics_(options.metrics, Engine::kPostgres) {}

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& url,
                                                           const StoreOptions& options) {
  std::unique_ptr<PostgresStore> store(new PostgresStore(url, options));
  FS_ASSIGN_OR_RETURN(auto conn, store->Acquire());
  store->Release(std::move(conn));
  return store;
}

Result<std::unique_ptr<PostgresConnection>> PostgresStore::Acquire() {
  {
    std::unique_lock lock(pool_mu_);
    bool ready = pool_changed_.wait_for(lock, std::chrono::milliseconds(acquire_timeout_ms_),
                                        [&] { return !idle_.empty() || open_ < pool_size_; });
    if (!ready) {
      return Err(Unavailable("postgres: no free connection to " + redacted_ + " after " +
                             std::to_string(acquire_timeout_ms_) + " ms (pool of " +
                             std::to_string(pool_size_) + ")"));
    }
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return conn;
    }
    ++open_;  // reserve the slot; connect outside the lock
  }
  auto conn = PostgresConnection::Connect(url_, redacted_);
  if (!conn) {
    {
      std::lock_guard lock(pool_mu_);
      --open_;
    }
    pool_changed_.notify_one();
  }
  return conn;
}

void PostgresStore::Release(std::unique_ptr<PostgresConnection> conn) {
  {
    std::lock_guard lock(pool_mu_);
    if (conn->Unusable()) {
      --open_;
      conn.reset();
    } else {
      idle_.push_back(std::move(conn));
    }
  }
  pool_changed_.notify_one();
}

Status PostgresStore::Run(StoreMetrics::Kind kind, const char* begin_sql,
                          const std::function<Status(Tx&)>& fn) {
  auto start = std::chrono::steady_clock::now();
  Status status;
  try {
    for (int attempt = 0;; ++attempt) {
      auto acquired = Acquire();
      if (!acquired) {
        status = acquired.error();
        break;
      }
      std::unique_ptr<PostgresConnection> conn = std::move(*acquired);
      Status begun = conn->Command(begin_sql);
      if (!begun.ok() && conn->Unusable() && attempt == 0) {
        Release(std::move(conn));  // a stale pooled connection: drop it and try a fresh one
        continue;
      }
      struct Releaser {
        PostgresStore* store;
        std::unique_ptr<PostgresConnection>& conn;
        ~Releaser() { store->Release(std::move(conn)); }
      } releaser{this, conn};
      PostgresTx tx(*conn);
      bool write = kind == StoreMetrics::Kind::kWrite;
      status = RunInTransaction(
          tx, tx.latch(), fn, [&] { return begun; },
          [&]() -> Status {
            if (!write) return conn->Command("ROLLBACK");
            Status s = conn->Command("COMMIT");
            if (s.code() == ErrorCode::kUnavailable) {
              return s.WithContext("commit outcome unknown");
            }
            return s;
          },
          [&] { (void)conn->Command("ROLLBACK"); });
      break;
    }
  } catch (...) {
    metrics_.Record(kind, std::chrono::steady_clock::now() - start, Internal("exception"));
    throw;
  }
  metrics_.Record(kind, std::chrono::steady_clock::now() - start, status);
  return status;
}

Status PostgresStore::Write(const std::function<Status(Tx&)>& fn) {
  std::lock_guard lock(write_mu_);
  return Run(StoreMetrics::Kind::kWrite, kBeginWrite, fn);
}

Status PostgresStore::Read(const std::function<Status(Tx&)>& fn) {
  return Run(StoreMetrics::Kind::kRead, kBeginRead, fn);
}

Status PostgresStore::Ping() {
  return Read([](Tx& tx) -> Status {
    auto r = tx.Query("SELECT 1", {});
    return r ? Status::Ok() : r.error();
  });
}

}  // namespace failsafe::store

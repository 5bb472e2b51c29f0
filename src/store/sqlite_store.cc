#include "store/sqlite_store.h"

#include <filesystem>

#include "store/tx_support.h"

namespace failsafe::store {

namespace {

class SqliteTx final : public Tx {
 public:
  explicit SqliteTx(SqliteConnection& conn) : conn_(conn) {}
  Engine engine() const override { return Engine::kSqlite; }

  Result<int64_t> Exec(std::string_view sql, const std::vector<Value>& params) override {
    FS_RETURN_IF_ERROR(Prepare(params));
    auto r = conn_.Exec(sql, params);
    if (!r) latch_.Record(r.error());
    return r;
  }
  Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Value>& params) override {
    FS_RETURN_IF_ERROR(Prepare(params));
    auto r = conn_.Query(sql, params);
    if (!r) latch_.Record(r.error());
    return r;
  }
  const TxErrorLatch& latch() const { return latch_; }

 private:
  Status Prepare(const std::vector<Value>& params) {
    FS_RETURN_STATUS_IF_ERROR(latch_.Check());
    Status s = CheckParams(params);
    latch_.Record(s);
    return s;
  }

  SqliteConnection& conn_;
  TxErrorLatch latch_;
};

// Ends a transaction that may already have been rolled back by SQLite itself.
void Rollback(SqliteConnection& conn) {
  if (conn.InTransaction()) (void)conn.Exec("ROLLBACK", {});
}

Status Commit(SqliteConnection& conn) {
  auto r = conn.Exec("COMMIT", {});
  if (r) return Status::Ok();
  Rollback(conn);
  return r.error().WithContext("commit");
}

Status Begin(SqliteConnection& conn, std::string_view sql) {
  auto r = conn.Exec(sql, {});
  return r ? Status::Ok() : r.error().WithContext("begin");
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       const StoreOptions& options) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) {
      return Err(Unavailable("cannot create directory " + parent.string() + " for sqlite:" + path +
                             ": " + ec.message()));
    }
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(path, options));
  // The writer opens first: it switches the file to WAL before readers attach.
  FS_ASSIGN_OR_RETURN(store->writer_,
                      SqliteConnection::Open(path, /*read_only=*/false, options.busy_timeout_ms));
  int readers = std::max(1, options.pool_size);
  for (int i = 0; i < readers; ++i) {
    FS_ASSIGN_OR_RETURN(auto reader,
                        SqliteConnection::Open(path, /*read_only=*/true, options.busy_timeout_ms));
    store->idle_readers_.push_back(reader.get());
    store->readers_.push_back(std::move(reader));
  }
  return store;
}

Status SqliteStore::Write(const std::function<Status(Tx&)>& fn) {
  auto start = std::chrono::steady_clock::now();
  Status status;
  {
    std::lock_guard lock(write_mu_);
    SqliteConnection& conn = *writer_;
    SqliteTx tx(conn);
    try {
      status = RunInTransaction(
          tx, tx.latch(), fn, [&] { return Begin(conn, "BEGIN IMMEDIATE"); },
          [&] { return Commit(conn); }, [&] { Rollback(conn); });
    } catch (...) {
      metrics_.Record(StoreMetrics::Kind::kWrite, std::chrono::steady_clock::now() - start,
                      Internal("exception"));
      throw;
    }
  }
  metrics_.Record(StoreMetrics::Kind::kWrite, std::chrono::steady_clock::now() - start, status);
  return status;
}

SqliteConnection* SqliteStore::AcquireReader() {
  std::unique_lock lock(readers_mu_);
  reader_freed_.wait(lock, [&] { return !idle_readers_.empty(); });
  SqliteConnection* conn = idle_readers_.back();
  idle_readers_.pop_back();
  return conn;
}

void SqliteStore::ReleaseReader(SqliteConnection* conn) {
  {
    std::lock_guard lock(readers_mu_);
    idle_readers_.push_back(conn);
  }
  reader_freed_.notify_one();
}

Status SqliteStore::Read(const std::function<Status(Tx&)>& fn) {
  auto start = std::chrono::steady_clock::now();
  SqliteConnection* conn = AcquireReader();
  struct Releaser {
    SqliteStore* store;
    SqliteConnection* conn;
    ~Releaser() { store->ReleaseReader(conn); }
  } releaser{this, conn};
  SqliteTx tx(*conn);
  Status status;
  try {
    // A read transaction has nothing to commit; ending it either way releases the snapshot.
    status = RunInTransaction(
        tx, tx.latch(), fn, [&] { return Begin(*conn, "BEGIN"); },
        [&] {
          Rollback(*conn);
          return Status::Ok();
        },
        [&] { Rollback(*conn); });
  } catch (...) {
    metrics_.Record(StoreMetrics::Kind::kRead, std::chrono::steady_clock::now() - start,
                    Internal("exception"));
    throw;
  }
  metrics_.Record(StoreMetrics::Kind::kRead, std::chrono::steady_clock::now() - start, status);
  return status;
}

Status SqliteStore::Ping() {
  return Read([](Tx& tx) -> Status {
    auto r = tx.Query("SELECT 1", {});
    return r ? Status::Ok() : r.error();
  });
}

}  // namespace failsafe::store

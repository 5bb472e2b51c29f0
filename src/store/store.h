#pragma once
// The database seam. One interface, two engines: SQLite (embedded default, WAL) and
// PostgreSQL (shared, for several instances). Modules write portable SQL with `?`
// placeholders; the PostgreSQL engine rewrites them to $1..$n. Times are stored as BIGINT
// Unix milliseconds, booleans as 0/1 integers, ids as BIGINT.
//
// Threading: Store is thread-safe; a Tx belongs to the thread that received it and lives
// only for the callback it was passed to.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"

namespace failsafe::metrics {
class Registry;
}

namespace failsafe::store {

enum class Engine { kSqlite, kPostgres };
std::string_view EngineName(Engine e);

// Bytes stored as BLOB (SQLite) / BYTEA (PostgreSQL).
struct Blob {
  std::string bytes;
};

using Value = std::variant<std::nullptr_t, int64_t, double, std::string, Blob>;

// Helpers for optional parameters.
inline Value OptionalText(const std::optional<std::string>& v) {
  return v ? Value(*v) : Value(nullptr);
}
inline Value OptionalInt(const std::optional<int64_t>& v) { return v ? Value(*v) : Value(nullptr); }

// One result row. Accessors read column i (0-based); reading a NULL gives 0 / "" / nullopt.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  bool IsNull(size_t i) const;
  int64_t Int(size_t i) const;
  double Real(size_t i) const;
  std::string Text(size_t i) const;
  std::string Bytes(size_t i) const;  // for BLOB columns
  std::optional<int64_t> OptInt(size_t i) const;
  std::optional<std::string> OptText(size_t i) const;

 private:
  std::vector<Value> values_;
};

// A transaction. Statements run in order; all commit or none do.
class Tx {
 public:
  virtual ~Tx() = default;
  virtual Engine engine() const = 0;

  // Runs a statement; returns the number of rows it changed.
  // A unique-constraint violation fails with kAlreadyExists, other constraint violations with
  // kConflict; a lost connection with kUnavailable.
  virtual Result<int64_t> Exec(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Runs a query and returns every row.
  virtual Result<std::vector<Row>> Query(std::string_view sql,
                                         const std::vector<Value>& params = {}) = 0;
  // At most one row: nullopt when none; kInternal when the query returned more than one.
  Result<std::optional<Row>> QueryOne(std::string_view sql, const std::vector<Value>& params = {});
  // Runs `INSERT ... RETURNING id` (portable between the engines) and returns the id.
  Result<int64_t> Insert(std::string_view sql_with_returning_id,
                         const std::vector<Value>& params = {});
};

struct StoreOptions {
  int pool_size = 4;              // connections kept open (readers for SQLite)
  int busy_timeout_ms = 5000;     // SQLite: wait for a lock this long before kUnavailable
  metrics::Registry* metrics = nullptr;  // when set, store timings are recorded there
};

class Store {
 public:
  virtual ~Store() = default;
  virtual Engine engine() const = 0;

  // Runs `fn` in a read-write transaction. Commits when fn returns OK and reports the commit's
  // outcome; rolls back when fn fails (returning fn's Status) or throws (rethrown).
  // When Write returns OK the change is durable: it survives kill -9 of the process.
  // Writers are serialised; `fn` must not call Write or Read on the same Store.
  virtual Status Write(const std::function<Status(Tx&)>& fn) = 0;
  // Runs `fn` in a read-only transaction with a consistent snapshot.
  virtual Status Read(const std::function<Status(Tx&)>& fn) = 0;
  // OK when the database answers a trivial query (used by /readyz).
  virtual Status Ping() = 0;
  // A human description without credentials, e.g. "sqlite:/var/failsafe/failsafe.db" or
  // "postgresql://failsafe@127.0.0.1:5432/failsafe".
  virtual std::string Describe() const = 0;
};

// Opens a store from a URL: "sqlite:PATH" (created when missing) or "postgresql://..." /
// "postgres://..." (libpq connection URI). The URL is never logged with its password.
Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const StoreOptions& options = {});

// Rewrites `?` placeholders (outside quoted strings) to $1..$n. Exposed for tests.
std::string RewritePlaceholdersForPostgres(std::string_view sql);

// Removes the password from a database URL, for logs and error messages.
std::string RedactUrl(std::string_view url);

}  // namespace failsafe::store

#pragma once
// The database seam. One interface, two engines: SQLite (embedded default, WAL) and
// PostgreSQL (shared, for several instances). Modules write portable SQL with `?`
// placeholders; the PostgreSQL engine rewrites them to $1..$n. Times are stored as BIGINT
// Unix milliseconds, booleans as 0/1 integers, ids as BIGINT.
//
// Threading: Store is thread-safe; a Tx belongs to the thread that received it and lives
// only for the callback it was passed to.
//
// A failed statement aborts its transaction on both engines (PostgreSQL's rule, applied to
// SQLite too so code tested on one behaves the same on the other): later statements in the
// same Tx fail with kFailedPrecondition, and Write rolls back and returns the first
// statement's error even if `fn` returns OK. Use `INSERT ... ON CONFLICT` (both engines)
// rather than "try insert, then update".
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
inline Value OptionalInt(const std::optional<int64_t>& v) {
  return v ? Value(*v) : Value(nullptr);
}

// One result row. Accessors read column i (0-based); reading a NULL gives 0 / "" / nullopt.
// Numbers convert between Int and Real; Int/Real of a text value parse it (0 when it is not a
// number); Text of a number formats it. Reading past size() is a bug and throws
// std::out_of_range.
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
  // Runs `INSERT ... RETURNING id` (portable between the engines) and returns the id;
  // kInternal when the statement returned no row or no integer.
  Result<int64_t> Insert(std::string_view sql_with_returning_id,
                         const std::vector<Value>& params = {});
};

struct StoreOptions {
  int pool_size = 4;           // connections kept open (readers for SQLite; at least 1)
  int busy_timeout_ms = 5000;  // SQLite: wait for a lock this long before kUnavailable;
                               // PostgreSQL: wait this long for a free pooled connection
  // When set, `failsafe_store_seconds{engine,kind}` and `failsafe_store_errors_total{engine,
  // code}` are registered there (once per store: give each registry one store) and recorded.
  // Not owned; must outlive the store.
  metrics::Registry* metrics = nullptr;
};

class Store {
 public:
  virtual ~Store() = default;
  virtual Engine engine() const = 0;

  // Runs `fn` in a read-write transaction. Commits when fn returns OK and reports the commit's
  // outcome; rolls back when fn fails (returning fn's Status) or throws (rethrown).
  // When Write returns OK the change is durable: it survives kill -9 of the process.
  // Writers are serialised within one process (and across processes on SQLite, whose write
  // lock is database-wide). Across processes sharing PostgreSQL, writers run concurrently
  // under READ COMMITTED: modules needing serialisation lock rows themselves
  // (`SELECT ... FOR UPDATE`, or a conditional UPDATE). `fn` must not call Write or Read on
  // the same Store (it would deadlock). kUnavailable when the database cannot be reached or
  // stays locked; kConflict on a serialisation failure or deadlock (worth retrying).
  virtual Status Write(const std::function<Status(Tx&)>& fn) = 0;
  // Runs `fn` in a read-only transaction with a consistent snapshot (SQLite: from its first
  // statement; PostgreSQL: REPEATABLE READ READ ONLY). Writing inside it fails (kInternal).
  // Rolls back afterwards; returns fn's Status, or rethrows what fn threw.
  virtual Status Read(const std::function<Status(Tx&)>& fn) = 0;
  // OK when the database answers a trivial query (used by /readyz).
  virtual Status Ping() = 0;
  // A human description without credentials, e.g. "sqlite:/var/failsafe/failsafe.db" or
  // "postgresql://failsafe@127.0.0.1:5432/failsafe".
  virtual std::string Describe() const = 0;
};

// Opens a store from a URL: "sqlite:PATH" (file and parent directory created when missing) or
// "postgresql://..." / "postgres://..." (libpq connection URI). The URL is never logged or
// put in an error with its password. kInvalidArgument for an unknown scheme or empty path;
// kUnavailable when the database cannot be opened or reached (PostgreSQL connects once here
// to fail fast).
Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const StoreOptions& options = {});

// Rewrites `?` placeholders to $1..$n, leaving '...' strings, "..." identifiers, $tag$ dollar
// quotes and -- / /* */ comments untouched. Exposed for tests.
std::string RewritePlaceholdersForPostgres(std::string_view sql);

// Removes the password from a database URL, for logs and error messages.
std::string RedactUrl(std::string_view url);

}  // namespace failsafe::store

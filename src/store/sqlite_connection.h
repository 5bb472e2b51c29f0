#pragma once
// Internal: one SQLite connection with its prepared-statement cache.
// Not thread-safe: SqliteStore hands each connection to one thread at a time.
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace failsafe::store {

// Maps an SQLite result code (extended codes on) to a Status; `sql` is quoted only for
// kInternal, where the statement itself is the bug.
Status SqliteError(int rc, std::string_view message, std::string_view sql = {});

class SqliteConnection {
 public:
  // Opens (creating when missing) the database at `path` in WAL mode with synchronous=FULL
  // and foreign keys on. A `read_only` connection refuses writes (query_only). kUnavailable
  // when the file cannot be opened, kDataLoss when it is not a database.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path, bool read_only,
                                                        int busy_timeout_ms);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // Run one statement (cached by its text). Exec returns the number of rows changed.
  Result<int64_t> Exec(std::string_view sql, const std::vector<Value>& params);
  Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Value>& params);
  // True while a transaction is open (used to avoid a second ROLLBACK after SQLite already
  // rolled back on its own, e.g. after an I/O error).
  bool InTransaction() const;

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // Prepared statements kept per connection; flushed when it grows past this (dynamic SQL).
  static constexpr size_t kMaxCachedStatements = 512;

  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  Result<sqlite3_stmt*> Prepare(std::string_view sql);
  // Binds, steps to the end and resets. Collects rows when `rows` is set.
  Status Run(std::string_view sql, const std::vector<Value>& params, std::vector<Row>* rows);
  void ClearCache();

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*, StringHash, std::equal_to<>> cache_;
};

}  // namespace failsafe::store

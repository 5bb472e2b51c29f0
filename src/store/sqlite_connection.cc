#include "store/sqlite_connection.h"

#include <sqlite3.h>

#include <cctype>

namespace failsafe::store {

Status SqliteError(int rc, std::string_view message, std::string_view sql) {
  std::string msg = "sqlite: " + std::string(message);
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return AlreadyExists(std::move(msg));
      }
      return Conflict(std::move(msg));
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return Unavailable(msg + " (another connection holds the lock)");
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
    case SQLITE_NOMEM: return Unavailable(std::move(msg));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return DataLoss(msg + " (the database file is damaged)");
    default:
      if (!sql.empty()) msg += " in: " + std::string(sql);
      return Internal(std::move(msg));
  }
}

namespace {

bool OnlySpaceOrSemicolons(const char* p) {
  for (; *p != '\0'; ++p) {
    if (!std::isspace(static_cast<unsigned char>(*p)) && *p != ';') return false;
  }
  return true;
}

Status ExecPragma(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string message = err != nullptr ? err : sqlite3_errstr(rc);
  sqlite3_free(err);
  return rc == SQLITE_OK ? Status::Ok() : SqliteError(rc, message, sql);
}

Value ColumnValue(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER: return static_cast<int64_t>(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT: return sqlite3_column_double(stmt, i);
    case SQLITE_TEXT: {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      return std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt, i)));
    }
    case SQLITE_BLOB: {
      const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
      int n = sqlite3_column_bytes(stmt, i);
      return Blob{n > 0 ? std::string(p, static_cast<size_t>(n)) : std::string()};
    }
    default: return nullptr;
  }
}

int BindValue(sqlite3_stmt* stmt, int i, const Value& v) {
  if (auto* n = std::get_if<int64_t>(&v)) return sqlite3_bind_int64(stmt, i, *n);
  if (auto* d = std::get_if<double>(&v)) return sqlite3_bind_double(stmt, i, *d);
  if (auto* s = std::get_if<std::string>(&v)) {
    return sqlite3_bind_text64(stmt, i, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
  }
  if (auto* b = std::get_if<Blob>(&v)) {
    // A zero-length blob must still be a BLOB, not NULL: bind_zeroblob gives that.
    if (b->bytes.empty()) return sqlite3_bind_zeroblob(stmt, i, 0);
    return sqlite3_bind_blob64(stmt, i, b->bytes.data(), b->bytes.size(), SQLITE_STATIC);
  }
  return sqlite3_bind_null(stmt, i);
}

}  // namespace

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path,
                                                                 bool read_only,
                                                                 int busy_timeout_ms) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return Err(SqliteError(rc, message).WithContext("opening sqlite:" + path));
  }
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  // journal_mode=WAL is persistent in the file; the rest is per connection. FULL syncs the WAL
  // at every commit so an acknowledged write survives power loss, not only kill -9.
  std::string pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;";
  if (read_only) pragmas += " PRAGMA query_only=ON;";
  if (Status s = ExecPragma(db, pragmas); !s.ok()) {
    return Err(s.WithContext("opening sqlite:" + path));
  }
  return conn;
}

SqliteConnection::~SqliteConnection() {
  ClearCache();
  sqlite3_close_v2(db_);
}

void SqliteConnection::ClearCache() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  cache_.clear();
}

bool SqliteConnection::InTransaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}

Result<sqlite3_stmt*> SqliteConnection::Prepare(std::string_view sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) return it->second;
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK) return Err(SqliteError(rc, sqlite3_errmsg(db_), sql));
  if (stmt == nullptr) return Err(Internal("sqlite: empty SQL statement"));
  std::string rest(tail, static_cast<size_t>(sql.data() + sql.size() - tail));
  if (!OnlySpaceOrSemicolons(rest.c_str())) {
    sqlite3_finalize(stmt);
    return Err(Internal("sqlite: more than one statement in one call: " + std::string(sql)));
  }
  if (cache_.size() >= kMaxCachedStatements) ClearCache();
  cache_.emplace(std::string(sql), stmt);
  return stmt;
}

Status SqliteConnection::Run(std::string_view sql, const std::vector<Value>& params,
                             std::vector<Row>* rows) {
  FS_ASSIGN_OR_RETURN_STATUS(sqlite3_stmt * stmt, Prepare(sql));
  // Reset on every path so the statement releases its read lock and can be reused.
  struct Resetter {
    sqlite3_stmt* s;
    ~Resetter() {
      sqlite3_reset(s);
      sqlite3_clear_bindings(s);
    }
  } resetter{stmt};
  int expected = sqlite3_bind_parameter_count(stmt);
  if (expected != static_cast<int>(params.size())) {
    return Internal("sqlite: statement has " + std::to_string(expected) + " placeholders but " +
                    std::to_string(params.size()) + " parameters were given: " + std::string(sql));
  }
  for (size_t i = 0; i < params.size(); ++i) {
    int rc = BindValue(stmt, static_cast<int>(i + 1), params[i]);
    if (rc != SQLITE_OK) return SqliteError(rc, sqlite3_errmsg(db_), sql);
  }
  int columns = sqlite3_column_count(stmt);
  for (;;) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) return Status::Ok();
    if (rc != SQLITE_ROW) return SqliteError(rc, sqlite3_errmsg(db_), sql);
    if (rows == nullptr) continue;
    std::vector<Value> values;
    values.reserve(static_cast<size_t>(columns));
    for (int c = 0; c < columns; ++c) values.push_back(ColumnValue(stmt, c));
    rows->emplace_back(std::move(values));
  }
}

Result<int64_t> SqliteConnection::Exec(std::string_view sql, const std::vector<Value>& params) {
  // sqlite3_changes64 keeps the count of the last INSERT/UPDATE/DELETE, so DDL and SELECT
  // would report a stale number without the total_changes comparison.
  int64_t before = sqlite3_total_changes64(db_);
  FS_RETURN_IF_ERROR(Run(sql, params, nullptr));
  if (sqlite3_total_changes64(db_) == before) return int64_t{0};
  return static_cast<int64_t>(sqlite3_changes64(db_));
}

Result<std::vector<Row>> SqliteConnection::Query(std::string_view sql,
                                                 const std::vector<Value>& params) {
  std::vector<Row> rows;
  FS_RETURN_IF_ERROR(Run(sql, params, &rows));
  return rows;
}

}  // namespace failsafe::store

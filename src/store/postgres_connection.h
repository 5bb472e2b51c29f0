#pragma once
// Internal: one libpq connection with its prepared-statement cache.
// Not thread-safe: PostgresStore hands each connection to one thread at a time.
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/store.h"

struct pg_conn;
struct pg_result;

namespace failsafe::store {

// Maps a failed result (by SQLSTATE) or a connection failure to a Status. Only the primary
// message is used: PostgreSQL's DETAIL may quote row values.
Status PostgresError(pg_conn* conn, const pg_result* res, std::string_view sql = {});

class PostgresConnection {
 public:
  // Connects with a libpq URI. `redacted` (the URI without password) is what errors show.
  // kUnavailable when the server cannot be reached or refuses the login.
  static Result<std::unique_ptr<PostgresConnection>> Connect(const std::string& url,
                                                             const std::string& redacted);
  ~PostgresConnection();
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  // `?` placeholders are rewritten to $n; statements are prepared once per connection for
  // each combination of SQL text and parameter types.
  Result<int64_t> Exec(std::string_view sql, const std::vector<Value>& params);
  Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Value>& params);
  // Runs a parameterless command such as BEGIN without preparing it.
  Status Command(const char* sql);
  // True when the connection is lost or left inside a transaction: do not reuse it.
  bool Unusable() const;

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  static constexpr size_t kMaxCachedStatements = 512;

  explicit PostgresConnection(pg_conn* conn) : conn_(conn) {}
  // Returns the executed result (caller frees) or the mapped error.
  Result<pg_result*> Run(std::string_view sql, const std::vector<Value>& params);

  pg_conn* conn_;
  std::unordered_map<std::string, std::string, StringHash, std::equal_to<>> prepared_;
  uint64_t next_statement_ = 0;
};

}  // namespace failsafe::store

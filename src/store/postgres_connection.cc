#include "store/postgres_connection.h"

#include <libpq-fe.h>

#include <charconv>
#include <cmath>

#include "store/sql_text.h"

namespace failsafe::store {

namespace {

// Type OIDs from pg_type.h (stable across PostgreSQL versions).
constexpr Oid kBoolOid = 16, kByteaOid = 17, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23,
              kOidOid = 26, kFloat4Oid = 700, kFloat8Oid = 701, kNumericOid = 1700;

std::string Trimmed(const char* s) {
  std::string out = s != nullptr ? s : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// bytea in text format is "\x" then hex pairs (bytea_output=hex, the default since 9.0).
Result<std::string> DecodeBytea(const char* p, int len) {
  if (len < 2 || p[0] != '\\' || p[1] != 'x') {
    return Err(Internal("postgres: bytea value not in hex format (set bytea_output=hex)"));
  }
  std::string out;
  out.reserve(static_cast<size_t>(len - 2) / 2);
  for (int i = 2; i + 1 < len; i += 2) {
    int hi = HexDigit(p[i]), lo = HexDigit(p[i + 1]);
    if (hi < 0 || lo < 0) return Err(Internal("postgres: malformed bytea hex value"));
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

Result<Value> DecodeValue(Oid type, const char* p, int len) {
  std::string_view text(p, static_cast<size_t>(len));
  switch (type) {
    case kBoolOid: return Value(int64_t{text == "t" ? 1 : 0});
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid:
    case kNumericOid: {
      int64_t n = 0;
      auto [ptr, ec] = std::from_chars(p, p + len, n);
      if (ec == std::errc() && ptr == p + len) return Value(n);
      if (type != kNumericOid) return Value(std::string(text));
      [[fallthrough]];  // a fractional or huge numeric is read as a double
    }
    case kFloat4Oid:
    case kFloat8Oid: {
      if (text == "NaN") return Value(std::nan(""));
      if (text == "Infinity") return Value(HUGE_VAL);
      if (text == "-Infinity") return Value(-HUGE_VAL);
      double d = 0;
      std::from_chars(p, p + len, d);
      return Value(d);
    }
    case kByteaOid: {
      FS_ASSIGN_OR_RETURN(auto bytes, DecodeBytea(p, len));
      return Value(Blob{std::move(bytes)});
    }
    default: return Value(std::string(text));
  }
}

char TypeCode(const Value& v) {
  switch (v.index()) {
    case 1: return 'i';
    case 2: return 'd';
    case 3: return 't';
    case 4: return 'b';
    default: return 'n';
  }
}

Oid TypeOid(char code) {
  switch (code) {
    case 'i': return kInt8Oid;
    case 'd': return kFloat8Oid;
    case 'b': return kByteaOid;
    default: return 0;  // text and NULL: let the server infer from context
  }
}

std::string FormatDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, ptr);
}

// The password, when the URL carries one, so it can be scrubbed from libpq's messages.
std::string PasswordOf(const std::string& url) {
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), nullptr);
  if (opts == nullptr) return {};
  std::string password;
  for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    if (std::string_view(o->keyword) == "password" && o->val != nullptr) password = o->val;
  }
  PQconninfoFree(opts);
  return password;
}

std::string Scrub(std::string message, const std::string& password) {
  if (password.empty()) return message;
  for (size_t pos = 0; (pos = message.find(password, pos)) != std::string::npos;) {
    message.replace(pos, password.size(), "***");
  }
  return message;
}

}  // namespace

Status PostgresError(pg_conn* conn, const pg_result* res, std::string_view sql) {
  if (res == nullptr || PQstatus(conn) == CONNECTION_BAD) {
    return Unavailable("postgres: connection lost: " + Trimmed(PQerrorMessage(conn)));
  }
  std::string state = Trimmed(PQresultErrorField(res, PG_DIAG_SQLSTATE));
  std::string msg = "postgres: " + Trimmed(PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
  if (state == "23505") return AlreadyExists(std::move(msg));
  if (state.starts_with("23")) return Conflict(std::move(msg));
  if (state == "40001" || state == "40P01") return Conflict(msg + " (worth retrying)");
  if (state.starts_with("08") || state.starts_with("53") || state.starts_with("57P")) {
    return Unavailable(std::move(msg));
  }
  if (state == "57014") return {ErrorCode::kDeadlineExceeded, std::move(msg)};
  if (state.starts_with("22")) return InvalidArgument(std::move(msg));
  msg += " [SQLSTATE " + state + "]";
  if (!sql.empty()) msg += " in: " + std::string(sql);
  return Internal(std::move(msg));
}

Result<std::unique_ptr<PostgresConnection>> PostgresConnection::Connect(
    const std::string& url, const std::string& redacted) {
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(url.c_str(), &parse_error);
  // libpq's parse error may quote part of the URL (the password included): not shown.
  PQfreemem(parse_error);
  if (parsed == nullptr) return Err(InvalidArgument("malformed PostgreSQL URL " + redacted));
  PQconninfoFree(parsed);
  // Keywords are applied in order, so anything set in the URL overrides these defaults.
  const char* keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {"10", "failsafe", url.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) return Err(Unavailable("postgres: out of memory connecting to " + redacted));
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = Scrub(Trimmed(PQerrorMessage(conn)), PasswordOf(url));
    PQfinish(conn);
    return Err(Unavailable("cannot connect to " + redacted + ": " + message));
  }
  // Server notices ("relation already exists, skipping") are not errors; libpq would print
  // them on stderr, outside the structured log.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<PostgresConnection>(new PostgresConnection(conn));
}

PostgresConnection::~PostgresConnection() {
  PQfinish(conn_);
}

bool PostgresConnection::Unusable() const {
  return PQstatus(conn_) != CONNECTION_OK || PQtransactionStatus(conn_) != PQTRANS_IDLE;
}

Status PostgresConnection::Command(const char* sql) {
  PGresult* res = PQexec(conn_, sql);
  Status s =
      PQresultStatus(res) == PGRES_COMMAND_OK ? Status::Ok() : PostgresError(conn_, res, sql);
  PQclear(res);
  return s;
}

Result<pg_result*> PostgresConnection::Run(std::string_view sql, const std::vector<Value>& params) {
  std::string key(sql);
  key.push_back('\0');
  for (const Value& v : params) key.push_back(TypeCode(v));
  auto it = prepared_.find(key);
  if (it == prepared_.end()) {
    int placeholders = 0;
    std::string rewritten = RewritePlaceholders(sql, &placeholders);
    if (placeholders != static_cast<int>(params.size())) {
      return Err(Internal("postgres: statement has " + std::to_string(placeholders) +
                          " placeholders but " + std::to_string(params.size()) +
                          " parameters were given: " + std::string(sql)));
    }
    if (prepared_.size() >= kMaxCachedStatements) {
      // Names are never reused, so a failed DEALLOCATE only leaks server memory.
      PQclear(PQexec(conn_, "DEALLOCATE ALL"));
      prepared_.clear();
    }
    std::vector<Oid> types;
    types.reserve(params.size());
    for (const Value& v : params) types.push_back(TypeOid(TypeCode(v)));
    std::string name = "fs_" + std::to_string(++next_statement_);
    PGresult* res = PQprepare(conn_, name.c_str(), rewritten.c_str(),
                              static_cast<int>(params.size()), types.data());
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
      Status s = PostgresError(conn_, res, sql);
      PQclear(res);
      return Err(s);
    }
    PQclear(res);
    it = prepared_.emplace(std::move(key), std::move(name)).first;
  }

  std::vector<std::string> numbers;  // text of int/double params, kept alive for the call
  numbers.reserve(params.size());
  std::vector<const char*> values(params.size());
  std::vector<int> lengths(params.size()), formats(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    const Value& v = params[i];
    if (auto* n = std::get_if<int64_t>(&v)) {
      values[i] = numbers.emplace_back(std::to_string(*n)).c_str();
    } else if (auto* d = std::get_if<double>(&v)) {
      values[i] = numbers.emplace_back(FormatDouble(*d)).c_str();
    } else if (auto* s = std::get_if<std::string>(&v)) {
      values[i] = s->c_str();
    } else if (auto* b = std::get_if<Blob>(&v)) {
      values[i] = b->bytes.data();
      lengths[i] = static_cast<int>(b->bytes.size());
      formats[i] = 1;  // binary: no escaping, zero bytes pass through
    }
  }
  PGresult* res = PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(params.size()),
                                 values.data(), lengths.data(), formats.data(), 0);
  ExecStatusType st = PQresultStatus(res);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    Status s = PostgresError(conn_, res, sql);
    PQclear(res);
    return Err(s);
  }
  return res;
}

Result<int64_t> PostgresConnection::Exec(std::string_view sql, const std::vector<Value>& params) {
  FS_ASSIGN_OR_RETURN(PGresult * res, Run(sql, params));
  const char* tuples = PQcmdTuples(res);
  int64_t n = 0;
  std::from_chars(tuples, tuples + std::char_traits<char>::length(tuples), n);
  PQclear(res);
  return n;
}

Result<std::vector<Row>> PostgresConnection::Query(std::string_view sql,
                                                   const std::vector<Value>& params) {
  FS_ASSIGN_OR_RETURN(PGresult * res, Run(sql, params));
  std::unique_ptr<PGresult, decltype(&PQclear)> guard(res, &PQclear);
  int rows = PQntuples(res), cols = PQnfields(res);
  std::vector<Oid> types(static_cast<size_t>(cols));
  for (int c = 0; c < cols; ++c) types[static_cast<size_t>(c)] = PQftype(res, c);
  std::vector<Row> out;
  out.reserve(static_cast<size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    std::vector<Value> values;
    values.reserve(static_cast<size_t>(cols));
    for (int c = 0; c < cols; ++c) {
      if (PQgetisnull(res, r, c)) {
        values.emplace_back(nullptr);
        continue;
      }
      FS_ASSIGN_OR_RETURN(Value v, DecodeValue(types[static_cast<size_t>(c)], PQgetvalue(res, r, c),
                                               PQgetlength(res, r, c)));
      values.push_back(std::move(v));
    }
    out.emplace_back(std::move(values));
  }
  return out;
}

}  // namespace failsafe::store

// Engine-independent parts of the seam: Row accessors, Tx conveniences, OpenStore.
#include "store/store.h"

#include <charconv>
#include <cmath>
#include <stdexcept>

#include "store/postgres_store.h"
#include "store/sqlite_store.h"

namespace failsafe::store {

std::string_view EngineName(Engine e) {
  switch (e) {
    case Engine::kSqlite: return "sqlite";
    case Engine::kPostgres: return "postgres";
  }
  return "unknown";
}

namespace {

int64_t ParseInt(const std::string& s) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc() && ptr == s.data() + s.size()) return v;
  double d = 0;
  auto [dptr, dec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (dec == std::errc() && dptr == s.data() + s.size() && std::isfinite(d)) {
    return static_cast<int64_t>(d);
  }
  return 0;
}

double ParseReal(const std::string& s) {
  double d = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  return (ec == std::errc() && ptr == s.data() + s.size()) ? d : 0.0;
}

}  // namespace

bool Row::IsNull(size_t i) const {
  return std::holds_alternative<std::nullptr_t>(values_.at(i));
}

int64_t Row::Int(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* n = std::get_if<int64_t>(&v)) return *n;
  if (auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  if (auto* s = std::get_if<std::string>(&v)) return ParseInt(*s);
  return 0;
}

double Row::Real(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* n = std::get_if<int64_t>(&v)) return static_cast<double>(*n);
  if (auto* s = std::get_if<std::string>(&v)) return ParseReal(*s);
  return 0.0;
}

std::string Row::Text(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* b = std::get_if<Blob>(&v)) return b->bytes;
  if (auto* n = std::get_if<int64_t>(&v)) return std::to_string(*n);
  if (auto* d = std::get_if<double>(&v)) {
    char buf[32];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, *d);
    return std::string(buf, ptr);
  }
  return {};
}

std::string Row::Bytes(size_t i) const {
  return Text(i);
}

std::optional<int64_t> Row::OptInt(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

std::optional<std::string> Row::OptText(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

Result<std::optional<Row>> Tx::QueryOne(std::string_view sql, const std::vector<Value>& params) {
  FS_ASSIGN_OR_RETURN(auto rows, Query(sql, params));
  if (rows.empty()) return std::optional<Row>();
  if (rows.size() > 1) {
    return Err(Internal("QueryOne: query returned " + std::to_string(rows.size()) +
                        " rows, expected at most one: " + std::string(sql)));
  }
  return std::optional<Row>(std::move(rows.front()));
}

Result<int64_t> Tx::Insert(std::string_view sql_with_returning_id,
                           const std::vector<Value>& params) {
  FS_ASSIGN_OR_RETURN(auto row, QueryOne(sql_with_returning_id, params));
  if (!row || row->size() == 0 || row->IsNull(0)) {
    return Err(Internal("Insert: statement returned no id (missing RETURNING id?): " +
                        std::string(sql_with_returning_id)));
  }
  return row->Int(0);
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const StoreOptions& options) {
  std::string_view u = url;
  if (u.starts_with("sqlite:")) {
    std::string path(u.substr(7));
    if (path.starts_with("//")) path.erase(0, 2);  // tolerate sqlite://PATH
    if (path.empty()) return Err(InvalidArgument("store URL \"sqlite:\" has no file path"));
    FS_ASSIGN_OR_RETURN(auto s, SqliteStore::Open(path, options));
    return std::unique_ptr<Store>(std::move(s));
  }
  if (u.starts_with("postgresql://") || u.starts_with("postgres://")) {
    FS_ASSIGN_OR_RETURN(auto s, PostgresStore::Open(url, options));
    return std::unique_ptr<Store>(std::move(s));
  }
  return Err(InvalidArgument("unsupported store URL \"" + RedactUrl(url) +
                             "\": expected sqlite:PATH or postgresql://..."));
}

}  // namespace failsafe::store

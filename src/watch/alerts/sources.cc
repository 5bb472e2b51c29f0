#include "watch/alerts/sources.h"

#include <boost/json.hpp>

#include "auth/digest.h"
#include "base/json.h"
#include "base/random.h"

namespace failsafe::watch::alerts {
namespace {

constexpr int64_t kCacheMs = 5000;
constexpr std::string_view kColumns =
    "id, name, kind, default_labels, created_by, created_at, last_seen_at";

AlertSource FromRow(const store::Row& r) {
  AlertSource s;
  s.id = r.Int(0);
  s.name = r.Text(1);
  s.kind = r.Text(2);
  if (auto v = json::ParseObject(r.Text(3))) {
    if (auto labels = LabelsFromJson(*v, "default_labels")) s.default_labels = std::move(*labels);
  }
  s.created_by = r.Text(4);
  s.created_at = r.Int(5);
  s.last_seen_at = r.OptInt(6);
  return s;
}

}  // namespace

bool ValidSourceKind(std::string_view kind) {
  for (auto k : kSourceKinds) {
    if (k == kind) return true;
  }
  return false;
}

Result<std::vector<AlertSource>> ListSources(store::Tx& tx) {
  FS_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT " + std::string(kColumns) + " FROM alert_sources ORDER BY name"));
  std::vector<AlertSource> out;
  for (const auto& r : rows) out.push_back(FromRow(r));
  return out;
}

Result<std::pair<AlertSource, std::string>> CreateSource(store::Tx& tx, AlertSource s) {
  FS_ASSIGN_OR_RETURN(auto taken,
                      tx.QueryOne("SELECT id FROM alert_sources WHERE name = ?", {s.name}));
  if (taken) {
    return Err(AlreadyExists("an alert source named '" + s.name + "' exists", "name"));
  }
  std::string token = std::string(kSourceTokenPrefix) + RandomToken(32);
  FS_ASSIGN_OR_RETURN(
      s.id, tx.Insert("INSERT INTO alert_sources (name, kind, token_hash, default_labels, "
                      "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                      {s.name, s.kind, auth::Sha256Hex(token), LabelsJson(s.default_labels),
                       s.created_by, s.created_at}));
  return std::pair{std::move(s), std::move(token)};
}

Result<bool> DeleteSource(store::Tx& tx, int64_t id) {
  FS_ASSIGN_OR_RETURN(auto n, tx.Exec("DELETE FROM alert_sources WHERE id = ?", {id}));
  return n > 0;
}

Result<std::optional<AlertSource>> SourceTokens::Find(std::string_view token, int64_t now_ms) {
  if (token.size() > 200) return std::optional<AlertSource>();
  const std::string hash = auth::Sha256Hex(token);
  {
    std::lock_guard lock(mu_);
    auto it = by_hash_.find(hash);
    if (it != by_hash_.end() && now_ms - it->second.fetched_at < kCacheMs) {
      return std::optional<AlertSource>(it->second.source);
    }
  }
  std::optional<AlertSource> found;
  Status st = store_.Read([&](store::Tx& tx) -> Status {
    FS_ASSIGN_OR_RETURN_STATUS(auto row, tx.QueryOne("SELECT " + std::string(kColumns) +
                                                         " FROM alert_sources WHERE token_hash = ?",
                                                     {hash}));
    if (row) found = FromRow(*row);
    return Status::Ok();
  });
  if (!st.ok()) return Err(st);
  std::lock_guard lock(mu_);
  if (found) {
    by_hash_[hash] = Cached{*found, now_ms};
  } else {
    by_hash_.erase(hash);
  }
  return found;
}

std::optional<AlertSource> SourceTokens::ById(int64_t id, int64_t now_ms) {
  std::lock_guard lock(mu_);
  for (const auto& [hash, c] : by_hash_) {
    if (c.source.id == id && now_ms - c.fetched_at < kCacheMs * 2) return c.source;
  }
  return std::nullopt;
}

void SourceTokens::Forget(int64_t id) {
  std::lock_guard lock(mu_);
  std::erase_if(by_hash_, [id](const auto& kv) { return kv.second.source.id == id; });
}

}  // namespace failsafe::watch::alerts

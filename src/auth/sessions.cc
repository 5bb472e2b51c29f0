#include "auth/sessions.h"

#include "auth/digest.h"
#include "base/random.h"

namespace failsafe::auth {
namespace {

constexpr std::string_view kColumns =
    "id, user_id, csrf_token, pending_2fa, created_at, last_seen_at, expires_at, revoked";

Session FromRow(const store::Row& row) {
  Session s;
  s.id = row.Int(0);
  s.user_id = row.Int(1);
  s.csrf_token = row.Text(2);
  s.pending_2fa = row.Int(3) != 0;
  s.created_at = row.Int(4);
  s.last_seen_at = row.Int(5);
  s.expires_at = row.Int(6);
  s.revoked = row.Int(7) != 0;
  return s;
}

Result<std::optional<Session>> FindOne(store::Tx& tx, std::string_view where,
                                       const store::Value& v) {
  FS_ASSIGN_OR_RETURN(auto row,
                      tx.QueryOne("SELECT " + std::string(kColumns) + " FROM sessions WHERE " +
                                      std::string(where) + " = ?",
                                  {v}));
  if (!row) return std::optional<Session>();
  return std::optional<Session>(FromRow(*row));
}

Status Exec(store::Tx& tx, std::string_view sql, const std::vector<store::Value>& params) {
  auto r = tx.Exec(sql, params);
  return r ? Status::Ok() : r.error();
}

}  // namespace

Result<NewSession> CreateSession(store::Tx& tx, int64_t user_id, bool pending_2fa,
                                 const std::string& remote_addr, int64_t now_ms,
                                 int64_t max_age_ms) {
  NewSession out;
  out.token = RandomToken(32);
  Session& s = out.session;
  s.user_id = user_id;
  s.csrf_token = RandomToken(32);
  s.pending_2fa = pending_2fa;
  s.created_at = now_ms;
  s.last_seen_at = now_ms;
  s.expires_at = now_ms + max_age_ms;
  FS_ASSIGN_OR_RETURN(
      s.id, tx.Insert("INSERT INTO sessions (token_hash, user_id, csrf_token, pending_2fa, "
                      "created_at, last_seen_at, expires_at, remote_addr, revoked) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0) RETURNING id",
                      {Sha256Hex(out.token), user_id, s.csrf_token, int64_t{pending_2fa}, now_ms,
                       now_ms, s.expires_at, remote_addr}));
  return out;
}

Result<std::optional<Session>> FindSessionByToken(store::Tx& tx, std::string_view token) {
  return FindOne(tx, "token_hash", Sha256Hex(token));
}

Result<std::optional<Session>> FindSessionById(store::Tx& tx, int64_t id) {
  return FindOne(tx, "id", id);
}

bool SessionLive(const Session& s, int64_t now_ms, int64_t idle_timeout_ms) {
  return !s.revoked && now_ms < s.expires_at && now_ms < s.last_seen_at + idle_timeout_ms;
}

Status TouchSession(store::Tx& tx, int64_t session_id, int64_t now_ms) {
  return Exec(tx, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", {now_ms, session_id});
}

Status RevokeSession(store::Tx& tx, int64_t session_id) {
  return Exec(tx, "UPDATE sessions SET revoked = 1 WHERE id = ?", {session_id});
}

Status RevokeUserSessions(store::Tx& tx, int64_t user_id, int64_t keep_session_id) {
  return Exec(tx, "UPDATE sessions SET revoked = 1 WHERE user_id = ? AND id <> ? AND revoked = 0",
              {user_id, keep_session_id});
}

Status ClearPending2fa(store::Tx& tx, int64_t session_id) {
  return Exec(tx, "UPDATE sessions SET pending_2fa = 0 WHERE id = ?", {session_id});
}

std::string SessionCookie(const std::string& token, int64_t max_age_ms, bool secure) {
  std::string c =
      std::string(kSessionCookie) + "=" + token +
      "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" + std::to_string(max_age_ms / 1000);
  if (secure) c += "; Secure";
  return c;
}

std::string ClearedSessionCookie(bool secure) {
  std::string c = std::string(kSessionCookie) + "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0";
  if (secure) c += "; Secure";
  return c;
}

std::optional<std::string> CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    size_t semi = header.find(';');
    std::string_view part = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    if (part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
  }
  return std::nullopt;
}

}  // namespace failsafe::auth

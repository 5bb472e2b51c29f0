#pragma once
// Console sessions. The browser holds a random 32-byte token in the cookie
// `failsafe_session=<token>; HttpOnly; SameSite=Strict; Path=/[; Secure]`; the store keeps only
// its SHA-256, so a database leak does not hand out live sessions. Each session has its own
// CSRF token, returned at login and required as X-CSRF-Token on unsafe requests.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "store/store.h"

namespace failsafe::auth {

inline constexpr std::string_view kSessionCookie = "failsafe_session";

struct Session {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string csrf_token;
  bool pending_2fa = false;
  int64_t created_at = 0;
  int64_t last_seen_at = 0;
  int64_t expires_at = 0;  // created_at + max age
  bool revoked = false;
};

struct NewSession {
  Session session;
  std::string token;  // the cookie value; shown to the browser once, never stored
};

// Inserts a session for `user_id` expiring `max_age_ms` after `now_ms`.
Result<NewSession> CreateSession(store::Tx& tx, int64_t user_id, bool pending_2fa,
                                 const std::string& remote_addr, int64_t now_ms,
                                 int64_t max_age_ms);
// The session whose token is `token` (any state), or nullopt.
Result<std::optional<Session>> FindSessionByToken(store::Tx& tx, std::string_view token);
Result<std::optional<Session>> FindSessionById(store::Tx& tx, int64_t id);
// True when the session is usable at `now_ms` (not revoked, not idle, not past max age).
bool SessionLive(const Session& s, int64_t now_ms, int64_t idle_timeout_ms);
Status TouchSession(store::Tx& tx, int64_t session_id, int64_t now_ms);
Status RevokeSession(store::Tx& tx, int64_t session_id);
// Revokes every session of the user except `keep_session_id` (0: none kept).
Status RevokeUserSessions(store::Tx& tx, int64_t user_id, int64_t keep_session_id = 0);
// A pending-2fa session becomes a normal one after TOTP enrolment.
Status ClearPending2fa(store::Tx& tx, int64_t session_id);

// Set-Cookie values.
std::string SessionCookie(const std::string& token, int64_t max_age_ms, bool secure);
std::string ClearedSessionCookie(bool secure);
// The value of cookie `name` in a Cookie header, or nullopt.
std::optional<std::string> CookieValue(std::string_view header, std::string_view name);

}  // namespace failsafe::auth

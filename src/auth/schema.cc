// Migrations() (declared in auth_module.h): the auth module's tables, versions 1..99.
// Released versions are never edited; add new ones at the end.
#include "auth/auth_module.h"

namespace failsafe::auth {

std::vector<store::Migration> Migrations() {
  return {
      {1, "auth_users", R"sql(
CREATE TABLE users (
  id {{id}},
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled {{int}} NOT NULL DEFAULT 0,
  totp_secret TEXT,
  totp_enabled {{int}} NOT NULL DEFAULT 0,
  totp_required {{int}} NOT NULL DEFAULT 0,
  totp_last_step {{int}} NOT NULL DEFAULT 0,
  failed_logins {{int}} NOT NULL DEFAULT 0,
  locked_until {{int}} NOT NULL DEFAULT 0,
  created_at {{int}} NOT NULL,
  updated_at {{int}} NOT NULL
)
)sql"},
      {2, "auth_sessions", R"sql(
CREATE TABLE sessions (
  id {{id}},
  token_hash TEXT NOT NULL UNIQUE,
  user_id {{int}} NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  pending_2fa {{int}} NOT NULL DEFAULT 0,
  created_at {{int}} NOT NULL,
  last_seen_at {{int}} NOT NULL,
  expires_at {{int}} NOT NULL,
  remote_addr TEXT NOT NULL DEFAULT '',
  revoked {{int}} NOT NULL DEFAULT 0
);
CREATE INDEX sessions_user_id ON sessions (user_id)
)sql"},
      {3, "auth_api_tokens", R"sql(
CREATE TABLE api_tokens (
  id {{id}},
  user_id {{int}} NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at {{int}} NOT NULL,
  expires_at {{int}} NOT NULL,
  last_used_at {{int}},
  revoked_at {{int}}
);
CREATE INDEX api_tokens_user_id ON api_tokens (user_id)
)sql"},
      {4, "auth_totp_recovery_codes", R"sql(
CREATE TABLE totp_recovery_codes (
  id {{id}},
  user_id {{int}} NOT NULL REFERENCES users(id),
  code_hash TEXT NOT NULL,
  used_at {{int}}
);
CREATE INDEX totp_recovery_codes_user_id ON totp_recovery_codes (user_id)
)sql"},
      {5, "auth_audit_log", R"sql(
CREATE TABLE audit_log (
  seq {{int}} NOT NULL PRIMARY KEY,
  at {{int}} NOT NULL,
  actor_user_id {{int}},
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target_type TEXT NOT NULL DEFAULT '',
  target_id TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '{}',
  remote_addr TEXT NOT NULL DEFAULT '',
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE TABLE audit_head (
  id {{int}} NOT NULL PRIMARY KEY,
  seq {{int}} NOT NULL,
  hash TEXT NOT NULL,
  mac TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash, mac) VALUES (1, 0, '', '')
)sql"},
  };
}

}  // namespace failsafe::auth

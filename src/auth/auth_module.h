#pragma once
// The auth module's public face, used by app/ (wiring) and cli/ (forensic commands).
// Everything else in src/auth/ is internal to the module.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/env.h"
#include "base/metrics.h"
#include "server/auth_hooks.h"
#include "server/router.h"
#include "store/migrations.h"
#include "store/store.h"

namespace failsafe::auth {

struct AuthSettings {
  int lockout_threshold = 5;  // consecutive failures per user
  std::chrono::milliseconds lockout_duration = std::chrono::minutes(15);
  int ip_failure_limit = 20;  // failures per address per window
  std::chrono::milliseconds ip_failure_window = std::chrono::minutes(15);
  std::chrono::milliseconds session_idle_timeout = std::chrono::hours(12);
  std::chrono::milliseconds session_max_age = std::chrono::hours(24 * 7);
  std::chrono::milliseconds token_cache_ttl = std::chrono::seconds(5);
  bool secure_cookies = false;  // set when serving TLS
};

// The key material kept in the data directory, never in the database:
//   secret.key  AES-256-GCM key for secrets at rest (webhook URLs, SMTP passwords, TOTP seeds)
//   audit.key   HMAC key of the audit hash chain
// Both are created (0600) on first start.
struct KeyFiles {
  std::string secret_key;  // 32 raw bytes
  std::string audit_key;   // 32 raw bytes
};
Result<KeyFiles> LoadOrCreateKeys(Env& env, const std::string& data_dir);
// Reads the keys without creating them (forensics: `failsafe audit verify`).
Result<KeyFiles> LoadKeys(Env& env, const std::string& data_dir);

// The auth module's schema migrations (users, sessions, tokens, audit log, ...).
std::vector<store::Migration> Migrations();

class AuthModule : public server::Authenticator, public server::Authorizer {
 public:
  // `store`, `clock` and `metrics` must outlive the module.
  static Result<std::unique_ptr<AuthModule>> Create(store::Store& store, const Clock& clock,
                                                    KeyFiles keys, AuthSettings settings,
                                                    metrics::Registry& metrics);
  ~AuthModule() override;

  // First start: creates the `admin` user when the store has no users. Its password is
  // `password` when given (it must pass the password policy), else generated. Returns the
  // generated password (to print once), or nullopt when none was generated or admin existed.
  Result<std::optional<std::string>> EnsureAdmin(const std::optional<std::string>& password);

  // Adds /api/v1/auth/*, /api/v1/me*, /api/v1/users*, /api/v1/tokens*, /api/v1/audit*.
  void RegisterRoutes(server::Router& router);

  // server::Authenticator / server::Authorizer
  Result<std::optional<server::Principal>> Authenticate(const server::Request& request) override;
  bool CsrfValid(const server::Request& request, const server::Principal& principal) override;
  bool Allowed(const std::string& role, const std::string& permission) const override;

  // The audit log, for other modules to record their changes inside their own transaction.
  class AuditLog& audit();
  // The key for secrets at rest (channel secrets, SMTP passwords): other modules seal with it.
  const class SecretBox& secrets() const;

 private:
  AuthModule();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Result of walking the audit hash chain.
struct AuditVerifyReport {
  bool ok = true;
  int64_t entries_checked = 0;
  std::optional<int64_t> first_bad_seq;  // the first entry that was altered, or after a gap
  std::string reason;                    // human explanation when !ok
};
// Reads the store directly (server stopped) and checks every entry and the chain head.
Result<AuditVerifyReport> VerifyAuditChain(store::Store& store, const std::string& audit_key);

}  // namespace failsafe::auth

#pragma once
// The tamper-evident audit log. Every change is appended INSIDE the transaction that makes it,
// so the entry and the change commit together or not at all.
//
// Chain: entry n stores prev_hash = hash(n-1) and
//   hash = hex HMAC-SHA256(audit_key, prev_hash || canonical(all other fields)).
// The single row audit_head(id=1) holds the last (seq, hash) and mac = HMAC(seq, hash); every
// append updates it first, which serialises appends (a row lock on PostgreSQL, the writer lock
// on SQLite) and lets the verifier notice a truncated tail. Editing, deleting or reordering
// rows without the key is detected by VerifyAuditChain (auth_module.h).
#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "server/http_types.h"
#include "store/store.h"

namespace failsafe::auth {

// What a caller records. `detail` must NEVER hold secrets (passwords, tokens, keys, codes).
struct AuditEntry {
  std::optional<int64_t> actor_user_id;  // nullopt for "system" or an unknown caller
  std::string actor;                     // username, or "system"
  std::string action;                    // "user.create", "token.revoke", "auth.login", ...
  std::string target_type;               // "user", "token", "session", ...
  std::string target_id;
  boost::json::object detail;
  std::string remote_addr;
};

// An entry with the request's caller as actor (or "anonymous") and the caller's address;
// notes the API token used, if any. For route handlers of every module.
AuditEntry AuditFor(const server::Request& request, std::string action, std::string target_type,
                    std::string target_id, boost::json::object detail = {});

// One stored row.
struct AuditRecord {
  int64_t seq = 0;
  int64_t at = 0;  // Unix ms
  std::optional<int64_t> actor_user_id;
  std::string actor, action, target_type, target_id;
  std::string detail;  // serialised JSON object, exactly as hashed
  std::string remote_addr;
  std::string prev_hash, hash;
};

// The entry hash of `r` (all fields but `hash`) under `key`.
std::string AuditRecordHash(const std::string& key, const AuditRecord& r);
// The head MAC over (seq, hash).
std::string AuditHeadMac(const std::string& key, int64_t seq, const std::string& hash);

// Reads rows with seq > after_seq in ascending order, at most `limit`.
Result<std::vector<AuditRecord>> ReadAuditRecords(store::Tx& tx, int64_t after_seq, int limit);

struct AuditQuery {
  std::optional<std::string> action;
  std::optional<std::string> actor;
  std::optional<int64_t> since_ms;
  std::optional<int64_t> before_seq;  // page cursor: newest first
  int limit = 50;
};
// Newest first, filtered; used by GET /api/v1/audit.
Result<std::vector<AuditRecord>> QueryAudit(store::Tx& tx, const AuditQuery& q);
boost::json::object AuditRecordToJson(const AuditRecord& r);

// Thread-safe: holds only the key and the clock.
class AuditLog {
 public:
  // `clock` must outlive the log.
  AuditLog(std::string audit_key, const Clock& clock);

  // Appends `e` inside `tx`. Fails only when the store does (the caller's transaction then
  // rolls back, so no change goes unaudited).
  Status Append(store::Tx& tx, const AuditEntry& e) const;

  // Gives a fresh store's genesis head (seq 0) its MAC; idempotent. Called at module start.
  Status InitHead(store::Store& store) const;

 private:
  std::string key_;
  const Clock& clock_;
};

}  // namespace failsafe::auth

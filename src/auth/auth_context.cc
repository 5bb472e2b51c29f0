#include "auth/auth_context.h"

namespace failsafe::auth {

AuthContext::AuthContext(store::Store& store_in, const Clock& clock_in, KeyFiles keys,
                         AuthSettings s, SecretBox box_in, metrics::Registry& metrics)
    : store(store_in),
      clock(clock_in),
      settings(s),
      box(std::move(box_in)),
      audit_key(std::move(keys.audit_key)),
      audit(audit_key, clock_in),
      token_cache(clock_in, s.token_cache_ttl),
      ip_throttle(clock_in, s.ip_failure_limit, s.ip_failure_window),
      logins_total(metrics.AddCounter("failsafe_auth_logins_total", "Login attempts by result.",
                                      {"result"})) {}

AuditEntry AuditFor(const server::Request& request, std::string action, std::string target_type,
                    std::string target_id, boost::json::object detail) {
  AuditEntry e;
  if (request.principal) {
    e.actor_user_id = request.principal->user_id;
    e.actor = request.principal->username;
    if (request.principal->token_id != 0) detail["via_token_id"] = request.principal->token_id;
  } else {
    e.actor = "anonymous";
  }
  e.action = std::move(action);
  e.target_type = std::move(target_type);
  e.target_id = std::move(target_id);
  e.detail = std::move(detail);
  e.remote_addr = request.remote_addr;
  return e;
}

}  // namespace failsafe::auth

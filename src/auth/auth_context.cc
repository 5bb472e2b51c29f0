#include "auth/auth_context.h"

#include <charconv>

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

Result<boost::json::object> BodyObject(const server::Request& request, bool empty_ok) {
  if (empty_ok) {
    bool blank = true;
    for (char c : request.body) blank = blank && (c == ' ' || c == '\n' || c == '\r' || c == '\t');
    if (blank) return boost::json::object();
  }
  return json::ParseObject(request.body);
}

Result<int64_t> PathId(const server::Request& request, const std::string& what) {
  const std::string& text = request.Param("id");
  int64_t id = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || ptr != text.data() + text.size() || id <= 0) {
    return Err(NotFound(what + " '" + text.substr(0, 64) + "' not found"));
  }
  return id;
}

const server::Principal& Caller(const server::Request& request) {
  if (!request.principal) throw std::logic_error("handler of a non-public route without caller");
  return *request.principal;
}

server::Response ErrorWithHeader(const Status& s, std::string name, std::string value) {
  server::Response r = server::Response::Error(s);
  r.headers.emplace_back(std::move(name), std::move(value));
  return r;
}

boost::json::value Schema(std::string_view json_text) {
  return boost::json::parse(json_text);
}

}  // namespace failsafe::auth

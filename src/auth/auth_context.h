#pragma once
// Module-internal: the state shared by AuthModule and its route files (login_routes.cc,
// user_routes.cc, token_routes.cc, totp_routes.cc, audit_routes.cc), and small helpers they
// share. Not for use outside src/auth/.
#include <boost/json.hpp>
#include <memory>
#include <string>

#include "auth/audit_log.h"
#include "auth/auth_module.h"
#include "auth/login_throttle.h"
#include "auth/secret_box.h"
#include "auth/token_cache.h"
#include "base/json.h"
#include "server/router.h"
#include "store/tx_result.h"

namespace failsafe::auth {

struct AuthContext {
  AuthContext(store::Store& store_in, const Clock& clock_in, KeyFiles keys, AuthSettings s,
              SecretBox box_in, metrics::Registry& metrics);

  store::Store& store;
  const Clock& clock;
  const AuthSettings settings;
  const SecretBox box;
  const std::string audit_key;
  AuditLog audit;
  TokenCache token_cache;
  LoginThrottle ip_throttle;
  metrics::Family<metrics::Counter>& logins_total;  // label: result
};

// An audit entry with the caller (request.principal) as actor and the caller's address.
AuditEntry AuditFor(const server::Request& request, std::string action, std::string target_type,
                    std::string target_id, boost::json::object detail = {});

// Parses the body as a JSON object; an empty body reads as {} when `empty_ok`.
Result<boost::json::object> BodyObject(const server::Request& request, bool empty_ok = false);

// The {id} path parameter as a positive integer; kNotFound otherwise (ids that cannot exist).
Result<int64_t> PathId(const server::Request& request, const std::string& what);

// The calling principal; a handler on a non-public route always has one.
const server::Principal& Caller(const server::Request& request);

// WriteResult / ReadResult come from store/tx_result.h.
using store::ReadResult;
using store::WriteResult;

// An error response that also carries headers (Retry-After on 429).
server::Response ErrorWithHeader(const Status& s, std::string name, std::string value);

// Route registration, one function per resource file.
void RegisterLoginRoutes(AuthContext& ctx, server::Router& router);
void RegisterTotpRoutes(AuthContext& ctx, server::Router& router);
void RegisterUserRoutes(AuthContext& ctx, server::Router& router);
void RegisterTokenRoutes(AuthContext& ctx, server::Router& router);
void RegisterAuditRoutes(AuthContext& ctx, server::Router& router);

// JSON Schema helpers for route docs.
boost::json::value Schema(std::string_view json_text);
// {"items": [item...], "next_cursor": string|null}
boost::json::value PagedSchema(boost::json::value item);

}  // namespace failsafe::auth

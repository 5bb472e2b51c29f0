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
#include "server/route_helpers.h"
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

// Route helpers shared by every module (server/route_helpers.h).
using server::BodyObject;
using server::Caller;
using server::ErrorWithHeader;
using server::PagedSchema;
using server::PathId;
using server::Schema;

// WriteResult / ReadResult come from store/tx_result.h.
using store::ReadResult;
using store::WriteResult;

// Route registration, one function per resource file.
void RegisterLoginRoutes(AuthContext& ctx, server::Router& router);
void RegisterTotpRoutes(AuthContext& ctx, server::Router& router);
void RegisterUserRoutes(AuthContext& ctx, server::Router& router);
void RegisterTokenRoutes(AuthContext& ctx, server::Router& router);
void RegisterAuditRoutes(AuthContext& ctx, server::Router& router);

}  // namespace failsafe::auth

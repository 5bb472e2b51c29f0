#pragma once
// The two questions the dispatcher asks about every request, answered by the auth module
// (server/ does not know how users, tokens or roles are stored).
#include <optional>
#include <string>

#include "base/result.h"
#include "server/http_types.h"

namespace failsafe::server {

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // nullopt: the request carries no credentials (anonymous).
  // Error kUnauthenticated: it carries credentials that are invalid, expired or revoked.
  virtual Result<std::optional<Principal>> Authenticate(const Request& request) = 0;
  // For a session-authenticated unsafe request (POST, PUT, PATCH, DELETE): true when the
  // X-CSRF-Token header matches the session's token.
  virtual bool CsrfValid(const Request& request, const Principal& principal) = 0;
};

class Authorizer {
 public:
  virtual ~Authorizer() = default;
  virtual bool Allowed(const std::string& role, const std::string& permission) const = 0;
};

}  // namespace failsafe::server

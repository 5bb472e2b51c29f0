#include "watch/alerts/intake_auth.h"

#include <strings.h>

#include "base/clock.h"
#include "base/encoding.h"

namespace failsafe::watch::alerts {
namespace {

// Scheme names are case-insensitive (RFC 9110).
bool HasScheme(std::string_view header, std::string_view scheme) {
  return header.size() > scheme.size() &&
         ::strncasecmp(header.data(), scheme.data(), scheme.size()) == 0;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string> SourceTokenOf(const server::Request& request) {
  const std::string authorization = request.Header("authorization");
  std::string_view a = authorization;
  if (HasScheme(a, "Bearer ")) {
    std::string_view token = Trim(a.substr(7));
    if (token.starts_with(kSourceTokenPrefix)) return std::string(token);
  } else if (HasScheme(a, "Basic ")) {
    auto decoded = Base64Decode(Trim(a.substr(6)));
    if (!decoded) return std::nullopt;
    size_t colon = decoded->find(':');
    if (colon == std::string::npos) return std::nullopt;
    std::string password = decoded->substr(colon + 1);
    if (password.starts_with(kSourceTokenPrefix)) return password;
  }
  return std::nullopt;
}

Result<std::optional<server::Principal>> IntakeAuth::Authenticate(const server::Request& request) {
  auto token = SourceTokenOf(request);
  if (!token) return authenticator_.Authenticate(request);
  FS_ASSIGN_OR_RETURN(auto source, tokens_.Find(*token, clock_.NowMillis()));
  if (!source) return Err(Unauthenticated("unknown alert source token"));
  server::Principal p;
  p.username = "source:" + source->name;
  p.role = std::string(kSourceRole);
  p.token_id = source->id;
  return std::optional<server::Principal>(std::move(p));
}

bool IntakeAuth::CsrfValid(const server::Request& request, const server::Principal& principal) {
  return authenticator_.CsrfValid(request, principal);
}

bool IntakeAuth::Allowed(const std::string& role, const std::string& permission) const {
  if (role == kSourceRole) return permission == kIntakePermission;
  return authorizer_.Allowed(role, permission);
}

}  // namespace failsafe::watch::alerts

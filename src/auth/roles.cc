#include "auth/roles.h"

#include <algorithm>
#include <array>

namespace failsafe::auth {
namespace {

constexpr std::array<std::string_view, 3> kSensitiveResources = {"users", "audit", "settings"};

bool IsSensitive(std::string_view resource) {
  for (auto r : kSensitiveResources) {
    if (resource == r) return true;
  }
  return false;
}

}  // namespace

bool IsAssignableRole(std::string_view role) {
  return RoleRank(role) > 0;
}

int RoleRank(std::string_view role) {
  if (role == kRoleViewer) return 1;
  if (role == kRoleResponder) return 2;
  if (role == kRoleAdmin) return 3;
  return 0;
}

std::string_view LowerRole(std::string_view a, std::string_view b) {
  return RoleRank(a) <= RoleRank(b) ? a : b;
}

bool RoleAllowed(std::string_view role, std::string_view permission) {
  const size_t dot = permission.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == permission.size()) return false;
  const std::string_view resource = permission.substr(0, dot);
  const std::string_view verb = permission.substr(dot + 1);

  if (role == kRolePending2fa) return permission == "self.totp" || permission == "self.session";
  if (!IsAssignableRole(role)) return false;

  if (resource == "self") return true;
  if (verb != "read" && verb != "write" && verb != "admin") return false;
  if (role == kRoleAdmin) return true;
  if (verb == "admin" || IsSensitive(resource)) return false;
  // Own API tokens: every logged-in role manages its own (the role cap is enforced at mint).
  if (resource == "tokens") return true;
  if (verb == "read") return true;
  return role == kRoleResponder;  // verb == "write"
}

std::vector<std::string> GrantedPermissions(std::string_view role,
                                            std::span<const std::string> candidates) {
  std::vector<std::string> out;
  for (const auto& p : candidates) {
    if (RoleAllowed(role, p)) out.push_back(p);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace failsafe::auth

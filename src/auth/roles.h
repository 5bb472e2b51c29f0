#pragma once
// Roles and the permission table. Permissions are "<resource>.<verb>" strings with verb in
// read|write|admin, so later modules get sensible defaults just by naming theirs
// ("incidents.write", "plans.read"). Pure functions; thread-safe.
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace failsafe::auth {

inline constexpr std::string_view kRoleAdmin = "admin";
inline constexpr std::string_view kRoleResponder = "responder";
inline constexpr std::string_view kRoleViewer = "viewer";
// A session that must enrol TOTP before it may do anything else (users with totp_required).
inline constexpr std::string_view kRolePending2fa = "pending-2fa";

// True for the roles a user or token may hold: admin, responder, viewer.
bool IsAssignableRole(std::string_view role);

// Orders the assignable roles: viewer 1 < responder 2 < admin 3; 0 for anything else.
int RoleRank(std::string_view role);

// The lower of two assignable roles (a token never acts above its owner's current role).
std::string_view LowerRole(std::string_view a, std::string_view b);

// The permission table:
//   admin        everything
//   responder    *.read and *.write on ordinary resources
//   viewer       *.read on ordinary resources
//   every role   self.* (own profile, password, session, TOTP) and tokens.read/tokens.write
//                (own API tokens)
//   pending-2fa  only self.totp (enrolment) and self.session (logout)
// Sensitive resources (users, audit, settings) and every "*.admin" verb (tokens.admin:
// managing other people's tokens) are admin-only. Unknown roles and malformed permissions
// are denied.
bool RoleAllowed(std::string_view role, std::string_view permission);

// The permissions among `candidates` that `role` holds, sorted and without duplicates: what
// GET /api/v1/me reports so that clients (the console) need not mirror this table.
std::vector<std::string> GrantedPermissions(std::string_view role,
                                            std::span<const std::string> candidates);

}  // namespace failsafe::auth

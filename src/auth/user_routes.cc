// /api/v1/users: administration of accounts (admin only, see roles.h).
#include "auth/auth_context.h"
#include "auth/password.h"
#include "auth/roles.h"
#include "auth/sessions.h"
#include "auth/tokens.h"
#include "auth/users.h"
#include "server/pagination.h"

namespace failsafe::auth {
namespace {

using server::Request;
using server::Response;

constexpr size_t kMaxDisplayName = 200;
constexpr size_t kMaxEmail = 254;

Status CheckRole(const std::string& role) {
  if (!IsAssignableRole(role)) {
    return InvalidArgument("role must be one of admin, responder, viewer", "role");
  }
  return Status::Ok();
}

Status CheckEmail(const std::string& email) {
  if (email.empty()) return Status::Ok();
  const size_t at = email.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == email.size() ||
      email.find_first_of(" \t\r\n<>") != std::string::npos) {
    return InvalidArgument("email must look like name@example.com", "email");
  }
  return Status::Ok();
}

Result<Response> ListUsersRoute(AuthContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(server::PageRequest page, server::ParsePageRequest(req));
  FS_ASSIGN_OR_RETURN(auto users, ReadResult<std::vector<User>>(ctx.store, [&](store::Tx& tx) {
                        return ListUsers(tx, page.after_id, page.limit + 1);
                      }));
  std::optional<int64_t> next;
  if (users.size() > static_cast<size_t>(page.limit)) {
    users.resize(static_cast<size_t>(page.limit));
    next = users.back().id;
  }
  boost::json::array items;
  for (const auto& u : users) items.emplace_back(UserJson(u));
  return Response::Json(server::PageJson(std::move(items), next));
}

Result<Response> CreateUserRoute(AuthContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(auto body, BodyObject(req));
  json::ObjectReader reader(body);
  const std::string username_in = reader.RequiredString("username", 256);
  const std::string password = reader.RequiredString("password", kMaxPasswordBytes * 4);
  const std::string role = reader.RequiredString("role", 64);
  const auto display_name = reader.OptionalString("display_name", kMaxDisplayName);
  const auto email = reader.OptionalString("email", kMaxEmail);
  FS_RETURN_IF_ERROR(reader.Finish());
  FS_ASSIGN_OR_RETURN(std::string username, NormalizeUsername(username_in));
  FS_RETURN_IF_ERROR(CheckRole(role));
  FS_RETURN_IF_ERROR(CheckEmail(email.value_or("")));
  FS_RETURN_IF_ERROR(CheckPasswordPolicy(password, username));
  FS_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));

  User user;
  user.username = username;
  user.display_name = display_name.value_or("");
  user.email = email.value_or("");
  user.role = role;
  user.password_hash = hash;
  user.created_at = user.updated_at = ctx.clock.NowMillis();
  FS_ASSIGN_OR_RETURN(
      user.id, WriteResult<int64_t>(ctx.store, [&](store::Tx& tx) -> Result<int64_t> {
        FS_ASSIGN_OR_RETURN(int64_t id, InsertUser(tx, user));
        FS_RETURN_IF_ERROR(
            ctx.audit.Append(tx, AuditFor(req, "user.create", "user", std::to_string(id),
                                          {{"username", username}, {"role", role}})));
        return id;
      }));
  return Response::Json(UserJson(user), 201);
}

Result<Response> GetUserRoute(AuthContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(int64_t id, PathId(req, "user"));
  FS_ASSIGN_OR_RETURN(auto user, ReadResult<std::optional<User>>(ctx.store, [&](store::Tx& tx) {
                        return FindUserById(tx, id);
                      }));
  if (!user) return Err(NotFound("user " + std::to_string(id) + " not found"));
  return Response::Json(UserJson(*user));
}

Result<Response> PatchUserRoute(AuthContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(int64_t id, PathId(req, "user"));
  FS_ASSIGN_OR_RETURN(auto body, BodyObject(req));
  json::ObjectReader reader(body);
  const auto role = reader.OptionalString("role", 64);
  const auto disabled = reader.OptionalBool("disabled");
  const auto totp_required = reader.OptionalBool("totp_required");
  const auto display_name = reader.OptionalString("display_name", kMaxDisplayName);
  const auto email = reader.OptionalString("email", kMaxEmail);
  const auto password = reader.OptionalString("password", kMaxPasswordBytes * 4);
  FS_RETURN_IF_ERROR(reader.Finish());
  if (role) FS_RETURN_IF_ERROR(CheckRole(*role));
  if (email) FS_RETURN_IF_ERROR(CheckEmail(*email));

  std::optional<std::string> new_hash;
  if (password) {
    // The policy needs the username; read it first (the row is re-read in the transaction).
    FS_ASSIGN_OR_RETURN(auto current,
                        ReadResult<std::optional<User>>(
                            ctx.store, [&](store::Tx& tx) { return FindUserById(tx, id); }));
    if (!current) return Err(NotFound("user " + std::to_string(id) + " not found"));
    FS_RETURN_IF_ERROR(CheckPasswordPolicy(*password, current->username));
    FS_ASSIGN_OR_RETURN(new_hash, HashPassword(*password));
  }

  const int64_t now = ctx.clock.NowMillis();
  FS_ASSIGN_OR_RETURN(
      User updated, WriteResult<User>(ctx.store, [&](store::Tx& tx) -> Result<User> {
        FS_ASSIGN_OR_RETURN(auto found, FindUserById(tx, id));
        if (!found) return Err(NotFound("user " + std::to_string(id) + " not found"));
        User user = *found;
        const bool was_active_admin = user.role == kRoleAdmin && !user.disabled;
        boost::json::object detail{{"username", user.username}};
        if (role && *role != user.role) {
          detail["role"] = boost::json::object{{"from", user.role}, {"to", *role}};
          user.role = *role;
        }
        if (disabled && *disabled != user.disabled) {
          detail["disabled"] = *disabled;
          user.disabled = *disabled;
        }
        if (totp_required && *totp_required != user.totp_required) {
          detail["totp_required"] = *totp_required;
          user.totp_required = *totp_required;
        }
        if (display_name && *display_name != user.display_name) {
          detail["display_name"] = *display_name;
          user.display_name = *display_name;
        }
        if (email && *email != user.email) {
          detail["email"] = *email;
          user.email = *email;
        }
        if (new_hash) {
          detail["password_reset"] = true;  // never the password itself
          user.password_hash = *new_hash;
          user.failed_logins = 0;
          user.locked_until = 0;
        }
        const bool is_active_admin = user.role == kRoleAdmin && !user.disabled;
        if (was_active_admin && !is_active_admin) {
          FS_ASSIGN_OR_RETURN(int64_t admins, CountActiveAdmins(tx));
          if (admins <= 1) {
            return Err(Conflict("'" + user.username +
                                "' is the last active admin; make another admin first"));
          }
        }
        if (detail.size() == 1) return user;  // nothing changed
        user.updated_at = now;
        FS_RETURN_IF_ERROR(UpdateUser(tx, user));
        if (user.disabled && !found->disabled) {
          FS_RETURN_IF_ERROR(RevokeUserSessions(tx, user.id));
          FS_RETURN_IF_ERROR(RevokeUserTokens(tx, user.id, now));
          detail["sessions_and_tokens_revoked"] = true;
        } else if (new_hash) {
          FS_RETURN_IF_ERROR(RevokeUserSessions(tx, user.id));
        }
        FS_RETURN_IF_ERROR(ctx.audit.Append(
            tx, AuditFor(req, "user.update", "user", std::to_string(user.id), detail)));
        return user;
      }));
  // Cached bearer principals carry the role; drop them so the change applies at once.
  ctx.token_cache.InvalidateUser(id);
  return Response::Json(UserJson(updated));
}

const char kCreateSchema[] = R"({"type":"object","required":["username","password","role"],
  "additionalProperties":false,
  "properties":{"username":{"type":"string","pattern":"^[A-Za-z0-9._-]{1,64}$"},
  "password":{"type":"string","minLength":12,"maxLength":1024},
  "role":{"type":"string","enum":["admin","responder","viewer"]},
  "display_name":{"type":"string","maxLength":200},"email":{"type":"string","maxLength":254}}})";

const char kPatchSchema[] = R"({"type":"object","additionalProperties":false,
  "properties":{"role":{"type":"string","enum":["admin","responder","viewer"]},
  "disabled":{"type":"boolean"},"totp_required":{"type":"boolean"},
  "display_name":{"type":"string","maxLength":200},"email":{"type":"string","maxLength":254},
  "password":{"type":"string","minLength":12,"maxLength":1024}}})";

}  // namespace

void RegisterUserRoutes(AuthContext& ctx, server::Router& router) {
  router.Add(
      {"GET",
       "/api/v1/users",
       "users.read",
       [&ctx](Request& req) { return ListUsersRoute(ctx, req); },
       {"List users", "users", nullptr, PagedSchema(UserJsonSchema()), 200, {"limit", "cursor"}}});
  router.Add({"POST",
              "/api/v1/users",
              "users.write",
              [&ctx](Request& req) { return CreateUserRoute(ctx, req); },
              {"Create a user", "users", Schema(kCreateSchema), UserJsonSchema(), 201, {}}});
  router.Add({"GET",
              "/api/v1/users/{id}",
              "users.read",
              [&ctx](Request& req) { return GetUserRoute(ctx, req); },
              {"Get a user", "users", nullptr, UserJsonSchema(), 200, {}}});
  router.Add({"PATCH",
              "/api/v1/users/{id}",
              "users.write",
              [&ctx](Request& req) { return PatchUserRoute(ctx, req); },
              {"Change a user's role, status, TOTP requirement, profile or password "
               "(disabling revokes the user's sessions and tokens)",
               "users",
               Schema(kPatchSchema),
               UserJsonSchema(),
               200,
               {}}});
}

}  // namespace failsafe::auth

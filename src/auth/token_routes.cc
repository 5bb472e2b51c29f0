// /api/v1/tokens: the caller's API tokens (admins: everyone's, with tokens.admin).
#include <charconv>

#include "auth/auth_context.h"
#include "auth/roles.h"
#include "auth/tokens.h"
#include "base/duration.h"
#include "server/pagination.h"

namespace failsafe::auth {
namespace {

using server::Request;
using server::Response;

constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr int64_t kDefaultLifetimeMs = 90 * kDayMs;
constexpr int64_t kMaxLifetimeMs = 365 * kDayMs;

// "expires_in": a duration string ("30d", "12h") or whole seconds.
Result<int64_t> ReadLifetime(const boost::json::object& body) {
  const boost::json::value* v = body.if_contains("expires_in");
  if (v == nullptr || v->is_null()) return kDefaultLifetimeMs;
  int64_t ms = 0;
  if (v->is_string()) {
    auto d = ParseDuration(std::string_view(v->as_string().data(), v->as_string().size()));
    if (!d) return Err(InvalidArgument(d.error().message(), "expires_in"));
    ms = d->count();
  } else if (v->is_int64() || v->is_uint64()) {
    const uint64_t seconds =
        v->is_int64() ? static_cast<uint64_t>(std::max<int64_t>(0, v->as_int64())) : v->as_uint64();
    if (seconds > static_cast<uint64_t>(kMaxLifetimeMs / 1000)) {
      return Err(InvalidArgument("expires_in may be at most 1 year", "expires_in"));
    }
    ms = static_cast<int64_t>(seconds) * 1000;
  } else {
    return Err(InvalidArgument("expires_in must be a duration like \"30d\" or whole seconds",
                               "expires_in"));
  }
  if (ms <= 0) return Err(InvalidArgument("expires_in must be positive", "expires_in"));
  if (ms > kMaxLifetimeMs) {
    return Err(InvalidArgument("expires_in may be at most 1 year (365d)", "expires_in"));
  }
  return ms;
}

Result<Response> CreateTokenRoute(AuthContext& ctx, Request& req) {
  const server::Principal& caller = Caller(req);
  FS_ASSIGN_OR_RETURN(auto body, BodyObject(req));
  boost::json::object rest = body;
  rest.erase("expires_in");  // a string or an integer: read by ReadLifetime
  json::ObjectReader reader(rest);
  const std::string name = reader.RequiredString("name", 100);
  const auto role_in = reader.OptionalString("role", 64);
  FS_RETURN_IF_ERROR(reader.Finish());
  if (name.empty()) return Err(InvalidArgument("name must not be empty", "name"));
  FS_ASSIGN_OR_RETURN(int64_t lifetime_ms, ReadLifetime(body));

  const std::string role = role_in.value_or(caller.role);
  if (!IsAssignableRole(role)) {
    return Err(InvalidArgument("role must be one of admin, responder, viewer", "role"));
  }
  if (RoleRank(role) > RoleRank(caller.role)) {
    return Err(
        PermissionDenied("a " + caller.role + " cannot create a token with role '" + role + "'"));
  }
  ApiToken t;
  t.user_id = caller.user_id;
  t.name = name;
  t.role = role;
  t.created_at = ctx.clock.NowMillis();
  t.expires_at = t.created_at + lifetime_ms;
  const std::string text = NewTokenText();
  FS_ASSIGN_OR_RETURN(t.id, WriteResult<int64_t>(ctx.store, [&](store::Tx& tx) -> Result<int64_t> {
                        FS_ASSIGN_OR_RETURN(int64_t id, InsertToken(tx, t, text));
                        FS_RETURN_IF_ERROR(ctx.audit.Append(
                            tx, AuditFor(req, "token.create", "token", std::to_string(id),
                                         {{"name", name},
                                          {"role", role},
                                          {"expires_at", FormatRfc3339(t.expires_at)}})));
                        return id;
                      }));
  boost::json::object out{{"id", t.id},
                          {"token", text},
                          {"name", t.name},
                          {"role", t.role},
                          {"expires_at", FormatRfc3339(t.expires_at)}};
  Response r = Response::Json(out, 201);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Result<Response> ListTokensRoute(AuthContext& ctx, Request& req) {
  const server::Principal& caller = Caller(req);
  const auto all = req.Query("all");
  bool everyone = false;
  if (all) {
    if (*all != "true" && *all != "false") {
      return Err(InvalidArgument("all must be true or false", "all"));
    }
    everyone = *all == "true";
  }
  if (everyone && !RoleAllowed(caller.role, "tokens.admin")) {
    return Err(PermissionDenied("only admins may list everyone's tokens"));
  }
  FS_ASSIGN_OR_RETURN(server::PageRequest page, server::ParsePageRequest(req));
  FS_ASSIGN_OR_RETURN(auto tokens, ReadResult<std::vector<ApiToken>>(ctx.store, [&](store::Tx& tx) {
                        return ListTokens(
                            tx, everyone ? std::nullopt : std::optional<int64_t>(caller.user_id),
                            page.after_id, page.limit + 1);
                      }));
  std::optional<int64_t> next;
  if (tokens.size() > static_cast<size_t>(page.limit)) {
    tokens.resize(static_cast<size_t>(page.limit));
    next = tokens.back().id;
  }
  return server::PageResponse(tokens, next, WriteTokenJson);
}

Result<Response> DeleteTokenRoute(AuthContext& ctx, Request& req) {
  const server::Principal& caller = Caller(req);
  FS_ASSIGN_OR_RETURN(int64_t id, PathId(req, "token"));
  const bool may_any = RoleAllowed(caller.role, "tokens.admin");
  Status st_1 = ctx.store.Write([&](store::Tx& tx) -> Status {
    FS_ASSIGN_OR_RETURN_STATUS(auto token, FindTokenById(tx, id));
    // Someone else's token is "not found" to a non-admin: ids are not an oracle.
    if (!token || (token->user_id != caller.user_id && !may_any)) {
      return NotFound("token " + std::to_string(id) + " not found");
    }
    if (token->revoked_at) return Status::Ok();
    FS_RETURN_STATUS_IF_ERROR(RevokeToken(tx, id, ctx.clock.NowMillis()));
    return ctx.audit.Append(tx, AuditFor(req, "token.revoke", "token", std::to_string(id),
                                         {{"name", token->name}, {"owner_id", token->user_id}}));
  });
  if (!st_1.ok()) return Err(st_1);
  ctx.token_cache.InvalidateToken(id);
  return Response::NoContent();
}

const char kCreateSchema[] = R"({"type":"object","required":["name"],"additionalProperties":false,
  "properties":{"name":{"type":"string","minLength":1,"maxLength":100},
  "role":{"type":"string","enum":["admin","responder","viewer"],
          "description":"defaults to the caller's role; never above it"},
  "expires_in":{"oneOf":[{"type":"string","description":"duration such as 30d, at most 365d"},
                         {"type":"integer","minimum":1,"maximum":31536000}]}}})";

const char kCreatedSchema[] =
    R"({"type":"object","required":["id","token","name","role","expires_at"],
  "properties":{"id":{"type":"integer"},"token":{"type":"string","description":"shown once"},
  "name":{"type":"string"},"role":{"type":"string"},
  "expires_at":{"type":"string","format":"date-time"}}})";

}  // namespace

void RegisterTokenRoutes(AuthContext& ctx, server::Router& router) {
  router.Add({"POST",
              "/api/v1/tokens",
              "tokens.write",
              [&ctx](Request& req) { return CreateTokenRoute(ctx, req); },
              {"Create an API token for the caller (the text is shown once)",
               "tokens",
               Schema(kCreateSchema),
               Schema(kCreatedSchema),
               201,
               {}}});
  router.Add({"GET",
              "/api/v1/tokens",
              "tokens.read",
              [&ctx](Request& req) { return ListTokensRoute(ctx, req); },
              {"List the caller's API tokens (admins: all=true lists everyone's)",
               "tokens",
               nullptr,
               PagedSchema(TokenJsonSchema()),
               200,
               {"limit", "cursor", "all"}}});
  router.Add({"DELETE",
              "/api/v1/tokens/{id}",
              "tokens.write",
              [&ctx](Request& req) { return DeleteTokenRoute(ctx, req); },
              {"Revoke an API token (own; admins: any)", "tokens", nullptr, nullptr, 204, {}}});
}

}  // namespace failsafe::auth

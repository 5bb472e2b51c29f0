// POST /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/me, POST /api/v1/me/password.
#include "auth/auth_context.h"
#include "auth/password.h"
#include "auth/roles.h"
#include "auth/sessions.h"
#include "auth/totp.h"
#include "auth/users.h"

namespace failsafe::auth {
namespace {

using server::Request;
using server::Response;

// One message for unknown users, disabled users and wrong passwords: no user enumeration.
const char kBadCredentials[] = "invalid username or password";

std::string RetryAfterSeconds(int64_t ms) {
  return std::to_string(std::max<int64_t>(1, (ms + 999) / 1000));
}

Status TotpError(std::string message) {
  return Status(ErrorCode::kUnauthenticated, std::move(message), "totp");
}

class LoginHandler {
 public:
  LoginHandler(AuthContext& ctx, Request& req) : ctx_(ctx), req_(req) {}

  Result<Response> Run() {
    FS_ASSIGN_OR_RETURN(auto body, BodyObject(req_));
    json::ObjectReader reader(body);
    const std::string username_in = reader.RequiredString("username", 256);
    const std::string password = reader.RequiredString("password", kMaxPasswordBytes * 4);
    const auto totp = reader.OptionalString("totp", 64);
    FS_RETURN_IF_ERROR(reader.Finish());

    if (auto wait = ctx_.ip_throttle.Blocked(req_.remote_addr)) {
      Count("throttled");
      return ErrorWithHeader({ErrorCode::kTooManyRequests,
                              "too many failed logins from this address; try again later"},
                             "Retry-After", RetryAfterSeconds(wait->count()));
    }

    auto username = NormalizeUsername(username_in);
    std::optional<User> user;
    if (username) {
      FS_ASSIGN_OR_RETURN(user, ReadResult<std::optional<User>>(ctx_.store, [&](store::Tx& tx) {
                            return FindUserByName(tx, *username);
                          }));
    }
    const int64_t now = ctx_.clock.NowMillis();
    if (!user || user->disabled) {
      SpendDummyVerify(password);  // same cost as a real verify
      return Fail(user, user ? "disabled" : "unknown_user", Unauthenticated(kBadCredentials),
                  false);
    }
    if (user->locked_until > now) {
      FS_RETURN_IF_ERROR(AuditFailure(*user, "locked", false));
      Count("locked");
      return ErrorWithHeader({ErrorCode::kTooManyRequests,
                              "account is temporarily locked after repeated failed logins"},
                             "Retry-After", RetryAfterSeconds(user->locked_until - now));
    }
    if (!VerifyPassword(password, user->password_hash)) {
      return Fail(user, "bad_password", Unauthenticated(kBadCredentials), true);
    }

    std::string method = "password";
    if (user->totp_enabled) {
      if (!totp || totp->empty()) {
        Count("totp_required");
        return Err(TotpError("a TOTP code (or a recovery code) is required"));
      }
      FS_ASSIGN_OR_RETURN(std::optional<std::string> used, ConsumeSecondFactor(*user, *totp, now));
      if (!used) return Fail(user, "bad_totp", TotpError("invalid TOTP code"), true);
      method = *used;
    }

    std::optional<std::string> new_hash;
    if (PasswordNeedsRehash(user->password_hash)) {
      auto h = HashPassword(password);
      if (h) new_hash = *h;
    }
    const bool pending = user->totp_required && !user->totp_enabled;
    FS_ASSIGN_OR_RETURN(
        NewSession session,
        WriteResult<NewSession>(ctx_.store, [&](store::Tx& tx) -> Result<NewSession> {
          FS_RETURN_IF_ERROR(StatusOfExec(tx.Exec(
              "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ?", {user->id})));
          if (new_hash) {
            FS_RETURN_IF_ERROR(StatusOfExec(
                tx.Exec("UPDATE users SET password_hash = ? WHERE id = ?", {*new_hash, user->id})));
          }
          FS_ASSIGN_OR_RETURN(NewSession s,
                              CreateSession(tx, user->id, pending, req_.remote_addr, now,
                                            ctx_.settings.session_max_age.count()));
          AuditEntry e = AuditFor(req_, "auth.login", "user", std::to_string(user->id),
                                  {{"session_id", s.session.id},
                                   {"method", method},
                                   {"totp_enrollment_required", pending}});
          e.actor_user_id = user->id;
          e.actor = user->username;
          FS_RETURN_IF_ERROR(ctx_.audit.Append(tx, e));
          return s;
        }));
    Count("success");

    boost::json::object out{{"csrf_token", session.session.csrf_token},
                            {"user", UserJson(*user)},
                            {"totp_enrollment_required", pending}};
    Response r = Response::Json(out);
    r.headers.emplace_back("Set-Cookie",
                           SessionCookie(session.token, ctx_.settings.session_max_age.count(),
                                         ctx_.settings.secure_cookies));
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  }

 private:
  static Status StatusOfExec(const Result<int64_t>& r) { return r ? Status::Ok() : r.error(); }

  void Count(const std::string& result) { ctx_.logins_total.With({result}).Inc(); }

  // Checks a TOTP code (then records its step: each step works once) or a recovery code (then
  // marks it used). Returns the method used, or nullopt when the code is wrong or replayed.
  Result<std::optional<std::string>> ConsumeSecondFactor(const User& user, const std::string& code,
                                                         int64_t now) {
    if (!user.totp_secret) return Err(DataLoss("TOTP is enabled but no secret is stored"));
    FS_ASSIGN_OR_RETURN(std::string secret, ctx_.box.Open(*user.totp_secret, TotpAad(user.id)));
    return WriteResult<std::optional<std::string>>(
        ctx_.store, [&](store::Tx& tx) -> Result<std::optional<std::string>> {
          FS_ASSIGN_OR_RETURN(auto fresh, FindUserById(tx, user.id));
          if (!fresh) return std::optional<std::string>();
          if (auto step = VerifyTotp(secret, code, now, fresh->totp_last_step)) {
            FS_ASSIGN_OR_RETURN(int64_t changed,
                                tx.Exec("UPDATE users SET totp_last_step = ? WHERE id = ? AND "
                                        "totp_last_step < ?",
                                        {*step, user.id, *step}));
            if (changed == 1) return std::optional<std::string>("password+totp");
            return std::optional<std::string>();
          }
          FS_ASSIGN_OR_RETURN(int64_t used,
                              tx.Exec("UPDATE totp_recovery_codes SET used_at = ? WHERE user_id = "
                                      "? AND code_hash = ? AND used_at IS NULL",
                                      {now, user.id, HashRecoveryCode(code)}));
          if (used >= 1) return std::optional<std::string>("password+recovery_code");
          return std::optional<std::string>();
        });
  }

  // Records a failed attempt (address counter, user counter and lockout, audit) and answers
  // with `answer`.
  Result<Response> Fail(const std::optional<User>& user, const std::string& reason, Status answer,
                        bool count_for_user) {
    ctx_.ip_throttle.RecordFailure(req_.remote_addr);
    Count(reason);
    if (user) {
      FS_RETURN_IF_ERROR(AuditFailure(*user, reason, count_for_user));
    } else {
      Status st_1 = ctx_.store.Write([&](store::Tx& tx) {
        // The attempted name is not recorded: people type passwords into the username field.
        return ctx_.audit.Append(
            tx, AuditFor(req_, "auth.login_failed", "user", "", {{"reason", reason}}));
      });
      if (!st_1.ok()) return Err(st_1);
    }
    return Err(std::move(answer));
  }

  Status AuditFailure(const User& user, const std::string& reason, bool count_for_user) {
    const int64_t now = ctx_.clock.NowMillis();
    return ctx_.store.Write([&](store::Tx& tx) -> Status {
      bool locked = false;
      if (count_for_user) {
        FS_RETURN_STATUS_IF_ERROR(StatusOfExec(
            tx.Exec("UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?", {user.id})));
        FS_ASSIGN_OR_RETURN_STATUS(
            int64_t changed,
            tx.Exec("UPDATE users SET locked_until = ?, failed_logins = 0 WHERE id = ? AND "
                    "failed_logins >= ?",
                    {now + ctx_.settings.lockout_duration.count(), user.id,
                     int64_t{ctx_.settings.lockout_threshold}}));
        locked = changed > 0;
      }
      boost::json::object detail{{"reason", reason}, {"username", user.username}};
      if (locked)
        detail["locked_until"] = FormatRfc3339(now + ctx_.settings.lockout_duration.count());
      AuditEntry e = AuditFor(req_, "auth.login_failed", "user", std::to_string(user.id), detail);
      e.actor_user_id = user.id;
      e.actor = user.username;
      return ctx_.audit.Append(tx, e);
    });
  }

  AuthContext& ctx_;
  Request& req_;
};

Result<Response> Logout(AuthContext& ctx, Request& req) {
  const server::Principal& caller = Caller(req);
  if (caller.via_session) {
    Status st_2 = ctx.store.Write([&](store::Tx& tx) -> Status {
      FS_RETURN_STATUS_IF_ERROR(RevokeSession(tx, caller.session_id));
      return ctx.audit.Append(
          tx, AuditFor(req, "auth.logout", "session", std::to_string(caller.session_id)));
    });
    if (!st_2.ok()) return Err(st_2);
  }
  Response r = Response::NoContent();
  r.headers.emplace_back("Set-Cookie", ClearedSessionCookie(ctx.settings.secure_cookies));
  return r;
}

// Every permission a route needs, plus those handlers check themselves (tokens.admin: listing or
// revoking other people's tokens). Read at request time: the router is complete by then.
std::vector<std::string> KnownPermissions(const server::Router& router) {
  std::vector<std::string> out = {"tokens.admin"};
  for (const auto& route : router.routes()) {
    if (!route.is_public()) out.push_back(route.permission);
  }
  return out;
}

Result<Response> GetMe(AuthContext& ctx, const server::Router& router, Request& req) {
  const server::Principal& caller = Caller(req);
  FS_ASSIGN_OR_RETURN(auto user, ReadResult<std::optional<User>>(ctx.store, [&](store::Tx& tx) {
                        return FindUserById(tx, caller.user_id);
                      }));
  if (!user) return Err(NotFound("user not found"));
  boost::json::object out = UserJson(*user);
  out["effective_role"] = caller.role;
  out["auth"] = caller.via_session ? "session" : "token";
  boost::json::array permissions;
  for (auto& p : GrantedPermissions(caller.role, KnownPermissions(router))) {
    permissions.emplace_back(p);
  }
  out["permissions"] = std::move(permissions);
  if (caller.via_session) {
    // The console reloads without logging in again: it needs the session's CSRF token back.
    // Another site cannot read this answer (same-origin policy; the cookie is SameSite=Strict).
    FS_ASSIGN_OR_RETURN(auto session,
                        ReadResult<std::optional<Session>>(ctx.store, [&](store::Tx& tx) {
                          return FindSessionById(tx, caller.session_id);
                        }));
    if (session) out["csrf_token"] = session->csrf_token;
  }
  return Response::Json(out);
}

Result<Response> ChangePassword(AuthContext& ctx, Request& req) {
  const server::Principal& caller = Caller(req);
  FS_ASSIGN_OR_RETURN(auto body, BodyObject(req));
  json::ObjectReader reader(body);
  const std::string current = reader.RequiredString("current_password", kMaxPasswordBytes * 4);
  const std::string next = reader.RequiredString("new_password", kMaxPasswordBytes * 4);
  FS_RETURN_IF_ERROR(reader.Finish());

  FS_ASSIGN_OR_RETURN(auto user, ReadResult<std::optional<User>>(ctx.store, [&](store::Tx& tx) {
                        return FindUserById(tx, caller.user_id);
                      }));
  if (!user) return Err(NotFound("user not found"));
  if (!VerifyPassword(current, user->password_hash)) {
    return Err(InvalidArgument("current password is wrong", "current_password"));
  }
  FS_RETURN_IF_ERROR(CheckPasswordPolicy(next, user->username).WithField("new_password"));
  FS_ASSIGN_OR_RETURN(std::string hash, HashPassword(next));
  Status st_3 = ctx.store.Write([&](store::Tx& tx) -> Status {
    auto changed = tx.Exec("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?",
                           {hash, ctx.clock.NowMillis(), user->id});
    if (!changed) return changed.error();
    FS_RETURN_STATUS_IF_ERROR(RevokeUserSessions(tx, user->id, caller.session_id));
    return ctx.audit.Append(tx,
                            AuditFor(req, "user.password_change", "user", std::to_string(user->id),
                                     {{"other_sessions_revoked", true}}));
  });
  if (!st_3.ok()) return Err(st_3);
  return Response::NoContent();
}

// The user's schema plus what GET /api/v1/me adds about the caller.
boost::json::value MeSchema() {
  boost::json::value schema = UserJsonSchema();
  auto& props = schema.as_object()["properties"].as_object();
  props["effective_role"] = boost::json::parse(
      R"({"type":"string","enum":["admin","responder","viewer","pending-2fa"]})");
  props["auth"] = boost::json::parse(R"({"type":"string","enum":["session","token"]})");
  props["permissions"] = boost::json::parse(
      R"({"type":"array","items":{"type":"string"},"description":"resource.verb, sorted"})");
  props["csrf_token"] = boost::json::parse(R"({"type":"string"})");
  return schema;
}

}  // namespace

void RegisterLoginRoutes(AuthContext& ctx, server::Router& router) {
  router.Add(
      {"POST",
       "/api/v1/auth/login",
       "",
       [&ctx](Request& req) { return LoginHandler(ctx, req).Run(); },
       {"Log in with username and password (and TOTP code); sets the session cookie",
        "auth",
        Schema(R"({"type":"object","required":["username","password"],
                 "additionalProperties":false,
                 "properties":{"username":{"type":"string"},"password":{"type":"string"},
                 "totp":{"type":"string","description":"6-digit TOTP code or a recovery code"}}})"),
        Schema(R"({"type":"object","required":["csrf_token","user","totp_enrollment_required"],
                 "properties":{"csrf_token":{"type":"string"},"user":{"type":"object"},
                 "totp_enrollment_required":{"type":"boolean"}}})"),
        200,
        {}},
       /*csrf_exempt=*/true});
  router.Add({"POST",
              "/api/v1/auth/logout",
              "self.session",
              [&ctx](Request& req) { return Logout(ctx, req); },
              {"End the current session and clear the cookie", "auth", nullptr, nullptr, 204, {}}});
  router.Add({"GET",
              "/api/v1/me",
              "self.read",
              [&ctx, &router](Request& req) { return GetMe(ctx, router, req); },
              {"The calling user, with effective_role, auth (session or token), permissions "
               "(every permission the effective role holds, sorted) and, for a console session, "
               "its csrf_token",
               "auth",
               nullptr,
               MeSchema(),
               200,
               {}}});
  router.Add({"POST",
              "/api/v1/me/password",
              "self.write",
              [&ctx](Request& req) { return ChangePassword(ctx, req); },
              {"Change the caller's password (revokes the caller's other sessions)",
               "auth",
               Schema(R"({"type":"object","required":["current_password","new_password"],
                 "additionalProperties":false,
                 "properties":{"current_password":{"type":"string"},
                 "new_password":{"type":"string","minLength":12,"maxLength":1024}}})"),
               nullptr,
               204,
               {}}});
}

}  // namespace failsafe::auth

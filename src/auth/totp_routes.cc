// POST /api/v1/auth/totp/{enroll,confirm,disable}: the caller's own second factor.
#include "auth/auth_context.h"
#include "auth/sessions.h"
#include "auth/totp.h"
#include "auth/users.h"
#include "base/encoding.h"

namespace failsafe::auth {
namespace {

using server::Request;
using server::Response;

Result<User> LoadCaller(store::Tx& tx, const Request& req) {
  FS_ASSIGN_OR_RETURN(auto user, FindUserById(tx, Caller(req).user_id));
  if (!user) return Err(NotFound("user not found"));
  return *user;
}

Result<std::string> ReadCode(const Request& req) {
  FS_ASSIGN_OR_RETURN(auto body, BodyObject(req));
  json::ObjectReader reader(body);
  std::string code = reader.RequiredString("code", 64);
  FS_RETURN_IF_ERROR(reader.Finish());
  return code;
}

Result<Response> Enroll(AuthContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(auto body, BodyObject(req, /*empty_ok=*/true));
  FS_RETURN_IF_ERROR(json::ObjectReader(body).Finish());
  const std::string secret = NewTotpSecret();
  FS_ASSIGN_OR_RETURN(
      std::string username,
      WriteResult<std::string>(ctx.store, [&](store::Tx& tx) -> Result<std::string> {
        FS_ASSIGN_OR_RETURN(User user, LoadCaller(tx, req));
        if (user.totp_enabled) return Err(Conflict("TOTP is already enabled; disable it first"));
        user.totp_secret = ctx.box.Seal(secret, TotpAad(user.id));
        user.updated_at = ctx.clock.NowMillis();
        FS_RETURN_IF_ERROR(UpdateUser(tx, user));
        FS_RETURN_IF_ERROR(
            ctx.audit.Append(tx, AuditFor(req, "totp.enroll", "user", std::to_string(user.id))));
        return user.username;
      }));
  boost::json::object out{{"secret", Base32Encode(secret)},
                          {"otpauth_uri", OtpauthUri(username, secret)}};
  Response r = Response::Json(out);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Result<Response> Confirm(AuthContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(std::string code, ReadCode(req));
  const std::vector<std::string> recovery = NewRecoveryCodes();
  const int64_t now = ctx.clock.NowMillis();
  Status st_1 = ctx.store.Write([&](store::Tx& tx) -> Status {
    FS_ASSIGN_OR_RETURN_STATUS(User user, LoadCaller(tx, req));
    if (user.totp_enabled) return Conflict("TOTP is already enabled");
    if (!user.totp_secret) return Conflict("no TOTP enrolment in progress; call enroll first");
    FS_ASSIGN_OR_RETURN_STATUS(std::string secret,
                               ctx.box.Open(*user.totp_secret, TotpAad(user.id)));
    auto step = VerifyTotp(secret, code, now, user.totp_last_step);
    if (!step) return InvalidArgument("invalid TOTP code", "code");
    user.totp_enabled = true;
    user.totp_last_step = *step;
    user.updated_at = now;
    FS_RETURN_STATUS_IF_ERROR(UpdateUser(tx, user));
    auto cleared = tx.Exec("DELETE FROM totp_recovery_codes WHERE user_id = ?", {user.id});
    if (!cleared) return cleared.error();
    for (const auto& rc : recovery) {
      auto inserted = tx.Exec("INSERT INTO totp_recovery_codes (user_id, code_hash) VALUES (?, ?)",
                              {user.id, HashRecoveryCode(rc)});
      if (!inserted) return inserted.error();
    }
    if (Caller(req).via_session) {
      FS_RETURN_STATUS_IF_ERROR(ClearPending2fa(tx, Caller(req).session_id));
    }
    return ctx.audit.Append(tx, AuditFor(req, "totp.enable", "user", std::to_string(user.id),
                                         {{"recovery_codes_issued", kRecoveryCodeCount}}));
  });
  if (!st_1.ok()) return Err(st_1);
  boost::json::array codes;
  for (const auto& rc : recovery) codes.emplace_back(rc);
  Response r = Response::Json(boost::json::object{{"recovery_codes", std::move(codes)}});
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Result<Response> Disable(AuthContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(std::string code, ReadCode(req));
  const int64_t now = ctx.clock.NowMillis();
  Status st_2 = ctx.store.Write([&](store::Tx& tx) -> Status {
    FS_ASSIGN_OR_RETURN_STATUS(User user, LoadCaller(tx, req));
    if (!user.totp_enabled || !user.totp_secret) return Conflict("TOTP is not enabled");
    if (user.totp_required) {
      return Conflict("an administrator requires TOTP for this account; it cannot be disabled");
    }
    FS_ASSIGN_OR_RETURN_STATUS(std::string secret,
                               ctx.box.Open(*user.totp_secret, TotpAad(user.id)));
    bool ok = false;
    if (auto step = VerifyTotp(secret, code, now, user.totp_last_step)) {
      ok = true;
    } else {
      FS_ASSIGN_OR_RETURN_STATUS(
          int64_t used, tx.Exec("UPDATE totp_recovery_codes SET used_at = ? WHERE user_id = ? "
                                "AND code_hash = ? AND used_at IS NULL",
                                {now, user.id, HashRecoveryCode(code)}));
      ok = used >= 1;
    }
    if (!ok) return InvalidArgument("invalid TOTP code", "code");
    user.totp_enabled = false;
    user.totp_secret.reset();
    user.updated_at = now;
    FS_RETURN_STATUS_IF_ERROR(UpdateUser(tx, user));
    auto cleared = tx.Exec("DELETE FROM totp_recovery_codes WHERE user_id = ?", {user.id});
    if (!cleared) return cleared.error();
    return ctx.audit.Append(tx, AuditFor(req, "totp.disable", "user", std::to_string(user.id)));
  });
  if (!st_2.ok()) return Err(st_2);
  return Response::NoContent();
}

const char kCodeSchema[] = R"({"type":"object","required":["code"],"additionalProperties":false,
  "properties":{"code":{"type":"string","description":"6-digit TOTP code"}}})";

}  // namespace

void RegisterTotpRoutes(AuthContext& ctx, server::Router& router) {
  router.Add({"POST",
              "/api/v1/auth/totp/enroll",
              "self.totp",
              [&ctx](Request& req) { return Enroll(ctx, req); },
              {"Start TOTP enrolment: a new secret and otpauth:// URI (not active until confirmed)",
               "auth",
               Schema(R"({"type":"object","additionalProperties":false})"),
               Schema(R"({"type":"object","required":["secret","otpauth_uri"],
                 "properties":{"secret":{"type":"string","description":"Base32"},
                 "otpauth_uri":{"type":"string"}}})"),
               200,
               {}}});
  router.Add({"POST",
              "/api/v1/auth/totp/confirm",
              "self.totp",
              [&ctx](Request& req) { return Confirm(ctx, req); },
              {"Confirm TOTP enrolment with a code; returns recovery codes once",
               "auth",
               Schema(kCodeSchema),
               Schema(R"({"type":"object","required":["recovery_codes"],
                 "properties":{"recovery_codes":{"type":"array","items":{"type":"string"}}}})"),
               200,
               {}}});
  router.Add({"POST",
              "/api/v1/auth/totp/disable",
              "self.totp",
              [&ctx](Request& req) { return Disable(ctx, req); },
              {"Disable TOTP with a current code or a recovery code",
               "auth",
               Schema(kCodeSchema),
               nullptr,
               204,
               {}}});
}

}  // namespace failsafe::auth

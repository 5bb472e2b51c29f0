#include "auth/auth_module.h"

#include "auth/auth_context.h"
#include "auth/digest.h"
#include "auth/password.h"
#include "auth/roles.h"
#include "auth/secret_box.h"
#include "auth/sessions.h"
#include "auth/tokens.h"
#include "auth/users.h"
#include "base/log.h"
#include "base/random.h"

namespace failsafe::auth {
namespace {

// last_seen_at / last_used_at are refreshed at most this often, keeping writes off the hot path.
constexpr int64_t kTouchIntervalMs = 60'000;
constexpr size_t kMaxCredentialBytes = 512;

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

std::string GeneratePassword() {
  for (;;) {
    std::string candidate = RandomToken(18);  // 24 characters, 144 bits
    if (CheckPasswordPolicy(candidate, "admin").ok()) return candidate;
  }
}

}  // namespace

struct AuthModule::Impl : AuthContext {
  using AuthContext::AuthContext;

  Result<std::optional<server::Principal>> AuthenticateBearer(std::string_view token);
  Result<std::optional<server::Principal>> AuthenticateSession(std::string_view token);
};

AuthModule::AuthModule() = default;
AuthModule::~AuthModule() = default;

Result<std::unique_ptr<AuthModule>> AuthModule::Create(store::Store& store, const Clock& clock,
                                                       KeyFiles keys, AuthSettings settings,
                                                       metrics::Registry& metrics) {
  if (keys.audit_key.size() != kSecretKeyBytes) {
    return Err(InvalidArgument("audit key must be 32 bytes"));
  }
  FS_ASSIGN_OR_RETURN(SecretBox box, SecretBox::Create(keys.secret_key));
  std::unique_ptr<AuthModule> module(new AuthModule());
  module->impl_ =
      std::make_unique<Impl>(store, clock, std::move(keys), settings, std::move(box), metrics);
  FS_RETURN_IF_ERROR(module->impl_->audit.InitHead(store).WithContext("initialising audit log"));
  return module;
}

const SecretBox& AuthModule::secrets() const {
  return impl_->box;
}

AuditLog& AuthModule::audit() {
  return impl_->audit;
}

bool AuthModule::Allowed(const std::string& role, const std::string& permission) const {
  return RoleAllowed(role, permission);
}

void AuthModule::RegisterRoutes(server::Router& router) {
  RegisterLoginRoutes(*impl_, router);
  RegisterTotpRoutes(*impl_, router);
  RegisterUserRoutes(*impl_, router);
  RegisterTokenRoutes(*impl_, router);
  RegisterAuditRoutes(*impl_, router);
}

Result<std::optional<std::string>> AuthModule::EnsureAdmin(
    const std::optional<std::string>& password) {
  FS_ASSIGN_OR_RETURN(int64_t users, ReadResult<int64_t>(impl_->store, [](store::Tx& tx) {
                        return CountUsers(tx);
                      }));
  if (users > 0) return std::optional<std::string>();
  if (password) FS_RETURN_IF_ERROR(CheckPasswordPolicy(*password, "admin"));
  const std::string chosen = password ? *password : GeneratePassword();
  FS_ASSIGN_OR_RETURN(std::string hash, HashPassword(chosen));

  FS_ASSIGN_OR_RETURN(
      bool created, WriteResult<bool>(impl_->store, [&](store::Tx& tx) -> Result<bool> {
        FS_ASSIGN_OR_RETURN(int64_t count, CountUsers(tx));
        if (count > 0) return false;  // another instance won the race
        User admin;
        admin.username = "admin";
        admin.display_name = "Administrator";
        admin.role = std::string(kRoleAdmin);
        admin.password_hash = hash;
        admin.created_at = admin.updated_at = impl_->clock.NowMillis();
        FS_ASSIGN_OR_RETURN(admin.id, InsertUser(tx, admin));
        AuditEntry e;
        e.actor = "system";
        e.action = "user.create";
        e.target_type = "user";
        e.target_id = std::to_string(admin.id);
        e.detail = {{"username", admin.username}, {"role", admin.role}, {"reason", "first start"}};
        FS_RETURN_IF_ERROR(impl_->audit.Append(tx, e));
        return true;
      }));
  if (!created || password) return std::optional<std::string>();
  return std::optional<std::string>(chosen);
}

Result<std::optional<server::Principal>> AuthModule::Authenticate(const server::Request& request) {
  const std::string authorization = request.Header("authorization");
  if (!authorization.empty()) {
    if (!StartsWithNoCase(authorization, "Bearer ")) {
      return Err(Unauthenticated("unsupported Authorization scheme (use: Bearer fst_...)"));
    }
    std::string_view token = std::string_view(authorization).substr(7);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
    return impl_->AuthenticateBearer(token);
  }
  auto cookie = CookieValue(request.Header("cookie"), kSessionCookie);
  if (!cookie || cookie->empty()) return std::optional<server::Principal>();
  return impl_->AuthenticateSession(*cookie);
}

Result<std::optional<server::Principal>> AuthModule::Impl::AuthenticateBearer(
    std::string_view token) {
  if (token.size() > kMaxCredentialBytes || !TokenTextWellFormed(token)) {
    return Err(Unauthenticated("malformed API token"));
  }
  const std::string hash = Sha256Hex(token);
  if (auto cached = token_cache.Get(hash)) return std::optional<server::Principal>(*cached);

  const uint64_t generation = token_cache.generation();
  std::optional<TokenWithOwner> found;
  Status st_1 = store.Read([&](store::Tx& tx) -> Status {
    FS_ASSIGN_OR_RETURN_STATUS(found, FindTokenByText(tx, token));
    return Status::Ok();
  });
  if (!st_1.ok()) return Err(st_1);
  const int64_t now = clock.NowMillis();
  if (!found) return Err(Unauthenticated("unknown API token"));
  const ApiToken& t = found->token;
  if (t.revoked_at) return Err(Unauthenticated("API token has been revoked"));
  if (now >= t.expires_at) return Err(Unauthenticated("API token has expired"));
  if (found->owner_disabled) return Err(Unauthenticated("the API token's owner is disabled"));
  if (!IsAssignableRole(found->owner_role) || !IsAssignableRole(t.role)) {
    return Err(Unauthenticated("API token has no valid role"));
  }

  server::Principal p;
  p.user_id = t.user_id;
  p.username = found->username;
  p.role = std::string(LowerRole(t.role, found->owner_role));
  p.token_id = t.id;
  if (!t.last_used_at || now - *t.last_used_at >= kTouchIntervalMs) {
    Status st = store.Write([&](store::Tx& tx) { return TouchToken(tx, t.id, now); });
    if (!st.ok())
      log::Warn("auth_token_touch_failed", {{"token_id", t.id}, {"error", st.ToString()}});
  }
  token_cache.Put(hash, p, t.expires_at, generation);
  return std::optional<server::Principal>(std::move(p));
}

Result<std::optional<server::Principal>> AuthModule::Impl::AuthenticateSession(
    std::string_view token) {
  if (token.size() > kMaxCredentialBytes) return Err(Unauthenticated("malformed session cookie"));
  std::optional<Session> session;
  std::optional<User> user;
  Status st_2 = store.Read([&](store::Tx& tx) -> Status {
    FS_ASSIGN_OR_RETURN_STATUS(session, FindSessionByToken(tx, token));
    if (session) {
      FS_ASSIGN_OR_RETURN_STATUS(user, FindUserById(tx, session->user_id));
    }
    return Status::Ok();
  });
  if (!st_2.ok()) return Err(st_2);
  const int64_t now = clock.NowMillis();
  if (!session || !user) return Err(Unauthenticated("unknown session; log in again"));
  if (!SessionLive(*session, now, settings.session_idle_timeout.count())) {
    return Err(Unauthenticated("session has expired; log in again"));
  }
  if (user->disabled) return Err(Unauthenticated("account is disabled"));

  server::Principal p;
  p.user_id = user->id;
  p.username = user->username;
  p.role = session->pending_2fa ? std::string(kRolePending2fa) : user->role;
  p.via_session = true;
  p.session_id = session->id;
  if (now - session->last_seen_at >= kTouchIntervalMs) {
    Status st = store.Write([&](store::Tx& tx) { return TouchSession(tx, session->id, now); });
    if (!st.ok()) {
      log::Warn("auth_session_touch_failed",
                {{"session_id", session->id}, {"error", st.ToString()}});
    }
  }
  return std::optional<server::Principal>(std::move(p));
}

bool AuthModule::CsrfValid(const server::Request& request, const server::Principal& principal) {
  const std::string header = request.Header("x-csrf-token");
  if (header.empty() || principal.session_id == 0) return false;
  std::optional<Session> session;
  Status st = impl_->store.Read([&](store::Tx& tx) -> Status {
    FS_ASSIGN_OR_RETURN_STATUS(session, FindSessionById(tx, principal.session_id));
    return Status::Ok();
  });
  return st.ok() && session && ConstantTimeEquals(header, session->csrf_token);
}

}  // namespace failsafe::auth

#pragma once
// Test-only: the real AuthModule on a temp SQLite store behind a real Router + Dispatcher,
// called with in-memory requests (no sockets), plus a tiny client that keeps a session cookie,
// its CSRF token or a bearer token.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <optional>
#include <string>

#include "auth/auth_module.h"
#include "auth/test_store.h"
#include "base/json.h"
#include "base/metrics.h"
#include "server/dispatcher.h"
#include "server/router.h"

namespace failsafe::auth::testing {

inline const std::string kAdminPassword = "Correct-Horse-Battery-42";
inline const std::string kUserPassword = "Staple-Orbit-Lantern-77";

struct Client {
  std::string cookie;  // session token
  std::string csrf;
  std::string bearer;
  std::string addr = "10.0.0.1";
  bool send_csrf = true;
};

struct Reply {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  boost::json::value Json() const {
    auto v = json::Parse(body);
    return v ? *v : boost::json::value();
  }
  std::string Header(const std::string& name) const {
    for (const auto& [k, v] : headers) {
      if (k == name) return v;
    }
    return "";
  }
  std::string ErrorField() const {
    auto v = Json();
    if (!v.is_object() || !v.as_object().contains("error")) return "";
    auto* f = v.at("error").as_object().if_contains("field");
    return f && f->is_string() ? std::string(f->as_string()) : "";
  }
  std::string ErrorMessage() const {
    auto v = Json();
    if (!v.is_object() || !v.as_object().contains("error")) return "";
    return std::string(v.at("error").at("message").as_string());
  }
};

class RouteFixture : public ::testing::TestWithParam<store::Engine> {
 protected:
  RouteFixture() : db_(GetParam()) {}

  void SetUp() override {
    if (!db_.status().ok()) GTEST_SKIP() << db_.status().ToString();
    settings_.lockout_threshold = 3;
    settings_.lockout_duration = std::chrono::minutes(15);
    settings_.ip_failure_limit = 8;
    settings_.ip_failure_window = std::chrono::minutes(10);
    ConfigureSettings(settings_);
    auto module = AuthModule::Create(db_.store(), clock_,
                                     KeyFiles{std::string(32, 's'), std::string(32, 'a')},
                                     settings_, metrics_);
    ASSERT_TRUE(module) << module.error().ToString();
    module_ = std::move(*module);
    auto admin = module_->EnsureAdmin(kAdminPassword);
    ASSERT_TRUE(admin) << admin.error().ToString();
    module_->RegisterRoutes(router_);
    dispatcher_ = std::make_unique<server::Dispatcher>(router_, *module_, *module_, metrics_);
  }

  virtual void ConfigureSettings(AuthSettings&) {}

  Reply Call(const std::string& method, const std::string& target, const std::string& body,
             const Client* client = nullptr) {
    server::Request req;
    req.method = method;
    req.target = target;
    req.body = body;
    req.remote_addr = client ? client->addr : "10.0.0.99";
    if (!body.empty()) req.headers["content-type"] = "application/json";
    if (client) {
      if (!client->cookie.empty()) req.headers["cookie"] = "failsafe_session=" + client->cookie;
      if (client->send_csrf && !client->csrf.empty()) req.headers["x-csrf-token"] = client->csrf;
      if (!client->bearer.empty()) req.headers["authorization"] = "Bearer " + client->bearer;
    }
    server::Response resp = dispatcher_->Handle(req);
    return Reply{resp.status, resp.body, resp.headers};
  }

  Reply Login(Client& c, const std::string& username, const std::string& password,
              const std::optional<std::string>& totp = std::nullopt) {
    boost::json::object body{{"username", username}, {"password", password}};
    if (totp) body["totp"] = *totp;
    Reply r = Call("POST", "/api/v1/auth/login", boost::json::serialize(body), &c);
    if (r.status == 200) {
      const std::string cookie = r.Header("Set-Cookie");
      const size_t eq = cookie.find('=');
      c.cookie = cookie.substr(eq + 1, cookie.find(';') - eq - 1);
      c.csrf = std::string(r.Json().at("csrf_token").as_string());
    }
    return r;
  }

  Client LoggedIn(const std::string& username, const std::string& password) {
    Client c;
    Reply r = Login(c, username, password);
    EXPECT_EQ(r.status, 200) << r.body;
    return c;
  }

  Client Admin() { return LoggedIn("admin", kAdminPassword); }

  // Creates a user through the API and returns its id.
  int64_t CreateUser(const std::string& username, const std::string& role) {
    Client admin = Admin();
    boost::json::object body{{"username", username}, {"password", kUserPassword}, {"role", role}};
    Reply r = Call("POST", "/api/v1/users", boost::json::serialize(body), &admin);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.Json().at("id").to_number<int64_t>() : 0;
  }

  // A client holding a fresh API token of `role` minted by `owner`.
  Client TokenClient(Client& owner, const std::string& role, const std::string& expires_in = "") {
    boost::json::object body{{"name", "test-" + role}, {"role", role}};
    if (!expires_in.empty()) body["expires_in"] = expires_in;
    Reply r = Call("POST", "/api/v1/tokens", boost::json::serialize(body), &owner);
    EXPECT_EQ(r.status, 201) << r.body;
    Client c;
    if (r.status == 201) c.bearer = std::string(r.Json().at("token").as_string());
    return c;
  }

  TestStore db_;
  FakeClock clock_;
  metrics::Registry metrics_;
  AuthSettings settings_;
  std::unique_ptr<AuthModule> module_;
  server::Router router_;
  std::unique_ptr<server::Dispatcher> dispatcher_;
};

}  // namespace failsafe::auth::testing

// Least privilege, checked from the outside: every route the server documents is called by
// every role, and the answers must match tests/data/access_matrix/*.txt (one file per module).
// A route added to the router without a line there fails this test, and so does a line for a
// route that is gone.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "tests/support/fixture.h"

namespace failsafe::testing {
namespace {

struct Expectation {
  std::set<std::string> roles;  // "public" or a subset of admin/responder/viewer
};

std::map<std::string, Expectation> LoadMatrix() {
  std::map<std::string, Expectation> out;
  const std::filesystem::path dir = std::string(FAILSAFE_TESTS_DIR) + "/data/access_matrix";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".txt") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream in(file);
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      if (line.empty() || line[0] == '#') continue;
      std::istringstream fields(line);
      std::string method, path, roles;
      fields >> method >> path >> roles;
      Expectation e;
      std::stringstream rs(roles);
      for (std::string r; std::getline(rs, r, ',');) e.roles.insert(r);
      const std::string key = method + " " + path;
      EXPECT_FALSE(out.contains(key)) << file << ":" << line_no << ": " << key << " listed twice";
      out[key] = e;
    }
  }
  return out;
}

class AccessMatrix : public ServerFixture {};

TEST_F(AccessMatrix, EveryDocumentedRouteAnswersEveryRoleAsTheMatrixSays) {
  auto matrix = LoadMatrix();
  ASSERT_FALSE(matrix.empty());
  HttpClient admin = AdminClient();
  auto doc = admin.Get("/api/v1/openapi.json").Json();
  ASSERT_TRUE(doc.is_object());

  std::map<std::string, HttpClient> clients;
  clients.emplace("admin", AdminClient());
  clients.emplace("responder", ClientForNewUser("matrix-responder", "responder"));
  clients.emplace("viewer", ClientForNewUser("matrix-viewer", "viewer"));
  clients.emplace("anonymous", AnonymousClient());
  // Logout ends the session it is called with, so each role calls it through a session of its
  // own made for the purpose; the clients above keep their credentials for the other routes.
  const std::map<std::string, std::pair<std::string, std::string>> logins{
      {"admin", {"admin", kAdminPassword}},
      {"responder", {"matrix-responder", kUserPassword}},
      {"viewer", {"matrix-viewer", kUserPassword}}};
  // Returns the client and its session cookie ("name=value"), to replay after the logout.
  auto throwaway_session = [&](const std::string& role) {
    HttpClient c = AnonymousClient();
    std::string cookie;
    if (role != "anonymous") {
      const auto& [username, password] = logins.at(role);
      auto login = c.Login(username, password);
      EXPECT_EQ(login.status, 200) << role << ": " << login.body;
      const std::string& set_cookie = login.headers["set-cookie"];
      cookie = set_cookie.substr(0, set_cookie.find(';'));
      EXPECT_FALSE(cookie.empty()) << role << " login set no cookie";
    }
    return std::make_pair(std::move(c), std::move(cookie));
  };
  int logouts_checked = 0;

  std::set<std::string> documented;
  static const std::regex kParam(R"(\{[a-z_]+\})");
  for (auto& [path_key, item] : doc.at("paths").as_object()) {
    std::string pattern(path_key);
    for (auto& [method_key, op] : item.as_object()) {
      std::string method(method_key);
      for (auto& ch : method) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      std::string key = method + " " + pattern;
      documented.insert(key);
      auto it = matrix.find(key);
      ASSERT_NE(it, matrix.end()) << key << " is routed but missing from tests/data/access_matrix/";
      const auto& allowed = it->second.roles;
      // Ids that exist nowhere, so allowed calls cannot change anything that matters.
      std::string target = std::regex_replace(pattern, kParam, "987654321");
      std::string body = (method == "POST" || method == "PATCH" || method == "PUT") ? "{}" : "";
      const bool logout = key == "POST /api/v1/auth/logout";
      for (auto& [role, shared_client] : clients) {
        std::optional<std::pair<HttpClient, std::string>> own;  // client, session cookie
        if (logout) own.emplace(throwaway_session(role));
        HttpClient& client = own ? own->first : shared_client;
        auto r = client.Send(method, target, body,
                             body.empty() ? std::map<std::string, std::string>{}
                                          : std::map<std::string, std::string>{
                                                {"content-type", "application/json"}});
        ASSERT_GT(r.status, 0) << key << " as " << role << ": " << r.transport_error;
        EXPECT_LT(r.status, 500) << key << " as " << role << ": " << r.body;
        if (allowed.count("public")) {
          EXPECT_NE(r.status, 403) << key << " as " << role;
          continue;
        }
        if (role == "anonymous") {
          EXPECT_EQ(r.status, 401) << key << " anonymous";
        } else if (allowed.count(role)) {
          EXPECT_NE(r.status, 401) << key << " as " << role << ": " << r.body;
          EXPECT_NE(r.status, 403) << key << " as " << role << ": " << r.body;
          if (logout) {
            // It really logged out: the old session cookie, replayed, no longer authenticates
            // (the client itself dropped it when the server cleared it).
            EXPECT_EQ(r.status, 204) << key << " as " << role << ": " << r.body;
            auto replay =
                AnonymousClient().Send("GET", "/api/v1/me", "", {{"cookie", own->second}});
            EXPECT_EQ(replay.status, 401) << "session survived logout: " << role;
            ++logouts_checked;
          }
        } else {
          EXPECT_EQ(r.status, 403) << key << " as " << role << " must be forbidden: " << r.body;
        }
      }
    }
  }
  // The matrix allows logout to every logged-in role: each was checked, none skipped.
  EXPECT_EQ(logouts_checked, 3);
  for (auto& [key, e] : matrix) {
    EXPECT_TRUE(documented.count(key)) << key << " is in the matrix but not served/documented";
  }
}

// GET /api/v1/me lists the caller's permissions (the console offers actions from it): for every
// documented route, a role's list holds the route's permission exactly when the matrix lets that
// role call the route.
TEST_F(AccessMatrix, MeListsExactlyThePermissionsTheMatrixGrantsEachRole) {
  auto matrix = LoadMatrix();
  HttpClient admin = AdminClient();
  auto doc = admin.Get("/api/v1/openapi.json").Json();
  ASSERT_TRUE(doc.is_object());
  std::map<std::string, HttpClient> clients;
  clients.emplace("admin", AdminClient());
  clients.emplace("responder", ClientForNewUser("perm-responder", "responder"));
  clients.emplace("viewer", ClientForNewUser("perm-viewer", "viewer"));
  static const std::regex kRequires("Requires permission `([a-z_]+\\.[a-z]+)`");
  for (auto& [role, client] : clients) {
    auto me = client.Get("/api/v1/me").Json();
    ASSERT_TRUE(me.is_object()) << role;
    EXPECT_EQ(me.at("effective_role").as_string(), role);
    std::set<std::string> held;
    for (const auto& p : me.at("permissions").as_array()) held.insert(std::string(p.as_string()));
    int routes_checked = 0;
    for (auto& [path_key, item] : doc.at("paths").as_object()) {
      for (auto& [method_key, op] : item.as_object()) {
        std::string method(method_key);
        for (auto& ch : method)
          ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        const std::string key = method + " " + std::string(path_key);
        const auto* description = op.as_object().if_contains("description");
        std::smatch m;
        std::string text = description ? std::string(description->as_string()) : "";
        if (!std::regex_search(text, m, kRequires)) continue;  // public
        ASSERT_TRUE(matrix.contains(key)) << key;
        EXPECT_EQ(held.count(m[1].str()) == 1, matrix[key].roles.count(role) == 1)
            << role << " and " << key << " (" << m[1].str() << ")";
        ++routes_checked;
      }
    }
    EXPECT_GT(routes_checked, 50) << role;
  }
  // Handler-checked permissions are listed too: only an admin manages others' tokens.
  auto responder_me = clients.at("responder").Get("/api/v1/me").Json();
  for (const auto& p : responder_me.at("permissions").as_array()) EXPECT_NE(p, "tokens.admin");
  auto admin_me = clients.at("admin").Get("/api/v1/me").Json();
  EXPECT_TRUE(std::find(admin_me.at("permissions").as_array().begin(),
                        admin_me.at("permissions").as_array().end(),
                        boost::json::value("tokens.admin")) !=
              admin_me.at("permissions").as_array().end());
}

}  // namespace
}  // namespace failsafe::testing

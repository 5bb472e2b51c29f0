// The server as an operator meets it: start, health, metrics, OpenAPI, graceful stop,
// restart on the same data, first-start admin bootstrap, refusing a newer store.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/json.hpp>
#include <thread>

#include "tests/support/http_client.h"
#include "tests/support/process.h"

namespace failsafe::testing {
namespace {

TEST(ServerLifecycle, ServesHealthReadinessMetricsAndOpenApi) {
  TempDir dir;
  ServerProcess server(OptionsFor(dir.path() + "/data"));
  ASSERT_TRUE(server.Start()) << server.log();
  HttpClient client(server.address());

  auto health = client.Get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.Json().at("status"), "ok");
  auto ready = client.Get("/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;

  auto openapi = client.Get("/api/v1/openapi.json");
  ASSERT_EQ(openapi.status, 200);
  auto doc = openapi.Json();
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(std::string(doc.at("openapi").as_string()).substr(0, 3), "3.1");
  EXPECT_TRUE(doc.at("paths").as_object().contains("/api/v1/users"));

  auto metrics = client.Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.headers["content-type"].find("text/plain"), std::string::npos);
  // Request counters by route pattern, latency histogram, store timings, process figures.
  EXPECT_NE(metrics.body.find("failsafe_http_requests_total{"), std::string::npos);
  EXPECT_NE(metrics.body.find("route=\"/healthz\""), std::string::npos);
  EXPECT_NE(metrics.body.find("failsafe_http_request_seconds_bucket"), std::string::npos);
  EXPECT_NE(metrics.body.find("failsafe_store_seconds"), std::string::npos);
  EXPECT_NE(metrics.body.find("process_resident_memory_bytes"), std::string::npos);

  EXPECT_EQ(server.Terminate(), 0) << server.log();
}

TEST(ServerLifecycle, LogsOneJsonLinePerRequestWithoutSecrets) {
  TempDir dir;
  ServerProcess server(OptionsFor(dir.path() + "/data"));
  ASSERT_TRUE(server.Start()) << server.log();
  HttpClient client(server.address());
  ASSERT_EQ(client.Login("admin", "Correct-Horse-Battery-42").status, 200);
  std::string token = client.CreateToken("log-check", "viewer");
  ASSERT_FALSE(token.empty());
  HttpClient bearer(server.address());
  bearer.SetBearer(token);
  bearer.Get("/api/v1/me?secret_param=should-not-be-logged");
  server.Terminate();
  std::string log = server.log();
  EXPECT_EQ(log.find("Correct-Horse-Battery-42"), std::string::npos) << "password in logs";
  EXPECT_EQ(log.find(token), std::string::npos) << "token in logs";
  EXPECT_EQ(log.find("should-not-be-logged"), std::string::npos) << "query string in logs";
  // Each request line is a JSON object with the route and status.
  bool found = false;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("\"http_request\"") == std::string::npos) continue;
    boost::json::error_code ec;
    auto v = boost::json::parse(line, ec);
    ASSERT_FALSE(ec) << line;
    if (v.at("route") == "/api/v1/me") {
      EXPECT_EQ(v.at("status").to_number<int>(), 200);
      found = true;
    }
  }
  EXPECT_TRUE(found) << log;
}

TEST(ServerLifecycle, GeneratedAdminPasswordIsPrintedOnceAndWorks) {
  TempDir dir;
  ServerProcess server([&] {
    auto o = OptionsFor(dir.path() + "/data");
    o.admin_password = "";
    return o;
  }());
  ASSERT_TRUE(server.Start()) << server.log();
  std::string out = server.stdout_text();
  // The first start prints the generated password; take the token after "password".
  auto pos = out.find("password");
  ASSERT_NE(pos, std::string::npos) << out;
  std::string password;
  std::istringstream rest(out.substr(pos));
  std::string word;
  while (rest >> word) {
    if (word.size() >= 12 && word.find(':') == std::string::npos) {
      password = word;
      break;
    }
  }
  ASSERT_FALSE(password.empty()) << out;
  HttpClient client(server.address());
  EXPECT_EQ(client.Login("admin", password).status, 200) << out;
  EXPECT_EQ(server.Terminate(), 0);

  // Second start on the same data: no new password, the old one still works.
  ASSERT_TRUE(server.Start()) << server.log();
  EXPECT_EQ(server.stdout_text().find(password), std::string::npos);
  HttpClient again(server.address());
  EXPECT_EQ(again.Login("admin", password).status, 200);
  server.Terminate();
  EXPECT_EQ(server.log().find(password), server.log().rfind(password))
      << "the password must appear at most once, on the first start";
}

TEST(ServerLifecycle, GracefulShutdownFinishesInFlightRequests) {
  TempDir dir;
  ServerProcess server(OptionsFor(dir.path() + "/data"));
  ASSERT_TRUE(server.Start()) << server.log();
  // A login is slow (Argon2id); SIGTERM during it must still answer it.
  std::atomic<int> status{0};
  std::thread client_thread([&] {
    HttpClient client(server.address());
    status = client.Login("admin", "Correct-Horse-Battery-42").status;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  int code = server.Terminate();
  client_thread.join();
  EXPECT_EQ(code, 0) << server.log();
  EXPECT_EQ(status.load(), 200);
}

TEST(ServerLifecycle, RefusesAStoreNewerThanTheBinary) {
  TempDir dir;
  std::string data = dir.path() + "/data";
  ServerProcess server(OptionsFor(data));
  ASSERT_TRUE(server.Start()) << server.log();
  ASSERT_EQ(server.Terminate(), 0);

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((data + "/failsafe.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "INSERT INTO schema_migrations(version, name, applied_at) "
                         "VALUES (9999, 'from-the-future', 0)",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);

  EXPECT_FALSE(server.Start(10'000));
  std::string log = server.log();
  EXPECT_NE(log.find("9999"), std::string::npos) << log;
  EXPECT_NE(log.find("upgrade"), std::string::npos) << log;
}

TEST(ServerLifecycle, BadConfigNamesFileLineAndKey) {
  TempDir dir;
  std::string config = dir.path() + "/failsafe.yaml";
  FILE* f = std::fopen(config.c_str(), "w");
  std::fputs("listen: 127.0.0.1:0\nhttp:\n  idle_timout: 30s\n", f);
  std::fclose(f);
  auto r = RunCommand(FailsafeBinary(), {"config", "check", config});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("failsafe.yaml:3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("idle_timout"), std::string::npos) << r.err;

  ServerProcess server([&] {
    auto o = OptionsFor(dir.path() + "/data");
    o.extra_args = {"--config", config};
    return o;
  }());
  EXPECT_FALSE(server.Start(10'000));
  EXPECT_NE(server.log().find("idle_timout"), std::string::npos) << server.log();
}

}  // namespace
}  // namespace failsafe::testing

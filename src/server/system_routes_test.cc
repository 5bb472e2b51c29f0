#include "server/system_routes.h"

#include <gtest/gtest.h>

#include "server/dispatcher.h"
#include "server/process_metrics.h"

namespace failsafe::server {
namespace {

class NobodyAuthenticator : public Authenticator {
 public:
  Result<std::optional<Principal>> Authenticate(const Request&) override {
    return std::optional<Principal>();
  }
  bool CsrfValid(const Request&, const Principal&) override { return false; }
};
class DenyAll : public Authorizer {
 public:
  bool Allowed(const std::string&, const std::string&) const override { return false; }
};

class SystemRoutesTest : public ::testing::Test {
 protected:
  SystemRoutesTest() {
    SystemRouteDeps deps;
    deps.ready_check = [this] { return ready_; };
    deps.metrics = &registry_;
    deps.router = &router_;
    deps.version = "9.9.9";
    RegisterSystemRoutes(router_, std::move(deps));
    RegisterProcessMetrics(registry_);
  }
  Response Get(const std::string& target) {
    Request r;
    r.method = "GET";
    r.target = target;
    return dispatcher_.Handle(r);
  }
  Status ready_;
  Router router_;
  metrics::Registry registry_;
  NobodyAuthenticator authn_;
  DenyAll authz_;
  Dispatcher dispatcher_{router_, authn_, authz_, registry_};
};

TEST_F(SystemRoutesTest, Healthz) {
  Response r = Get("/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status":"ok"})");
}

TEST_F(SystemRoutesTest, Readyz) {
  EXPECT_EQ(Get("/readyz").body, R"({"status":"ready"})");
  ready_ = Unavailable("database is locked");
  Response r = Get("/readyz");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body,
            R"({"error":{"code":"unavailable","message":"not ready: database is locked"}})");
  ready_ = Internal("boom");
  EXPECT_EQ(Get("/readyz").status, 503);
}

TEST_F(SystemRoutesTest, MetricsIncludeProcessAndHttp) {
  Get("/healthz");
  Response r = Get("/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(
      r.body.find(R"(failsafe_http_requests_total{route="/healthz",method="GET",status="200"} 1)"),
      std::string::npos);
  for (const char* name :
       {"process_resident_memory_bytes ", "process_virtual_memory_bytes ",
        "process_cpu_seconds_total ", "process_open_fds ", "process_start_time_seconds "}) {
    EXPECT_NE(r.body.find(std::string("\n") + name), std::string::npos) << name;
  }
  EXPECT_NE(r.body.find("# TYPE process_cpu_seconds_total counter"), std::string::npos);
}

TEST(ProcessMetricsTest, ReadsPlausibleValues) {
  ProcessStats s = ReadProcessStats();
  EXPECT_GT(s.resident_bytes, 1024 * 1024);
  EXPECT_GE(s.virtual_bytes, s.resident_bytes);
  EXPECT_GE(s.open_fds, 3);
  EXPECT_GT(s.start_time_seconds, 1.6e9);  // after 2020
  EXPECT_GE(s.cpu_seconds, 0);
}

TEST_F(SystemRoutesTest, OpenApiListsEveryRoute) {
  Response r = Get("/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  auto doc = boost::json::parse(r.body);
  EXPECT_EQ(doc.at("info").at("version").as_string(), "9.9.9");
  for (const char* path : {"/healthz", "/readyz", "/metrics", "/api/v1/openapi.json"}) {
    EXPECT_TRUE(doc.at("paths").as_object().contains(path)) << path;
  }
}

}  // namespace
}  // namespace failsafe::server

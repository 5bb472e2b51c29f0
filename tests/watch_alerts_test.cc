// Alerts from outside, against the real failsafe binary and real peers from Debian:
// Prometheus (scraping failsafe's /metrics, alerting to failsafe with a source token) declares
// an incident; Alertmanager's webhook is accepted; amtool lists alerts and adds, lists and
// expires silences against failsafe. All on 127.0.0.1 random ports in temp dirs.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "tests/support/http_client.h"
#include "tests/support/peer_process.h"
#include "tests/support/process.h"

namespace failsafe::testing {
namespace {

namespace bj = boost::json;
using namespace std::chrono_literals;

constexpr const char* kPassword = "Correct-Horse-Battery-42";

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

// Polls `fn` every 200 ms until it returns true or `timeout` passes.
template <typename Fn>
bool Eventually(Fn fn, std::chrono::milliseconds timeout = 40s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (fn()) return true;
    std::this_thread::sleep_for(200ms);
  }
  return fn();
}

class WatchAlertsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    WriteFile(dir_->path() + "/routing.yaml", R"(
defaults:
  group_by: [service]
  group_wait: 0s
  group_interval: 1s
routes:
  - name: jira
    matchers: ['service="jira"']
    severity: P2
inhibit_rules:
  - source_matchers: ['severity="P1"']
    target_matchers: ['severity="P3"']
    equal: [service]
)");
    WriteFile(dir_->path() + "/config.yaml",
              "alerts:\n  routing_file: " + dir_->path() + "/routing.yaml\n");
    ServerOptions options = OptionsFor(dir_->path() + "/data");
    options.admin_password = kPassword;
    options.extra_args = {"--config", dir_->path() + "/config.yaml"};
    server_ = std::make_unique<ServerProcess>(options);
    ASSERT_TRUE(server_->Start()) << server_->log();
    HttpClient client(server_->address());
    ASSERT_EQ(client.Login("admin", kPassword).status, 200);
    admin_token_ = client.CreateToken("alerts-admin", "admin");
    ASSERT_FALSE(admin_token_.empty());
    auto svc =
        Admin().Post("/api/v1/services", R"({"key":"jira","name":"Jira","tier":"critical"})");
    ASSERT_EQ(svc.status, 201) << svc.body;
  }
  static void TearDownTestSuite() {
    if (server_) server_->Terminate();
    server_.reset();
    dir_.reset();
  }

  static HttpClient Admin() {
    HttpClient c(server_->address());
    c.SetBearer(admin_token_);
    return c;
  }
  static int Port() {
    return std::stoi(server_->address().substr(server_->address().find(':') + 1));
  }

  // Creates an alert source and returns its token.
  static std::string NewSource(const std::string& name, const std::string& kind,
                               const std::string& labels = "{}") {
    auto r = Admin().Post("/api/v1/alert-sources", R"({"name":")" + name + R"(","kind":")" + kind +
                                                       R"(","default_labels":)" + labels + "}");
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? std::string(r.Json().at("token").as_string()) : "";
  }

  static bj::array OpenIncidentsWith(const std::string& text) {
    auto r = Admin().Get("/api/v1/incidents?q=" + text);
    if (r.status != 200) return {};
    return r.Json().at("items").as_array();
  }

  static inline std::unique_ptr<TempDir> dir_;
  static inline std::unique_ptr<ServerProcess> server_;
  static inline std::string admin_token_;
};

TEST_F(WatchAlertsTest, PrometheusAlertsDeclareAnIncident) {
  const std::string token = NewSource("prom", "prometheus", R"({"service":"jira"})");
  const int port = FreePort();
  const std::string d = dir_->path() + "/prom";
  std::filesystem::create_directories(d);
  WriteFile(d + "/rules.yml", R"(groups:
  - name: failsafe
    rules:
      - alert: FailsafeScraped
        expr: up{job="failsafe"} == 1
        labels: {severity: P3}
        annotations: {summary: "Prometheus scrapes failsafe", description: "a test rule"}
)");
  WriteFile(d + "/prometheus.yml",
            "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
            "rule_files: [" +
                d +
                "/rules.yml]\n"
                "scrape_configs:\n"
                "  - job_name: failsafe\n"
                "    static_configs: [{targets: ['" +
                server_->address() +
                "']}]\n"
                "alerting:\n"
                "  alertmanagers:\n"
                "    - api_version: v2\n"
                "      authorization: {credentials: " +
                token +
                "}\n"
                "      static_configs: [{targets: ['" +
                server_->address() + "']}]\n");
  PeerProcess prom("/usr/bin/prometheus",
                   {"--config.file=" + d + "/prometheus.yml", "--storage.tsdb.path=" + d + "/data",
                    "--web.listen-address=127.0.0.1:" + std::to_string(port)},
                   d + "/prometheus.log");
  ASSERT_TRUE(WaitForHttp(port, "/-/ready", 200, 30'000)) << prom.log();

  // The alert arrives, gets the source's default label service=jira, and the jira route
  // declares a P2 incident for Jira.
  bj::object incident;
  ASSERT_TRUE(Eventually([&] {
    auto items = OpenIncidentsWith("scrapes");
    if (items.empty()) return false;
    incident = items[0].as_object();
    return true;
  })) << prom.log()
      << server_->log();
  EXPECT_EQ(incident.at("severity").as_string(), "P2");
  EXPECT_EQ(incident.at("declared_by").as_string(), "alerts");
  auto alerts = Admin().Get("/api/v2/alerts?filter=alertname%3D%22FailsafeScraped%22");
  ASSERT_EQ(alerts.status, 200) << alerts.body;
  const bj::value listed = alerts.Json();
  ASSERT_EQ(listed.as_array().size(), 1u) << alerts.body;
  const auto& a = listed.as_array()[0].as_object();
  EXPECT_EQ(a.at("labels").at("service").as_string(), "jira");
  EXPECT_EQ(a.at("receivers").as_array()[0].at("name").as_string(), "jira");
  EXPECT_EQ(a.at("status").at("state").as_string(), "active");
  auto timeline =
      Admin().Get("/api/v1/incidents/" + std::string(incident.at("id").as_string()) + "/timeline");
  ASSERT_EQ(timeline.status, 200);
  EXPECT_NE(timeline.body.find("\"kind\":\"alert\""), std::string::npos) << timeline.body;
  EXPECT_NE(timeline.body.find("FailsafeScraped"), std::string::npos);
  prom.Stop();
}

TEST_F(WatchAlertsTest, AlertmanagerWebhookIsAccepted) {
  const std::string token = NewSource("am", "alertmanager", R"({"service":"erp"})");
  const int port = FreePort();
  const std::string d = dir_->path() + "/am";
  std::filesystem::create_directories(d);
  WriteFile(d + "/am.yml",
            "route: {receiver: failsafe, group_wait: 0s, group_interval: 1s}\n"
            "receivers:\n"
            "  - name: failsafe\n"
            "    webhook_configs:\n"
            "      - url: http://" +
                server_->address() +
                "/api/v1/alerts/alertmanager\n"
                "        send_resolved: true\n"
                "        http_config: {authorization: {credentials: " +
                token + "}}\n");
  PeerProcess am(
      "/usr/bin/prometheus-alertmanager",
      {"--config.file=" + d + "/am.yml", "--storage.path=" + d + "/data",
       "--web.listen-address=127.0.0.1:" + std::to_string(port), "--cluster.listen-address="},
      d + "/am.log");
  ASSERT_TRUE(WaitForHttp(port, "/-/ready", 200, 30'000)) << am.log();
  HttpClient to_am("127.0.0.1:" + std::to_string(port));
  auto posted = to_am.Post("/api/v2/alerts",
                           R"([{"labels":{"alertname":"ErpSlow","severity":"warning"},
                               "annotations":{"summary":"ERP answers slowly"}}])");
  ASSERT_EQ(posted.status, 200) << posted.body;
  ASSERT_TRUE(Eventually([&] {
    auto r = Admin().Get("/api/v2/alerts?filter=alertname%3D%22ErpSlow%22");
    return r.status == 200 && r.body.find("\"service\":\"erp\"") != std::string::npos;
  })) << am.log();
  auto metrics = HttpClient(server_->address()).Get("/metrics");
  EXPECT_NE(metrics.body.find("failsafe_alerts_received_total{receiver=\"alertmanager\"}"),
            std::string::npos);
  // The source may not post elsewhere: told where it belongs.
  HttpClient wrong(server_->address());
  wrong.SetBearer(token);
  auto refused = wrong.Post("/api/v1/alerts/zabbix", "{}");
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("/api/v1/alerts/alertmanager"), std::string::npos);
  am.Stop();
}

TEST_F(WatchAlertsTest, AmtoolQueriesAlertsAndManagesSilences) {
  const std::string http_config = dir_->path() + "/amtool-http.yml";
  WriteFile(http_config, "authorization: {credentials: " + admin_token_ + "}\n");
  const std::vector<std::string> base = {"--alertmanager.url=http://" + server_->address(),
                                         "--http.config.file=" + http_config};
  auto amtool = [&](std::vector<std::string> args) {
    std::vector<std::string> all = base;
    all.insert(all.end(), args.begin(), args.end());
    return RunCommand("/usr/bin/amtool", all, {}, "", 30'000);
  };
  auto push = Admin().Post("/api/v2/alerts", R"([{"labels":{"alertname":"AmtoolProbe",
      "service":"hr","severity":"P3"},"annotations":{"summary":"for amtool"}}])");
  ASSERT_EQ(push.status, 200) << push.body;

  auto query = amtool({"alert", "query", "alertname=AmtoolProbe"});
  ASSERT_EQ(query.exit_code, 0) << query.out << query.err;
  EXPECT_NE(query.out.find("AmtoolProbe"), std::string::npos) << query.out;

  auto add = amtool({"silence", "add", "alertname=AmtoolProbe", "--comment=maintenance test",
                     "--author=tester", "--duration=1h"});
  ASSERT_EQ(add.exit_code, 0) << add.out << add.err;
  std::string id = add.out.substr(0, add.out.find('\n'));
  ASSERT_EQ(id.size(), 36u) << add.out;

  auto listed = amtool({"silence", "query", "-o", "json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find(id), std::string::npos) << listed.out;
  // The alert is now silenced: amtool's default query (active only) leaves it out.
  auto silenced = amtool({"alert", "query", "-o", "json", "--silenced"});
  ASSERT_EQ(silenced.exit_code, 0) << silenced.err;
  EXPECT_NE(silenced.out.find(id), std::string::npos) << silenced.out;

  auto expire = amtool({"silence", "expire", id});
  ASSERT_EQ(expire.exit_code, 0) << expire.out << expire.err;
  auto one = Admin().Get("/api/v2/silence/" + id);
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.Json().at("status").at("state").as_string(), "expired");

  // Bad input: a clear 400 naming the field.
  auto bad = Admin().Post("/api/v2/alerts", R"([{"labels":{"a":"1"},"startsAt":"noon"}])");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("\"field\":\"[0].startsAt\""), std::string::npos) << bad.body;
}

TEST_F(WatchAlertsTest, CliAddsListsAndExpiresSilences) {
  const std::map<std::string, std::string> env = {{"FAILSAFE_SERVER", server_->url()},
                                                  {"FAILSAFE_TOKEN", admin_token_}};
  auto add = RunCommand(FailsafeBinary(),
                        {"silence", "add", "service=erp", R"(severity=~"P3|P4")", "--duration",
                         "2h", "--comment", "ERP patching 补丁"},
                        env);
  ASSERT_EQ(add.exit_code, 0) << add.out << add.err;
  const std::string id = add.out.substr(0, add.out.find('\n'));
  ASSERT_EQ(id.size(), 36u) << add.out;
  auto list = RunCommand(FailsafeBinary(), {"silence", "list"}, env);
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find(id), std::string::npos);
  EXPECT_NE(list.out.find(R"(severity=~"P3|P4")"), std::string::npos) << list.out;
  auto expire = RunCommand(FailsafeBinary(), {"silence", "expire", id}, env);
  ASSERT_EQ(expire.exit_code, 0) << expire.err;
  auto expired = RunCommand(FailsafeBinary(), {"silence", "list", "--expired", "--json"}, env);
  EXPECT_NE(expired.out.find(id), std::string::npos) << expired.out;
  auto bad = RunCommand(FailsafeBinary(), {"silence", "add", R"(x=~"(")", "-c", "c"}, env);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("invalid regex"), std::string::npos) << bad.err;
}

TEST_F(WatchAlertsTest, SilencesSurviveKill9) {
  auto created = Admin().Post("/api/v2/silences",
                              R"({"matchers":[{"name":"service","value":"jira","isRegex":false}],
                                  "startsAt":"2020-01-01T00:00:00Z","endsAt":"2099-01-01T00:00:00Z",
                                  "createdBy":"ops","comment":"upgrade"})");
  ASSERT_EQ(created.status, 200) << created.body;
  std::string id(created.Json().at("silenceID").as_string());
  server_->Kill9();
  ASSERT_TRUE(server_->Start()) << server_->log();
  auto one = Admin().Get("/api/v2/silence/" + id);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.Json().at("status").at("state").as_string(), "active");
  EXPECT_EQ(one.Json().at("comment").as_string(), "upgrade");
}

}  // namespace
}  // namespace failsafe::testing

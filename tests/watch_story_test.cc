// Issue 5's "done when", against the real binary: failsafe watches its host and probes a Jira
// stand-in (a real HTTP server); killing the stand-in makes the probe fail, the shipped-style
// probe rule fires a P1, the routing file declares a P1 incident for Jira with the example plan,
// and the plan's first notification reaches a real DingTalk-style robot. Bringing the stand-in
// back resolves the alert and moves the incident to recovered, never to closed.
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
#include "tests/support/receivers.h"

namespace failsafe::testing {
namespace {

namespace bj = boost::json;
using namespace std::chrono_literals;

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

template <typename Fn>
bool Eventually(Fn fn, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (fn()) return true;
    std::this_thread::sleep_for(250ms);
  }
  return fn();
}

bool ForJira(const bj::value& incident) {
  for (const auto& s : incident.at("services").as_array()) {
    if (s.as_string() == "jira") return true;
  }
  return false;
}

std::unique_ptr<PeerProcess> StartJira(const std::string& dir, int port) {
  auto p = std::make_unique<PeerProcess>(
      "/usr/bin/python3",
      std::vector<std::string>{"-m", "http.server", std::to_string(port), "--bind", "127.0.0.1",
                               "--directory", dir},
      dir + "/../jira.log");
  EXPECT_TRUE(WaitForHttp(port, "/status", 200, 15'000)) << p->log();
  return p;
}

TEST(WatchStory, KillingTheProbedServiceDeclaresAP1WithThePlanAndNotifies) {
  TempDir dir;
  const std::string jira_dir = dir.path() + "/jira";
  std::filesystem::create_directories(jira_dir);
  WriteFile(jira_dir + "/status", R"({"status": "ok"})");
  const int jira_port = FreePort();
  auto jira = StartJira(jira_dir, jira_port);

  WriteFile(dir.path() + "/probes.yaml", R"(probes:
  - name: jira-home
    type: http
    url: http://127.0.0.1:)" + std::to_string(jira_port) +
                                             R"(/status
    interval: 1s
    timeout: 1s
    service: jira
    body_must_match: ['"status":\s*"ok"']
)");
  // The shipped probe rule with a short `for`, so the test does not wait a minute.
  WriteFile(dir.path() + "/rules.yaml", R"(groups:
  - name: probes
    interval: 1s
    rules:
      - alert: ProbeFailed
        expr: probe_success == 0
        for: 2s
        labels: {severity: P1, service: "{{ $labels.service }}"}
        annotations:
          summary: "{{ $labels.service }} is down: probe of {{ $labels.instance }} failing"
)");
  WriteFile(dir.path() + "/watch.yaml", R"(interval: 1s
host: true
default_host_rules: true
rule_files: [rules.yaml]
probe_files: [probes.yaml]
)");
  WriteFile(dir.path() + "/alerts.yaml", R"(defaults:
  group_by: [service]
  group_wait: 0s
  group_interval: 1s
  resolve_incident: true
routes:
  - name: jira-down
    matchers: ['service="jira"', 'severity="P1"']
    service: jira
    severity: P1
    plan: pm-system-outage
)");
  WriteFile(dir.path() + "/config.yaml", "watch_file: " + dir.path() + "/watch.yaml\n" +
                                             "alerts:\n  routing_file: " + dir.path() +
                                             "/alerts.yaml\n");

  RobotReceiver robots(std::map<std::string, std::string>{{"/dingtalk/ops", "SEC-ops"}});
  ASSERT_TRUE(robots.Start()) << robots.log();

  ServerOptions options = OptionsFor(dir.path() + "/data");
  options.extra_args = {"--config", dir.path() + "/config.yaml"};
  ServerProcess server(options);
  ASSERT_TRUE(server.Start()) << server.log();
  HttpClient client(server.address());
  ASSERT_EQ(client.Login("admin", options.admin_password).status, 200);
  const std::string token = client.CreateToken("story", "admin");
  auto cli = [&](std::vector<std::string> args) {
    auto r = RunCommand(FAILSAFE_BIN, args,
                        {{"FAILSAFE_SERVER", server.url()}, {"FAILSAFE_TOKEN", token}});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    return r;
  };
  cli({"service", "add", "--key", "jira", "--name", "Jira", "--tier", "critical"});
  cli({"channel", "add", "--type", "dingtalk", "--name", "ops-dingtalk", "--url",
       robots.Url("/dingtalk/ops?access_token=t"), "--secret", "SEC-ops"});
  cli({"plan", "import",
       std::string(FAILSAFE_TESTS_DIR) + "/../examples/plans/pm-system-outage.yaml"});
  cli({"plan", "approve", "pm-system-outage"});

  HttpClient admin(server.address());
  admin.SetBearer(token);
  // The host is watched and the probe succeeds while Jira is up.
  ASSERT_TRUE(Eventually(
      [&] {
        auto r = admin.Get("/api/v1/watch/probes");
        if (r.status != 200) return false;
        const bj::value body = r.Json();
        const auto& last = body.at("probes").at(0).at("last");
        return last.is_object() && last.at("success").as_bool();
      },
      20s));
  // The host collector's samples are there to chart (its first round may come a moment later).
  std::string host_body;
  EXPECT_TRUE(Eventually(
      [&] {
        auto host = admin.Get("/api/v1/watch/query_range?query=node_load1&step=1");
        host_body = host.body;
        return host.status == 200 && !host.Json().at("data").at("result").as_array().empty();
      },
      10s))
      << host_body << "\n"
      << admin.Get("/api/v1/watch/targets").body;
  auto rules = admin.Get("/api/v1/watch/rules");
  ASSERT_EQ(rules.status, 200);
  EXPECT_NE(rules.body.find("HostHighCpu"), std::string::npos);  // the built-in host rules
  EXPECT_EQ(admin.Get("/api/v1/incidents?q=jira").Json().at("items").as_array().size(), 0u);

  // Kill Jira: probe fails -> ProbeFailed fires after 2 s -> P1 declared with the plan.
  jira->Stop();
  bj::object incident;
  ASSERT_TRUE(Eventually(
      [&] {
        const bj::value items = admin.Get("/api/v1/incidents?status=declared,acknowledged").Json();
        for (const auto& i : items.at("items").as_array()) {
          if (ForJira(i)) {
            incident = i.as_object();
            return true;
          }
        }
        return false;
      },
      40s))
      << server.log();
  EXPECT_EQ(incident.at("severity").as_string(), "P1");
  const std::string id(incident.at("id").as_string());
  auto detail = admin.Get("/api/v1/incidents/" + id).Json().as_object();
  EXPECT_EQ(detail.at("plan").at("key").as_string(), "pm-system-outage");
  EXPECT_FALSE(detail.at("checklist").as_array().empty());
  std::string kinds;
  for (const auto& e : detail.at("timeline").as_array())
    kinds += std::string(e.at("kind").as_string()) + " ";
  EXPECT_NE(kinds.find("alert"), std::string::npos) << kinds;
  // The plan's notification reached the robot.
  ASSERT_TRUE(robots.WaitForCount(1, 20s, "/dingtalk/ops")) << robots.log();

  // One incident however many evaluations fire: the storm folds.
  std::this_thread::sleep_for(3s);
  size_t jira_incidents = 0;
  const bj::value all = admin.Get("/api/v1/incidents").Json();
  for (const auto& i : all.at("items").as_array()) {
    if (ForJira(i)) ++jira_incidents;
  }
  EXPECT_EQ(jira_incidents, 1u);

  // Jira comes back: the alert resolves and the incident moves to recovered.
  jira = StartJira(jira_dir, jira_port);
  EXPECT_TRUE(Eventually(
      [&] {
        auto d = admin.Get("/api/v1/incidents/" + id).Json();
        return d.at("status").as_string() == "recovered";
      },
      40s))
      << admin.Get("/api/v1/incidents/" + id).body;
}

}  // namespace
}  // namespace failsafe::testing

namespace failsafe::testing {
namespace {

// Log rules in serve: lines from a tailed file, from syslog over UDP (sent by util-linux's
// `logger`) and pushed over HTTP go through the same rules; a threshold per HOST raises one
// alert in the Alertmanager-compatible intake, keyed by the address.
TEST(WatchLogs, FileSyslogAndPushedLinesRaiseThresholdAlerts) {
  TempDir dir;
  const int syslog_port = FreePort();
  WriteFile(dir.path() + "/logs.yaml", R"(log_rules:
  - name: ssh-bruteforce
    match: 'Failed password for (invalid user )?\S+ from <HOST>'
    threshold: {count: 5, within: 60s, by: HOST}
    severity: P3
)");
  // Four failures already in the file; one more from each source makes five for 203.0.113.7.
  std::string auth;
  for (int i = 0; i < 4; ++i) {
    auth += "Nov 22 08:00:0" + std::to_string(i) +
            " web1 sshd[42]: Failed password for root from 203.0.113.7 port 22 ssh2\n";
  }
  WriteFile(dir.path() + "/auth.log", auth);
  WriteFile(dir.path() + "/watch.yaml",
            "interval: 15s\nhost: false\nlog_rule_files: [logs.yaml]\n"
            "log_sources:\n"
            "  - {name: auth, type: file, path: " +
                dir.path() + "/auth.log}\n" +
                "  - {name: syslog, type: syslog-udp, listen: "
                "'127.0.0.1:" +
                std::to_string(syslog_port) +
                "'}\n"
                "  - {name: app, type: http}\n");
  ServerOptions options = OptionsFor(dir.path() + "/data");
  options.extra_args = {"--watch-file", dir.path() + "/watch.yaml"};
  ServerProcess server(options);
  ASSERT_TRUE(server.Start()) << server.log();
  HttpClient admin(server.address());
  ASSERT_EQ(admin.Login("admin", options.admin_password).status, 200);
  admin.SetBearer(admin.CreateToken("logs", "admin"));

  auto matched = [&] {
    const bj::value state = admin.Get("/api/v1/watch/logs").Json();
    return state.at("rules").at(0).at("matched").to_number<int64_t>();
  };
  ASSERT_TRUE(Eventually([&] { return matched() == 4; }, 15s))
      << admin.Get("/api/v1/watch/logs").body;
  EXPECT_TRUE(admin.Get("/api/v2/alerts").Json().as_array().empty());  // four: below the threshold
  {
    // What the console's logs page shows: each source with what it reads, the rule as written
    // with the keys it counts and its last match (from the lines' own times).
    const bj::value state = admin.Get("/api/v1/watch/logs").Json();
    std::map<std::string, std::string> targets;
    for (const auto& src : state.at("sources").as_array()) {
      targets[std::string(src.at("name").as_string())] = src.at("target").as_string();
    }
    EXPECT_EQ(targets["auth"], dir.path() + "/auth.log");
    EXPECT_EQ(targets["syslog"], "127.0.0.1:" + std::to_string(syslog_port));
    EXPECT_EQ(targets["app"], "/api/v1/logs/app");
    const auto& rule = state.at("rules").at(0);
    EXPECT_EQ(rule.at("kind").as_string(), "threshold");
    EXPECT_EQ(rule.at("threshold").at("count").to_number<int64_t>(), 5);
    EXPECT_EQ(rule.at("keys").to_number<int64_t>(), 1);
    EXPECT_TRUE(rule.at("last_alert").is_null());
    EXPECT_NE(std::string(rule.at("last_match").as_string()).find("-11-22T08:00:03"),
              std::string::npos)
        << state;
  }

  // The fifth, pushed over HTTP: the threshold is crossed.
  auto pushed = admin.Post(
      "/api/v1/logs/app",
      "Nov 22 08:00:09 web1 sshd[42]: Failed password for invalid user bob from 203.0.113.7 "
      "port 22 ssh2\n",
      "text/plain");
  ASSERT_EQ(pushed.status, 202) << pushed.body;
  bj::value alerts;
  ASSERT_TRUE(Eventually(
      [&] {
        alerts = admin.Get("/api/v2/alerts").Json();
        return alerts.is_array() && !alerts.as_array().empty();
      },
      10s));
  const auto& labels = alerts.at(0).at("labels");
  EXPECT_EQ(labels.at("alertname").as_string(), "ssh-bruteforce");
  EXPECT_EQ(labels.at("severity").as_string(), "P3");
  EXPECT_NE(bj::serialize(labels).find("203.0.113.7"), std::string::npos) << labels;

  // Syslog over UDP from a real sender reaches the same rules.
  auto sent = RunCommand("/usr/bin/logger",
                         {"-n", "127.0.0.1", "-P", std::to_string(syslog_port), "-d", "-t", "sshd",
                          "Failed password for root from 198.51.100.9 port 22 ssh2"},
                         {});
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  EXPECT_TRUE(Eventually([&] { return matched() == 6; }, 10s))
      << admin.Get("/api/v1/watch/logs").body;

  // An unknown source and a source of another type are clear errors, not a 5xx.
  EXPECT_EQ(admin.Post("/api/v1/logs/nope", "x\n", "text/plain").status, 404);
  EXPECT_EQ(admin.Post("/api/v1/logs/auth", "x\n", "text/plain").status, 400);
  EXPECT_EQ(admin.Post("/api/v1/logs/app", "{\"lines\": 3}", "application/json").status, 400);
}

}  // namespace
}  // namespace failsafe::testing

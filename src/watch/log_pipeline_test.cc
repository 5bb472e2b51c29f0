// What GET /api/v1/watch/logs answers (LogPipeline::StateJson): each source with what it reads,
// each rule as written with its counters, keys in their window and the last match and alert.
#include "watch/log_pipeline.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "watch/logs/rule_file.h"

namespace failsafe::watch {
namespace {

namespace bj = boost::json;
using namespace std::chrono_literals;

constexpr const char* kRules = R"(log_rules:
  - name: ssh-bruteforce
    match: 'Failed password for \S+ from <HOST>'
    ignore: 'from 10\.'
    threshold: {count: 3, within: 60s, by: HOST}
    severity: P2
  - name: error-spike
    match: ' ERROR '
    rate: {factor: 5, per: 1m, baseline: 10m, min_count: 5}
  - name: panic
    match: 'kernel panic'
    severity: P1
)";

class LogPipelineState : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/fs-logstate-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<LogPipeline> Pipeline(std::vector<logs::LogAlert>* posted) {
    auto rules = logs::ParseRuleFile(kRules, "logs.yaml", dir_);
    EXPECT_TRUE(rules) << rules.error().ToString();
    auto sources = ParseLogSourcesYaml("log_sources:\n  - {name: auth, type: file, path: " + dir_ +
                                       "/auth.log}\n  - {name: app, type: http}\n");
    EXPECT_TRUE(sources) << sources.error().ToString();
    auto p = LogPipeline::Create(std::move(*rules), std::move(*sources), dir_ + "/state",
                                 [posted](std::vector<logs::LogAlert> a) {
                                   posted->insert(posted->end(), a.begin(), a.end());
                                 });
    EXPECT_TRUE(p) << p.error().ToString();
    return std::move(*p);
  }

  std::string dir_;
};

const bj::object& Named(const bj::value& list, std::string_view name) {
  for (const auto& v : list.as_array()) {
    if (v.at("name").as_string() == name) return v.as_object();
  }
  throw std::runtime_error("no entry named " + std::string(name));
}

TEST_F(LogPipelineState, RulesAsWrittenWithCountersKeysAndLastTimes) {
  std::vector<logs::LogAlert> posted;
  auto pipeline = Pipeline(&posted);
  // Nothing read yet: the rules are there, with no last match.
  bj::value state = pipeline->StateJson();
  const auto& ssh = Named(state.at("rules"), "ssh-bruteforce");
  EXPECT_EQ(ssh.at("kind").as_string(), "threshold");
  EXPECT_EQ(ssh.at("severity").as_string(), "P2");
  EXPECT_EQ(ssh.at("match").at(0).as_string(), R"(Failed password for \S+ from <HOST>)");
  EXPECT_EQ(ssh.at("ignore").at(0).as_string(), R"(from 10\.)");
  EXPECT_EQ(ssh.at("threshold").at("count").to_number<int>(), 3);
  EXPECT_EQ(ssh.at("threshold").at("within_seconds").to_number<double>(), 60);
  EXPECT_EQ(ssh.at("threshold").at("by").as_string(), "HOST");
  EXPECT_TRUE(ssh.at("rate").is_null());
  EXPECT_TRUE(ssh.at("last_match").is_null());
  const auto& spike = Named(state.at("rules"), "error-spike");
  EXPECT_EQ(spike.at("kind").as_string(), "rate");
  EXPECT_EQ(spike.at("rate").at("factor").to_number<double>(), 5);
  EXPECT_EQ(spike.at("rate").at("per_seconds").to_number<double>(), 60);
  EXPECT_EQ(spike.at("severity").as_string(), "P3");  // the default
  EXPECT_EQ(Named(state.at("rules"), "panic").at("kind").as_string(), "match");

  // Two hosts on their way to the threshold, one ignored line; then the third from one host.
  auto pushed = pipeline->Push("app",
                               "2026-11-22T06:00:00Z sshd: Failed password for root from "
                               "203.0.113.7\n"
                               "2026-11-22T06:00:05Z sshd: Failed password for root from "
                               "198.51.100.2\n"
                               "2026-11-22T06:00:06Z sshd: Failed password for root from 10.0.0.1\n"
                               "2026-11-22T06:00:10Z sshd: Failed password for bob from "
                               "203.0.113.7\n",
                               "text/plain");
  ASSERT_TRUE(pushed) << pushed.error().ToString();
  state = pipeline->StateJson();
  {
    const auto& r = Named(state.at("rules"), "ssh-bruteforce");
    EXPECT_EQ(r.at("matched").to_number<int>(), 3);
    EXPECT_EQ(r.at("ignored").to_number<int>(), 1);
    EXPECT_EQ(r.at("keys").to_number<int>(), 2);
    EXPECT_EQ(r.at("alerts").to_number<int>(), 0);
    EXPECT_EQ(r.at("last_match").as_string(), "2026-11-22T06:00:10.000Z");
    EXPECT_TRUE(r.at("last_alert").is_null());
  }
  ASSERT_TRUE(pipeline
                  ->Push("app",
                         "2026-11-22T06:00:20Z sshd: Failed password for eve from 203.0.113.7\n",
                         "text/plain")
                  .has_value());
  state = pipeline->StateJson();
  {
    const auto& r = Named(state.at("rules"), "ssh-bruteforce");
    EXPECT_EQ(r.at("alerts").to_number<int>(), 1);
    EXPECT_EQ(r.at("last_alert").as_string(), "2026-11-22T06:00:20.000Z");
    // The host that fired starts over but is still tracked until it idles out.
    EXPECT_EQ(r.at("keys").to_number<int>(), 2);
  }
  ASSERT_EQ(posted.size(), 1u);
  EXPECT_EQ(posted[0].key, "203.0.113.7");
  EXPECT_EQ(state.at("lines").to_number<int>(), 5);
  EXPECT_EQ(state.at("dropped").at("truncated").to_number<int>(), 0);
}

TEST_F(LogPipelineState, SourcesSayWhatTheyReadAndCountIt) {
  std::ofstream(dir_ + "/auth.log") << "2026-11-22T06:00:00Z kernel panic - not syncing\n"
                                    << "2026-11-22T06:00:01Z all is well\n";
  std::vector<logs::LogAlert> posted;
  auto pipeline = Pipeline(&posted);
  ASSERT_TRUE(pipeline->Start().ok());
  bj::value state;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    state = pipeline->StateJson();
    if (Named(state.at("sources"), "auth").at("stats").at("lines").to_number<int>() == 2) break;
    std::this_thread::sleep_for(50ms);
  }
  const auto& auth = Named(state.at("sources"), "auth");
  EXPECT_EQ(auth.at("type").as_string(), "file");
  EXPECT_EQ(auth.at("target").as_string(), dir_ + "/auth.log");
  EXPECT_EQ(auth.at("stats").at("lines").to_number<int>(), 2);
  EXPECT_EQ(auth.at("stats").at("restarts").to_number<int>(), 0);
  EXPECT_EQ(auth.at("stats").at("last_error").as_string(), "");
  const auto& app = Named(state.at("sources"), "app");
  EXPECT_EQ(app.at("type").as_string(), "http");
  EXPECT_EQ(app.at("target").as_string(), "/api/v1/logs/app");
  EXPECT_EQ(Named(state.at("rules"), "panic").at("alerts").to_number<int>(), 1);
  pipeline->Stop();
}

}  // namespace
}  // namespace failsafe::watch

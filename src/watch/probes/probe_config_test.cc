#include "watch/probes/probe_config.h"

#include <gtest/gtest.h>

namespace failsafe::watch::probes {
namespace {

using namespace std::chrono_literals;

std::string ErrorOf(const std::string& yaml) {
  auto r = ParseProbeConfig(yaml, "probes.yaml");
  return r ? std::string("(parsed)") : r.error().message();
}

TEST(ProbeConfig, ParsesEveryType) {
  const char* yaml = R"(
probes:
  - name: jira-home
    type: http
    url: https://jira.example.com/status
    interval: 30s
    timeout: 5s
    retries: 2
    service: jira
    labels: {team: ops}
    method: POST
    headers: {X-Probe: failsafe}
    body: '{"ping":1}'
    valid_status_codes: [200, 204]
    body_must_match: ['"ok"']
    body_must_not_match: [maintenance]
    follow_redirects: false
    fail_if_not_ssl: true
    ip_protocol: ip6
    tls_config: {insecure_skip_verify: true}
  - name: jira-port
    type: tcp
    target: jira.example.com:443
    tls: true
    send: "PING\r\n"
    expect: "^PONG"
  - name: jira-dns
    type: dns
    query_name: jira.example.com
    record_type: AAAA
    server: 10.0.0.53
    answer_must_match: ['^2001:db8:']
  - name: jira-tasks
    type: http_steps
    service: jira
    steps:
      - name: login
        method: POST
        url: https://jira.example.com/rest/auth/1/session
        body: '{"username":"probe","password":"x"}'
        extract:
          - {name: token, json_pointer: /session/value}
          - {name: req, header: X-Request-Id}
      - name: task-list
        url: https://jira.example.com/rest/api/2/search?jql={{req}}
        headers: {Authorization: 'Bearer {{token}}'}
        body_must_match: ['"issues"']
)";
  auto parsed = ParseProbeConfig(yaml, "probes.yaml");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message();
  const auto& p = *parsed;
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0].type, ProbeType::kHttp);
  EXPECT_EQ(p[0].interval, 30s);
  EXPECT_EQ(p[0].timeout, 5s);
  EXPECT_EQ(p[0].retries, 2);
  EXPECT_EQ(p[0].service, "jira");
  EXPECT_EQ(p[0].labels.at(0), (std::pair<std::string, std::string>{"team", "ops"}));
  EXPECT_EQ(p[0].http.method, "POST");
  EXPECT_EQ(p[0].http.valid_status_codes, (std::vector<int>{200, 204}));
  EXPECT_FALSE(p[0].http.follow_redirects);
  EXPECT_EQ(p[0].http.ip_protocol, IpProtocol::kIp6);
  EXPECT_TRUE(p[0].http.tls.insecure_skip_verify);
  EXPECT_EQ(p[0].Target(), "https://jira.example.com/status");
  EXPECT_EQ(p[1].tcp.send, "PING\r\n");
  EXPECT_TRUE(p[1].tcp.tls);
  ASSERT_TRUE(p[1].tcp.expect != nullptr);
  EXPECT_EQ(p[2].dns.server, "10.0.0.53:53");
  EXPECT_EQ(p[2].dns.record_type, "AAAA");
  ASSERT_EQ(p[3].steps.size(), 2u);
  EXPECT_EQ(p[3].steps[0].extract[0].from, Extraction::From::kJsonPointer);
  EXPECT_EQ(p[3].steps[0].extract[1].from, Extraction::From::kHeader);
  EXPECT_EQ(p[3].Target(), "https://jira.example.com/rest/auth/1/session");
}

TEST(ProbeConfig, DefaultsAndEmptyFile) {
  auto p = ParseProbeConfig("probes:\n  - {name: a, type: http, url: 'http://x/'}\n", "f");
  ASSERT_TRUE(p.has_value()) << p.error().message();
  EXPECT_EQ((*p)[0].interval, 15s);
  EXPECT_EQ((*p)[0].timeout, 10s);
  EXPECT_EQ((*p)[0].retries, 0);
  EXPECT_TRUE(ParseProbeConfig("", "f")->empty());
  EXPECT_EQ(
      ParseProbeConfig("probes:\n  - {name: a, type: http, url: 'http://x/', interval: 5s}\n", "f")
          ->at(0)
          .timeout,
      5s);  // the default timeout shrinks to a shorter interval
}

TEST(ProbeConfig, ErrorsNameLineColumnAndField) {
  EXPECT_EQ(
      ErrorOf("probes:\n  - name: a\n    type: http\n    url: http://x/\n    intervall: 5s\n"),
      "probes.yaml:5:5: probes[0].intervall: unknown field");
  EXPECT_EQ(
      ErrorOf("probes:\n  - name: a\n    type: http\n    url: http://x/\n    timeout: soon\n"),
      "probes.yaml:5:14: probes[0].timeout: expected a positive duration such as 500ms, 15s or 5m");
  EXPECT_EQ(ErrorOf("probes:\n  - name: a\n    type: smtp\n"),
            "probes.yaml:3:11: probes[0].type: expected http, tcp, dns or http_steps");
  EXPECT_EQ(ErrorOf("probes:\n  - name: a\n    type: tcp\n    target: host-without-port\n"),
            "probes.yaml:4:13: probes[0].target: expected host:port, got \"host-without-port\"");
  EXPECT_EQ(
      ErrorOf("probes:\n  - {name: a, type: http, url: 'http://x/', body_must_match: ['(']}\n"),
      "probes.yaml:2:62: probes[0].body_must_match: invalid regex: missing ): ( in pattern 0");
  EXPECT_EQ(
      ErrorOf("probes:\n  - {name: a, type: http, url: 'http://x/'}\n  - {name: a, type: dns, "
              "query_name: x}\n"),
      "probes.yaml:3:12: probes[1].name: duplicate probe name \"a\"");
  EXPECT_EQ(ErrorOf("probes:\n  - {name: a, type: http, url: 'http://x/', timeout: 20s}\n"),
            "probes.yaml:2:54: probes[0].timeout: must not be longer than the interval");
  EXPECT_EQ(ErrorOf("probes:\n  - {name: a, type: http, url: 'http://x/', labels: {service: x}}\n"),
            "probes.yaml:2:53: probes[0].labels: \"service\" is set by the probe itself");
  EXPECT_EQ(ErrorOf("probes: [\n"), "probes.yaml:2:1: end of sequence flow not found");
  EXPECT_EQ(ErrorOf("probes:\n  - {name: a, type: http, url: ftp://x/}\n"),
            "probes.yaml:2:32: probes[0].url: expected an http:// or https:// URL");
  EXPECT_EQ(ErrorOf("probes:\n  - {name: a, name: b, type: http, url: 'http://x/'}\n"),
            "probes.yaml:2:15: probes[0].name: duplicate field");
}

TEST(ProbeConfig, StepValuesMustComeFromEarlierSteps) {
  const char* yaml = R"(probes:
  - name: tasks
    type: http_steps
    steps:
      - name: list
        url: http://x/tasks
        headers: {Authorization: 'Bearer {{token}}'}
      - name: login
        url: http://x/login
        extract: [{name: token, json_pointer: /t}]
)";
  EXPECT_EQ(ErrorOf(yaml),
            "probes.yaml:7:18: probes[0].steps[0].headers: {{token}} is not extracted by an "
            "earlier step");
  EXPECT_EQ(
      ErrorOf("probes:\n  - name: t\n    type: http_steps\n    steps:\n      - name: s\n"
              "        url: http://x/\n        extract: [{name: v, regex: 'no-group'}]\n"),
      "probes.yaml:7:36: probes[0].steps[0].extract[0].regex: needs a capture group: the value "
      "is its first one");
  EXPECT_EQ(
      ErrorOf("probes:\n  - name: t\n    type: http_steps\n    steps:\n      - name: s\n"
              "        url: http://x/\n        extract: [{name: v, header: A, regex: '(x)'}]\n"),
      "probes.yaml:7:19: probes[0].steps[0].extract[0]: give exactly one of json_pointer, regex, "
      "header");
  EXPECT_EQ(ErrorOf("probes:\n  - {name: t, type: http_steps, steps: []}\n"),
            "probes.yaml:2:40: probes[0].steps: expected a list of at least one step");
}

}  // namespace
}  // namespace failsafe::watch::probes

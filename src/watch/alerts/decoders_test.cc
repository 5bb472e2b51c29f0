// The payload decoders: each accepted shape gives the alerts it describes; each malformed one
// a kInvalidArgument naming the field.
#include <gtest/gtest.h>

#include "base/clock.h"
#include "watch/alerts/payload_decoders.h"

namespace failsafe::watch::alerts {
namespace {

constexpr int64_t kNow = 1'800'000'000'000;
const DecodeOptions kOpts{kNow, 300'000};

TEST(DecodeV2, ReadsPrometheusPayload) {
  auto alerts = DecodeV2Alerts(R"([{"labels":{"alertname":"HighCPU","service":"jira","empty":""},
    "annotations":{"summary":"CPU above 80%"},"startsAt":"2027-01-15T08:00:00.123456789Z",
    "endsAt":"2027-01-15T08:04:00Z","generatorURL":"http://prom/graph"}])",
                               kOpts);
  ASSERT_TRUE(alerts) << alerts.error().ToString();
  ASSERT_EQ(alerts->size(), 1u);
  const Alert& a = alerts->front();
  ASSERT_EQ(a.labels.size(), 2u);  // the empty label is dropped
  EXPECT_EQ(a.labels[0].name, "alertname");
  EXPECT_EQ(LabelValue(a.annotations, "summary"), "CPU above 80%");
  EXPECT_EQ(a.starts_at, *ParseRfc3339("2027-01-15T08:00:00.123Z"));
  EXPECT_TRUE(a.ends_at_given);
  EXPECT_EQ(a.generator_url, "http://prom/graph");
  EXPECT_EQ(a.fingerprint, AlertFingerprint(a.labels));
}

TEST(DecodeV2, MissingTimesMeanNowAndResolveTimeout) {
  auto alerts = DecodeV2Alerts(R"([{"labels":{"a":"1"}}])", kOpts);
  ASSERT_TRUE(alerts);
  EXPECT_EQ(alerts->front().starts_at, kNow);
  EXPECT_EQ(alerts->front().ends_at, kNow + 300'000);
  EXPECT_FALSE(alerts->front().ends_at_given);
}

TEST(DecodeV2, ErrorsNameTheField) {
  struct Case {
    const char* body;
    const char* field;
  } cases[] = {
      {R"([{"annotations":{}}])", "[0].labels"},
      {R"([{"labels":{}}])", "[0].labels"},
      {R"([{"labels":{"a":"1"}},{"labels":{"a":1}}])", "[1].labels.a"},
      {R"([{"labels":{"1bad":"x"}}])", "[0].labels"},
      {R"([{"labels":{"a":"1"},"startsAt":"yesterday"}])", "[0].startsAt"},
      {R"([{"labels":{"a":"1"},"startsAt":"2027-01-02T00:00:00Z",
           "endsAt":"2027-01-01T00:00:00Z"}])",
       "[0].endsAt"},
  };
  for (const auto& c : cases) {
    auto r = DecodeV2Alerts(c.body, kOpts);
    ASSERT_FALSE(r) << c.body;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().field(), c.field) << r.error().ToString();
  }
  EXPECT_FALSE(DecodeV2Alerts("{}", kOpts));
  EXPECT_FALSE(DecodeV2Alerts("[{", kOpts));
}

// The streaming decoder gives what the DOM decoder gives: the same alerts, or the same error
// (message and field), on well-formed, odd and malformed bodies.
TEST(DecodeV2, StreamingAgreesWithDom) {
  const char* bodies[] = {
      R"([{"labels":{"alertname":"A","job":"x"},"annotations":{"summary":"s\u00e9 \"q\""},
          "generatorURL":"http://g","startsAt":"2027-01-15T08:00:00Z","endsAt":null}])",
      R"([{"endsAt":"2027-01-15T09:00:00Z","labels":{"b":"2","a":"1"},"startsAt":"2027-01-15T08:00:00Z"}])",
      R"([{"labels":{"a":"1","a":"2","b":""}},{"labels":{"a":"","a":"x"}}])",  // repeats: last wins
      R"([{"labels":{"a":1,"a":"x"}}])",  // the repeat's value is judged
      R"([{"labels":{"a":"x","a":[1]}}])",
      R"([{"labels":{"a":"1"},"labels":null}])",  // a repeated member: last wins
      R"([{"labels":{"a":"1"},"extra":{"deep":[[{"labels":1}]]},"more":[1,"x",null,true]}])",
      R"([{"labels":{"a":"1"},"generatorURL":null,"annotations":null,"startsAt":""}])",
      R"([{"labels":{"a":"1"},"generatorURL":5}])",
      R"([{"labels":{"a":"1"},"annotations":"x"}])",
      R"([{"labels":{"a":"1"},"annotations":{"1x":"y","ok":3}}])",
      R"([{"labels":{"9":"1","b":2}}])",  // the first bad entry is named
      R"([{"labels":{"b":2,"9":"1"}}])",
      R"([{"labels":{"a":"1"},"startsAt":7}])",
      R"([{"labels":{"a":"1"},"endsAt":"0001-01-01T00:00:00Z"}])",
      R"([{"labels":{"a":"1"}}, 5, {"labels":{}}])",
      R"([[{"labels":{"a":"1"}}]])",
      R"([{"labels":{"a":"1"}}, {"labels":{"a":[]}}, {"labels":3}])",
      R"([])",
      R"({"labels":{"a":"1"}})",
      R"("x")",
      R"(null)",
      R"([{"labels":{"a":"1"}}] [])",
      R"([{"labels":{"a":"1"}}, {"labels":1}] x)",
      R"([{"labels":{"a":"1"})",
      R"()",
      R"([{"labels":{"a":"1"}}, {"annotations":{}}, {"labels":{"x":1}}])",
  };
  for (const char* body : bodies) {
    auto stream = DecodeV2Alerts(body, kOpts);
    auto dom = DecodeV2AlertsDom(body, kOpts);
    ASSERT_EQ(stream.has_value(), dom.has_value()) << body;
    if (!dom) {
      EXPECT_EQ(stream.error().message(), dom.error().message()) << body;
      EXPECT_EQ(stream.error().field(), dom.error().field()) << body;
      continue;
    }
    ASSERT_EQ(stream->size(), dom->size()) << body;
    for (size_t i = 0; i < dom->size(); ++i) {
      const Alert &s = (*stream)[i], &d = (*dom)[i];
      EXPECT_EQ(s.labels, d.labels) << body;
      EXPECT_EQ(s.annotations, d.annotations) << body;
      EXPECT_EQ(s.generator_url, d.generator_url) << body;
      EXPECT_EQ(s.starts_at, d.starts_at) << body;
      EXPECT_EQ(s.ends_at, d.ends_at) << body;
      EXPECT_EQ(s.ends_at_given, d.ends_at_given) << body;
      EXPECT_EQ(s.fingerprint, d.fingerprint) << body;
    }
  }
  // Deep nesting in an ignored member is refused as the DOM refuses it.
  std::string deep =
      R"([{"labels":{"a":"1"},"x":)" + std::string(100, '[') + std::string(100, ']') + "}]";
  EXPECT_FALSE(DecodeV2Alerts(deep, kOpts));
  EXPECT_FALSE(DecodeV2AlertsDom(deep, kOpts));
}

TEST(DecodeWebhook, AlertmanagerVersion4FiringAndResolved) {
  auto alerts = DecodeAlertmanagerWebhook(R"({"version":"4","status":"firing","receiver":"fs",
    "groupKey":"{}:{}","alerts":[
      {"status":"firing","labels":{"alertname":"Down"},"startsAt":"2027-01-15T08:00:00Z",
       "endsAt":"0001-01-01T00:00:00Z"},
      {"status":"resolved","labels":{"alertname":"Up"},"startsAt":"2027-01-15T07:50:00Z",
       "endsAt":"2027-01-15T07:59:00Z"}]})",
                                          kOpts);
  ASSERT_TRUE(alerts) << alerts.error().ToString();
  ASSERT_EQ(alerts->size(), 2u);
  EXPECT_FALSE((*alerts)[0].Resolved(kNow));
  EXPECT_TRUE((*alerts)[1].Resolved(kNow));
  auto bad = DecodeAlertmanagerWebhook(R"({"version":"3","alerts":[]})", kOpts);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field(), "version");
  bad = DecodeAlertmanagerWebhook(R"({"version":"4","alerts":[{"labels":{"a":"b"}}]})", kOpts);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field(), "alerts[0].status");
}

TEST(DecodeWebhook, GrafanaKeepsValueAndLinks) {
  auto alerts = DecodeGrafanaWebhook(R"({"receiver":"fs","status":"firing","orgId":1,
    "alerts":[{"status":"firing","labels":{"alertname":"Latency","grafana_folder":"ops"},
    "annotations":{},"startsAt":"2027-01-15T08:00:00Z","endsAt":"0001-01-01T00:00:00Z",
    "valueString":"[ var='B' value=2.5 ]","dashboardURL":"http://g/d/1"}]})",
                                     kOpts);
  ASSERT_TRUE(alerts) << alerts.error().ToString();
  EXPECT_EQ(LabelValue(alerts->front().annotations, "value"), "[ var='B' value=2.5 ]");
  EXPECT_EQ(LabelValue(alerts->front().annotations, "dashboard_url"), "http://g/d/1");
}

TEST(DecodeZabbix, ProblemAndRecoveryAreOneAlert) {
  const char* problem = R"({"event_id":"42","event_name":"Disk full","host":"db1",
    "severity":"Disaster","event_value":"1","trigger_id":"7","tags":"service:erp, team:ops"})";
  const char* recovery = R"({"event_id":"42","event_name":"Disk full","host":"db1",
    "severity":"Disaster","event_value":"0","trigger_id":"7","tags":"service:erp, team:ops"})";
  auto p = DecodeZabbixWebhook(problem, kOpts);
  auto r = DecodeZabbixWebhook(recovery, kOpts);
  ASSERT_TRUE(p) << p.error().ToString();
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(p->front().fingerprint, r->front().fingerprint);
  EXPECT_EQ(LabelValue(p->front().labels, "severity"), "P1");
  EXPECT_EQ(LabelValue(p->front().labels, "service"), "erp");
  EXPECT_FALSE(p->front().Resolved(kNow));
  EXPECT_TRUE(r->front().Resolved(kNow));
  auto bad = DecodeZabbixWebhook(R"({"event_id":"1","event_name":"x","event_value":"1"})", kOpts);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field(), "host");
}

TEST(DecodeGeneric, OneAlertOrAList) {
  auto one = DecodeGenericAlerts(R"({"name":"Backup late","service":"erp","severity":"P2",
    "summary":"nightly backup did not finish"})",
                                 kOpts);
  ASSERT_TRUE(one) << one.error().ToString();
  EXPECT_EQ(LabelValue(one->front().labels, "alertname"), "Backup late");
  EXPECT_EQ(LabelValue(one->front().annotations, "summary"), "nightly backup did not finish");
  auto list =
      DecodeGenericAlerts(R"({"alerts":[{"name":"a"},{"name":"b","status":"resolved"}]})", kOpts);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->size(), 2u);
  EXPECT_TRUE((*list)[1].Resolved(kNow));
  auto bad = DecodeGenericAlerts(R"({"alerts":[{"labels":{"x":"y"}}]})", kOpts);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field(), "alerts[0].name");
}

TEST(Decoders, ByKind) {
  for (auto kind : {"v2", "alertmanager", "grafana", "zabbix", "generic"}) {
    EXPECT_NE(DecoderFor(kind), nullptr) << kind;
  }
  EXPECT_EQ(DecoderFor("nagios"), nullptr);
}

}  // namespace
}  // namespace failsafe::watch::alerts

#include "watch/probes/probe_samples.h"

#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <thread>

#include "watch/metrics/memory_store.h"
#include "watch/probes/testing/test_http_server.h"

namespace failsafe::watch::probes {
namespace {

// Keeps what was appended, keyed by the printed label set.
class RecordingSink final : public SampleSink {
 public:
  void Append(const Labels& labels, Sample sample) override {
    std::string key;
    for (const auto& l : labels) key += l.name + "=" + l.value + ",";
    seen[key] = sample;
  }
  std::map<std::string, Sample> seen;
};

ProbeSpec JiraHttp() {
  ProbeSpec spec;
  spec.name = "jira-home";
  spec.type = ProbeType::kHttp;
  spec.http.url = "https://jira.example.com/";
  spec.service = "jira";
  spec.labels = {{"team", "ops"}};
  return spec;
}

TEST(ProbeSamples, HttpResultUsesBlackboxNamesAndLabels) {
  ProbeResult r;
  r.success = false;
  r.duration_seconds = 0.25;
  r.http_status = 503;
  r.http_phases = HttpPhases{0.01, 0.02, 0.03, 0.15, 0.04};
  r.tls_version = "TLSv1.3";
  r.ssl_earliest_cert_expiry = 1'900'000'000;
  ProbeReport report{std::make_shared<ProbeSpec>(JiraHttp()), r, 1'700'000'000'000};
  RecordingSink sink;
  WriteProbeSamples(sink, report);

  const std::string base =
      "instance=https://jira.example.com/,probe=jira-home,service=jira,team=ops,";
  auto at = [&](const std::string& key) {
    auto it = sink.seen.find(key);
    EXPECT_NE(it, sink.seen.end()) << key;
    return it == sink.seen.end() ? Sample{} : it->second;
  };
  EXPECT_EQ(at("__name__=probe_success," + base).value, 0);
  EXPECT_EQ(at("__name__=probe_success," + base).t_ms, 1'700'000'000'000);
  EXPECT_EQ(at("__name__=probe_duration_seconds," + base).value, 0.25);
  EXPECT_EQ(at("__name__=probe_http_status_code," + base).value, 503);
  // Labels in name order: `phase` falls between `instance` and `probe`.
  auto phase = [](const std::string& p) {
    return "__name__=probe_http_duration_seconds,instance=https://jira.example.com/,phase=" + p +
           ",probe=jira-home,service=jira,team=ops,";
  };
  EXPECT_EQ(at(phase("processing")).value, 0.15);
  EXPECT_EQ(at(phase("resolve")).value, 0.01);
  EXPECT_EQ(at("__name__=probe_ssl_earliest_cert_expiry," + base).value, 1.9e9);
  EXPECT_EQ(at("__name__=probe_tls_version_info," + base + "version=TLS 1.3,").value, 1);
  EXPECT_EQ(at("__name__=probe_http_ssl," + base).value, 1);
  EXPECT_EQ(sink.seen.size(), 13u);
}

TEST(ProbeSamples, LabelsAreSortedAndTypeSpecific) {
  ProbeSpec spec;
  spec.name = "dns";
  spec.type = ProbeType::kDns;
  spec.dns.query_name = "jira.example.com";
  ProbeResult r;
  r.success = true;
  r.dns_lookup_seconds = 0.002;
  r.dns_answer_count = 2;
  auto samples = ProbeSamples(spec, r);
  ASSERT_EQ(samples.size(), 4u);  // success, duration, lookup time, answer count; no HTTP
  for (const auto& s : samples) {
    EXPECT_TRUE(std::is_sorted(s.labels.begin(), s.labels.end()));
    for (const auto& l : s.labels) EXPECT_NE(l.name, "service");  // no service: no empty label
  }
  EXPECT_EQ(samples[2].labels[0].value, "probe_dns_lookup_time_seconds");
  EXPECT_EQ(samples[2].value, 0.002);
}

TEST(ProbeSamples, ARuleSelectorFindsTheFailingServiceInTheStore) {
  // The whole path: a probe of a service that is down, scheduled, its report written into the
  // real in-memory store, and `probe_success{service="jira"}` read back as a rule would.
  testing::TestHttpServer jira([](const testing::TestRequest&) {
    return testing::TestResponse{503, {}, "down for maintenance"};
  });
  MemoryStore store;
  Prober prober;
  ProbeScheduler scheduler(
      prober, SystemClock::Instance(), [&](const ProbeReport& r) { WriteProbeSamples(store, r); },
      /*spread_start=*/false);
  ProbeSpec spec = JiraHttp();
  spec.http.url = jira.Url("/");
  spec.interval = std::chrono::seconds(10);
  spec.timeout = std::chrono::seconds(2);
  scheduler.Start({spec});

  std::vector<LabelMatcher> matchers = {
      *LabelMatcher::Make("__name__", MatchOp::kEqual, "probe_success"),
      *LabelMatcher::Make("service", MatchOp::kEqual, "jira")};
  std::vector<SeriesSamples> found;
  for (int i = 0; i < 500 && found.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    found = store.Select(matchers, 0, INT64_MAX);
  }
  scheduler.Stop();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(FormatLabels(found[0].labels),
            "probe_success{instance=\"" + spec.http.url +
                "\", probe=\"jira-home\", service=\"jira\", team=\"ops\"}");
  ASSERT_EQ(found[0].samples.size(), 1u);
  EXPECT_EQ(found[0].samples[0].value, 0);
}

}  // namespace
}  // namespace failsafe::watch::probes

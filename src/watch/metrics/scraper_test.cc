#include "watch/metrics/scraper.h"

#include <gtest/gtest.h>

#include <chrono>

#include "watch/metrics/memory_store.h"
#include "watch/metrics/test_http_server.h"

namespace failsafe::watch {
namespace {

constexpr int64_t kT = 1'700'000'000'000;

double Latest(const MemoryStore& store, std::vector<LabelMatcher> m) {
  auto r = store.Select(m, 0, kT * 2);
  if (r.size() != 1) return -1;
  return r[0].samples.back().value;
}

LabelMatcher Eq(std::string n, std::string v) {
  return *LabelMatcher::Make(std::move(n), MatchOp::kEqual, std::move(v));
}

TEST(Scraper, StoresSamplesWithTargetLabelsAndSyntheticSeries) {
  CannedServer server;
  server.Respond(200, "text/plain; version=0.0.4; charset=utf-8",
                 "# TYPE node_load1 gauge\nnode_load1 0.5\n"
                 "app_info{job=\"inner\",instance=\"x\"} 1\n"
                 "stamped 7 1600000000000\n");
  MemoryStore store;
  ScrapeTarget target{.job = "node", .url = server.url()};
  ScrapeResult r = ScrapeOnce(target, store, kT);
  ASSERT_TRUE(r.up) << r.error;
  EXPECT_EQ(r.samples_scraped, 3u);
  const std::string instance = InstanceFromUrl(server.url());
  EXPECT_EQ(
      Latest(store, {Eq("__name__", "node_load1"), Eq("job", "node"), Eq("instance", instance)}),
      0.5);
  // The page's own job/instance survive as exported_*.
  EXPECT_EQ(Latest(store, {Eq("__name__", "app_info"), Eq("exported_job", "inner"),
                           Eq("exported_instance", "x"), Eq("job", "node")}),
            1);
  auto stamped = store.Select(std::vector{Eq("__name__", "stamped")}, 0, kT);
  ASSERT_EQ(stamped.size(), 1u);
  EXPECT_EQ(stamped[0].samples[0].t_ms, 1600000000000);  // honoured
  EXPECT_EQ(Latest(store, {Eq("__name__", "up"), Eq("job", "node")}), 1);
  EXPECT_EQ(Latest(store, {Eq("__name__", "scrape_samples_scraped")}), 3);
  EXPECT_GT(Latest(store, {Eq("__name__", "scrape_duration_seconds")}), 0);
  // The Accept header Prometheus sends.
  EXPECT_NE(server.last_request().find("Accept: application/openmetrics-text;version=1.0.0,"),
            std::string::npos)
      << server.last_request();
}

TEST(Scraper, OpenMetricsByContentType) {
  CannedServer server;
  server.Respond(200, "application/openmetrics-text; version=1.0.0; charset=utf-8",
                 "# TYPE c counter\nc_total 5 # {trace=\"a\"} 1\nc_created 12\n# EOF\n");
  MemoryStore store;
  ScrapeResult r = ScrapeOnce({.job = "app", .url = server.url()}, store, kT);
  ASSERT_TRUE(r.up) << r.error;
  EXPECT_EQ(Latest(store, {Eq("__name__", "c_total")}), 5);
}

TEST(Scraper, FailuresStoreOnlyUpZeroAndSayWhy) {
  CannedServer server;
  MemoryStore store;
  ScrapeTarget target{.job = "j", .url = server.url(), .timeout_ms = 300};

  server.Respond(503, "text/plain", "busy");
  ScrapeResult r = ScrapeOnce(target, store, kT);
  EXPECT_FALSE(r.up);
  EXPECT_EQ(r.error, "HTTP status 503");
  EXPECT_EQ(Latest(store, {Eq("__name__", "up")}), 0);

  server.Respond(200, "text/plain", "good 1\nbad{a=1} 2\n");
  r = ScrapeOnce(target, store, kT + 15'000);
  EXPECT_FALSE(r.up);
  EXPECT_EQ(r.error, "line 2, column 7: expected '\"' to open the value of label \"a\", found '1'");
  EXPECT_TRUE(store.Select(std::vector{Eq("__name__", "good")}, 0, kT * 2).empty());

  server.Respond(200, "text/plain", "slow 1\n", 1500);
  const auto t0 = std::chrono::steady_clock::now();
  r = ScrapeOnce(target, store, kT + 30'000);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(1200));
  EXPECT_FALSE(r.up);
  EXPECT_EQ(r.error, "timed out after 300 ms");

  r = ScrapeOnce({.job = "j", .url = "http://127.0.0.1:1/metrics"}, store, kT + 45'000);
  EXPECT_FALSE(r.up);
  EXPECT_FALSE(r.error.empty());
}

TEST(Scraper, SeriesCapPerTargetKeepsTheFirstAndCounts) {
  CannedServer server;
  std::string page;
  for (int i = 0; i < 50; ++i) page += "m{i=\"" + std::to_string(i) + "\"} 1\n";
  server.Respond(200, "text/plain", page);
  MemoryStore store;
  ScrapeResult r = ScrapeOnce({.job = "j", .url = server.url(), .max_series = 20}, store, kT);
  ASSERT_TRUE(r.up);
  EXPECT_EQ(r.samples_scraped, 50u);
  EXPECT_EQ(r.samples_stored, 20u);
  EXPECT_EQ(store.Select(std::vector{Eq("__name__", "m")}, 0, kT).size(), 20u);
  EXPECT_EQ(Latest(store, {Eq("__name__", "scrape_samples_dropped_by_limit")}), 30);
  EXPECT_EQ(Latest(store, {Eq("__name__", "scrape_samples_post_metric_relabeling")}), 20);
}

TEST(Scraper, InstanceFromUrl) {
  EXPECT_EQ(InstanceFromUrl("http://10.0.0.1:9100/metrics"), "10.0.0.1:9100");
  EXPECT_EQ(InstanceFromUrl("https://user:pw@host:8443/x?y"), "host:8443");
  EXPECT_EQ(InstanceFromUrl("host:9100"), "host:9100");
}

}  // namespace
}  // namespace failsafe::watch

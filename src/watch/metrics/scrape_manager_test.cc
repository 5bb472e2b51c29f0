#include "watch/metrics/scrape_manager.h"

#include <gtest/gtest.h>

#include "watch/metrics/test_http_server.h"

namespace failsafe::watch {
namespace {

LabelMatcher Eq(std::string n, std::string v) {
  return *LabelMatcher::Make(std::move(n), MatchOp::kEqual, std::move(v));
}

ScrapeManagerOptions FixtureHost() {
  ScrapeManagerOptions o;
  o.host_instance = "testhost";
  o.host.proc_root = std::string(FAILSAFE_METRICS_TESTDATA) + "/proc";
  o.host.clock_ticks_per_second = 100;
  return o;
}

TEST(ScrapeManager, RunOnceScrapesTargetsAndTheHost) {
  CannedServer server;
  server.Respond(200, "text/plain", "app_requests_total 12\n");
  MemoryStore store;
  FakeClock clock;
  ScrapeManager manager(store, clock, FixtureHost());
  manager.AddTarget({.job = "app", .url = server.url()});
  manager.RunOnce(clock.NowMillis());

  const int64_t now = clock.NowMillis();
  auto cpu = store.Select(std::vector{Eq("__name__", "node_cpu_seconds_total"), Eq("job", "node"),
                                      Eq("instance", "testhost")},
                          now, now);
  EXPECT_EQ(cpu.size(), 16u);  // 2 CPUs x 8 modes in the fixture
  EXPECT_EQ(store.Select(std::vector{Eq("__name__", "up"), Eq("job", "node")}, now, now).size(),
            1u);
  auto app = store.Select(std::vector{Eq("__name__", "app_requests_total")}, now, now);
  ASSERT_EQ(app.size(), 1u);
  EXPECT_EQ(LabelValue(app[0].labels, "instance"), InstanceFromUrl(server.url()));

  auto health = manager.Health();
  ASSERT_EQ(health.size(), 2u);
  for (const TargetHealth& h : health) {
    EXPECT_TRUE(h.up) << h.job << ": " << h.last_error;
    EXPECT_EQ(h.last_scrape_ms, now);
    EXPECT_GT(h.last_samples, 0u);
  }
}

TEST(ScrapeManager, ScrapesOnItsIntervalWithScheduledTimestampsUntilStopped) {
  CannedServer server;
  server.Respond(200, "text/plain", "x 1\n");
  MemoryStore store;
  ScrapeManagerOptions o = FixtureHost();
  o.host_collector = false;
  o.interval_ms = 100;
  ScrapeManager manager(store, SystemClock::Instance(), o);
  manager.AddTarget({.job = "app", .url = server.url()});
  manager.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(650));
  manager.Stop();
  auto up = store.Select(std::vector{Eq("__name__", "up")}, 0, INT64_MAX);
  ASSERT_EQ(up.size(), 1u);
  const auto& samples = up[0].samples;
  ASSERT_GE(samples.size(), 3u);
  for (size_t i = 1; i < samples.size(); ++i) {
    EXPECT_EQ((samples[i].t_ms - samples[i - 1].t_ms) % 100, 0);  // whole intervals apart
  }
  const size_t after_stop = samples.size();
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  EXPECT_EQ(store.Select(std::vector{Eq("__name__", "up")}, 0, INT64_MAX)[0].samples.size(),
            after_stop);
}

}  // namespace
}  // namespace failsafe::watch

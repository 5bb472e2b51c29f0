#include "watch/probes/scheduler.h"

#include <gtest/gtest.h>

#include <thread>

#include "watch/probes/testing/test_http_server.h"

namespace failsafe::watch::probes {
namespace {

using namespace std::chrono_literals;
using testing::TestRequest;
using testing::TestResponse;

// Fails its first `failures` requests, then answers 200.
class FlakyService {
 public:
  explicit FlakyService(int failures) : failures_(failures) {}
  TestResponse operator()(const TestRequest&) {
    return seen_++ < failures_ ? TestResponse{503, {}, "warming up"} : TestResponse{200, {}, "ok"};
  }

 private:
  int failures_;
  std::atomic<int> seen_{0};
};

ProbeSpec HttpSpec(const std::string& name, const std::string& url) {
  ProbeSpec spec;
  spec.name = name;
  spec.http.url = url;
  spec.interval = 10s;  // one run within a test
  spec.timeout = 2s;
  spec.retry_delay = 10ms;
  return spec;
}

class SchedulerTest : public ::testing::Test {
 protected:
  std::vector<ProbeReport> WaitForReports(size_t n, std::chrono::milliseconds limit = 12s) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      {
        std::lock_guard lock(mu_);
        if (reports_.size() >= n) return reports_;
      }
      std::this_thread::sleep_for(5ms);
    }
    std::lock_guard lock(mu_);
    return reports_;
  }

  Prober prober_;
  std::mutex mu_;
  std::vector<ProbeReport> reports_;
  ProbeScheduler scheduler_{prober_, SystemClock::Instance(),
                            [this](const ProbeReport& r) {
                              std::lock_guard lock(mu_);
                              reports_.push_back(r);
                            },
                            /*spread_start=*/false};
};

TEST_F(SchedulerTest, RetriesHideTransientFailures) {
  FlakyService flaky(2);
  testing::TestHttpServer server([&](const TestRequest& r) { return flaky(r); });
  ProbeSpec spec = HttpSpec("jira-home", server.Url("/"));
  spec.retries = 2;
  scheduler_.Start({spec});
  auto reports = WaitForReports(1);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_TRUE(reports[0].result.success) << reports[0].result.error;
  EXPECT_EQ(reports[0].result.attempts, 3);
  EXPECT_EQ(server.requests(), 3u);
}

TEST_F(SchedulerTest, FailureReportedOnlyAfterAllRetriesFail) {
  FlakyService flaky(5);
  testing::TestHttpServer server([&](const TestRequest& r) { return flaky(r); });
  ProbeSpec spec = HttpSpec("erp-home", server.Url("/"));
  spec.retries = 1;
  scheduler_.Start({spec});
  auto reports = WaitForReports(1);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_FALSE(reports[0].result.success);
  EXPECT_EQ(reports[0].result.attempts, 2);
  EXPECT_EQ(reports[0].result.error, "status 503 not in 2xx");
  EXPECT_EQ(server.requests(), 2u);
  ASSERT_EQ(scheduler_.Latest().size(), 1u);
  EXPECT_EQ(scheduler_.Latest()[0].spec->name, "erp-home");
}

TEST_F(SchedulerTest, RunsEveryInterval) {
  testing::TestHttpServer server([](const TestRequest&) { return TestResponse{200, {}, "ok"}; });
  ProbeSpec spec = HttpSpec("fast", server.Url("/"));
  spec.interval = 100ms;
  scheduler_.Start({spec});
  std::this_thread::sleep_for(1050ms);
  scheduler_.Stop();
  const size_t n = WaitForReports(0).size();
  EXPECT_GE(n, 9u);
  EXPECT_LE(n, 11u);
  // Stopped means stopped.
  std::this_thread::sleep_for(250ms);
  EXPECT_EQ(WaitForReports(0).size(), n);
}

TEST(StartOffset, SpreadsProbesOverTheInterval) {
  // 1,000 probes over 15 s: every 1.5 s slice gets about a tenth of them, none a pile.
  std::vector<int> per_slice(10);
  for (int i = 0; i < 1000; ++i) {
    const auto offset = StartOffset("probe-" + std::to_string(i), 15s);
    ASSERT_GE(offset.count(), 0);
    ASSERT_LT(offset.count(), 15000);
    ++per_slice[static_cast<size_t>(offset.count() / 1500)];
  }
  for (int n : per_slice) {
    EXPECT_GT(n, 60);
    EXPECT_LT(n, 140);
  }
  EXPECT_EQ(StartOffset("jira", 15s), StartOffset("jira", 15s));  // stable across restarts
}

}  // namespace
}  // namespace failsafe::watch::probes

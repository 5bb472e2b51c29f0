// The scraper against Debian's real prometheus-node-exporter on 127.0.0.1: scrape it into
// the store, Select node_cpu_seconds_total, and check that the built-in host collector
// produces the same series (so rules written for node_exporter work on either).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <set>
#include <thread>

#include "watch/metrics/host_collector.h"
#include "watch/metrics/memory_store.h"
#include "watch/metrics/scraper.h"

namespace failsafe::watch {
namespace {

constexpr const char* kNodeExporter = "/usr/bin/prometheus-node-exporter";

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

// node_exporter as a child process, stopped (SIGTERM, then SIGKILL) by the destructor.
class NodeExporter {
 public:
  explicit NodeExporter(int port) {
    pid_ = fork();
    if (pid_ == 0) {
      const std::string listen = "--web.listen-address=127.0.0.1:" + std::to_string(port);
      freopen("/dev/null", "w", stdout);
      freopen("/dev/null", "w", stderr);
      execl(kNodeExporter, kNodeExporter, listen.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~NodeExporter() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 50; ++i) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }

 private:
  pid_t pid_ = -1;
};

std::set<std::pair<std::string, std::string>> CpuModes(const std::vector<SeriesSamples>& r) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& s : r) {
    out.emplace(std::string(LabelValue(s.labels, "cpu")),
                std::string(LabelValue(s.labels, "mode")));
  }
  return out;
}

TEST(NodeExporterScrape, ScrapesIntoTheStoreAndMatchesTheHostCollector) {
  if (access(kNodeExporter, X_OK) != 0) GTEST_SKIP() << kNodeExporter << " not installed";
  const int port = FreePort();
  NodeExporter exporter(port);
  ScrapeTarget target{.job = "node",
                      .url = "http://127.0.0.1:" + std::to_string(port) + "/metrics"};
  MemoryStore store;
  const int64_t t0 = 1'700'000'000'000;

  ScrapeResult first;
  for (int attempt = 0; attempt < 100; ++attempt) {  // until it listens (10 s at most)
    first = ScrapeOnce(target, store, t0 + attempt);
    if (first.up) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(first.up) << first.error;
  EXPECT_GT(first.samples_scraped, 200u);
  EXPECT_EQ(first.samples_dropped_by_limit, 0u);
  ScrapeResult second = ScrapeOnce(target, store, first.t_ms + 15'000);
  ASSERT_TRUE(second.up) << second.error;

  const std::vector<LabelMatcher> cpu = {
      *LabelMatcher::Make("__name__", MatchOp::kEqual, "node_cpu_seconds_total"),
      *LabelMatcher::Make("job", MatchOp::kEqual, "node")};
  auto series = store.Select(cpu, t0, second.t_ms);
  ASSERT_FALSE(series.empty());
  for (const auto& s : series) {
    EXPECT_EQ(LabelValue(s.labels, "instance"), "127.0.0.1:" + std::to_string(port));
    ASSERT_EQ(s.samples.size(), 2u) << FormatLabels(s.labels);
    EXPECT_EQ(s.samples[1].t_ms - s.samples[0].t_ms, 15'000);
    EXPECT_GE(s.samples[1].value, s.samples[0].value);  // a counter
  }
  const std::vector<LabelMatcher> up = {*LabelMatcher::Make("__name__", MatchOp::kEqual, "up")};
  auto up_series = store.Select(up, t0, second.t_ms);
  ASSERT_EQ(up_series.size(), 1u);
  EXPECT_EQ(up_series[0].samples.back().value, 1);

  // The built-in collector names the same CPU series the same way.
  MemoryStore own;
  HostCollector collector;
  WriteWithTargetLabels(own, collector.Collect(), *MakeLabels({{"job", "node"}}), t0);
  EXPECT_EQ(CpuModes(own.Select(cpu, t0, t0)), CpuModes(series));
  const std::vector<LabelMatcher> mem = {
      *LabelMatcher::Make("__name__", MatchOp::kEqual, "node_memory_MemTotal_bytes")};
  auto theirs = store.Select(mem, t0, second.t_ms);
  auto ours = own.Select(mem, t0, t0);
  ASSERT_EQ(theirs.size(), 1u);
  ASSERT_EQ(ours.size(), 1u);
  EXPECT_EQ(theirs[0].samples[0].value, ours[0].samples[0].value);
}

}  // namespace
}  // namespace failsafe::watch

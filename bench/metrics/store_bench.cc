// Fills the in-memory series store the way the issue sizes it (100,000 series, 6 h at 15 s)
// and prints resident memory, bytes per sample, append rate and Select latency.
//   watch_metrics_bench [--series N] [--hours H] [--threads T]
// The series look like node_exporter's: 1,000 hosts x 100 series, and their values follow the
// shapes real series have (integer byte counters, constant sizes, 2-decimal gauges, CPU-second
// counters), because Gorilla compression depends on the values: random doubles would cost
// ~8 bytes per sample, constant ones a quarter byte.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "watch/metrics/memory_store.h"

using namespace failsafe::watch;
using Clock = std::chrono::steady_clock;

namespace {

long RssKiB() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("VmRSS:")) return std::atol(line.c_str() + 6);
  }
  return 0;
}

// CPU time of this thread: on a shared machine wall time also counts waiting for a core.
double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

const char* kNames[] = {"node_network_receive_bytes_total",
                        "node_disk_read_bytes_total",
                        "node_filesystem_size_bytes",
                        "node_memory_MemAvailable_bytes",
                        "node_load1",
                        "node_cpu_seconds_total",
                        "node_network_transmit_bytes_total",
                        "node_disk_written_bytes_total",
                        "node_filesystem_avail_bytes",
                        "node_pressure_cpu_waiting_seconds_total"};

// The value shape of series k (see the file comment).
double NextValue(int k, double prev, std::mt19937_64& rng) {
  switch (k % 10) {
    case 0:
    case 1:
    case 6:
    case 7: return prev + static_cast<double>(rng() % 100'000);
    case 2: return prev;  // filesystem size: constant
    case 8: return prev + static_cast<double>(rng() % 3 == 0 ? (rng() % 4096) * 4096 : 0);
    case 3: return std::round(std::max(0.0, prev + double(rng() % 2001) - 1000.0));
    case 4: return std::round(std::max(0.0, prev + (double(rng() % 41) - 20) / 100) * 100) / 100;
    default: return std::round((prev + double(rng() % 1500) / 100) * 100) / 100;  // cpu seconds
  }
}

}  // namespace

int main(int argc, char** argv) {
  int series = 100'000, threads = 2;
  double hours = 6;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--series")) series = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--hours")) hours = std::atof(argv[i + 1]);
    if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
  }
  const int rounds = static_cast<int>(hours * 3600 / 15);
  const int64_t t0 = 1'700'000'000'000;

  std::vector<Labels> labels;
  labels.reserve(series);
  for (int k = 0; k < series; ++k) {
    char instance[32];
    std::snprintf(instance, sizeof(instance), "host-%04d:9100", k / 100);
    labels.push_back(*MakeLabels({{"__name__", kNames[k % 10]},
                                  {"instance", instance},
                                  {"job", "node"},
                                  {"device", "dev" + std::to_string(k % 100 / 10)}}));
  }
  // Scrape-like appends: round by round over every series, as scrape threads write. Each
  // append then misses the CPU caches (hash node, labels, chunk), which is what it costs in
  // production; measured on a short fill of its own store.
  double scrape_like_rate = 0;
  {
    MemoryStore warm;
    const int warm_rounds = std::min(rounds, 20);
    const auto w0 = Clock::now();
    std::vector<double> values(series, 1000.0);
    std::mt19937_64 rng(99);
    for (int r = 0; r < warm_rounds; ++r) {
      for (int k = 0; k < series; ++k) {
        values[k] = NextValue(k, values[k], rng);
        warm.Append(labels[k], {t0 + r * 15'000LL, values[k]});
      }
    }
    scrape_like_rate = double(warm_rounds) * series / Seconds(Clock::now() - w0);
  }

  const long rss_before = RssKiB();
  MemoryStore store({.retention_ms = static_cast<int64_t>(hours * 3600'000) + 60'000});

  // The big fill goes one chunk period (120 rounds = 30 min) at a time, series by series
  // within it: the same sealed chunks as round-by-round appends, but cache-friendly, so six
  // hours fill in a bounded time on a shared machine.
  const auto fill_start = Clock::now();
  std::vector<std::thread> workers;
  for (int w = 0; w < threads; ++w) {
    workers.emplace_back([&, w] {
      std::mt19937_64 rng(w + 1);
      const int lo = series * w / threads, hi = series * (w + 1) / threads;
      std::vector<double> values(hi - lo, 1000.0);
      for (int block = 0; block < rounds; block += 120) {
        const int block_end = std::min(rounds, block + 120);
        for (int k = lo; k < hi; ++k) {
          for (int r = block; r < block_end; ++r) {
            // The scraper stamps samples with their scheduled time when the scrape starts
            // within 25 ms of it (as Prometheus does), so only late scrapes jitter.
            const int64_t jitter = rng() % 50 == 0 ? static_cast<int64_t>(rng() % 7) - 3 : 0;
            values[k - lo] = NextValue(k, values[k - lo], rng);
            store.Append(labels[k], {t0 + r * 15'000LL + jitter, values[k - lo]});
          }
        }
      }
    });
  }
  for (auto& t : workers) t.join();
  const double fill_s = Seconds(Clock::now() - fill_start);
  labels.clear();
  labels.shrink_to_fit();
  const long rss_after = RssKiB();
  const MemoryStoreStats st = store.Stats();
  const double samples = static_cast<double>(st.samples_appended);

  std::printf("series               %llu\n", (unsigned long long)st.series);
  std::printf("samples              %.0f (%d rounds at 15 s = %.1f h)\n", samples, rounds, hours);
  std::printf("fill time            %.1f s with %d threads\n", fill_s, threads);
  std::printf("append rate          %.2f M samples/s (scrape-like, 1 thread: %.2f M/s)\n",
              samples / fill_s / 1e6, scrape_like_rate / 1e6);
  std::printf("RSS                  %.1f MiB (store alone %.1f MiB)\n", rss_after / 1024.0,
              (rss_after - rss_before) / 1024.0);
  std::printf("bytes/sample (RSS)   %.2f\n", (rss_after - rss_before) * 1024.0 / samples);
  std::printf("bytes/sample (chunks) %.2f\n", st.chunk_bytes / samples);
  std::printf("out of order dropped %llu\n", (unsigned long long)st.out_of_order_dropped);

  const int64_t end = t0 + (rounds - 1) * 15'000LL + 10;
  auto time_query = [&](const char* what, std::vector<LabelMatcher> matchers, int64_t start,
                        int repeat) {
    std::vector<double> ms, cpu_ms;
    size_t n_series = 0, n_samples = 0;
    for (int i = 0; i < repeat; ++i) {
      const auto q0 = Clock::now();
      const double c0 = ThreadCpuMs();
      auto result = store.Select(matchers, start, end);
      cpu_ms.push_back(ThreadCpuMs() - c0);
      ms.push_back(Seconds(Clock::now() - q0) * 1000);
      n_series = result.size();
      n_samples = 0;
      for (const auto& s : result) n_samples += s.samples.size();
    }
    std::sort(ms.begin(), ms.end());
    std::sort(cpu_ms.begin(), cpu_ms.end());
    std::printf(
        "select %-36s %6zu series %7zu samples  p50 %8.3f ms (CPU %7.3f ms)  max %8.3f ms\n", what,
        n_series, n_samples, ms[ms.size() / 2], cpu_ms[cpu_ms.size() / 2], ms.back());
  };
  auto eq = [](const char* n, const char* v) { return *LabelMatcher::Make(n, MatchOp::kEqual, v); };
  time_query("one series, 6 h",
             {eq("__name__", "node_load1"), eq("instance", "host-0042:9100"), eq("device", "dev0")},
             t0 - 1000, 200);
  time_query("one series, last 1 h",
             {eq("__name__", "node_load1"), eq("instance", "host-0042:9100"), eq("device", "dev0")},
             end - 3600'000, 200);
  time_query("one metric on all hosts, last 5 m",
             {eq("__name__", "node_load1"), eq("device", "dev0")}, end - 300'000, 20);
  time_query("one host (100 series) =~, last 1 h",
             {*LabelMatcher::Make("instance", MatchOp::kRegexMatch, "host-004[2]:9100")},
             end - 3600'000, 20);
  time_query("all 10k of one metric, last 5 m", {eq("__name__", "node_cpu_seconds_total")},
             end - 300'000, 5);
  return 0;
}

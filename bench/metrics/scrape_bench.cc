// failsafe's side of the side-by-side with Prometheus (run.sh): scrapes one endpoint every
// INTERVAL seconds for DURATION seconds into the in-memory store, then prints resident memory
// and what the store holds.
//   watch_metrics_scrape_bench URL INTERVAL_S DURATION_S
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "watch/metrics/memory_store.h"
#include "watch/metrics/scraper.h"

using namespace failsafe::watch;

namespace {
long RssKiB() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("VmRSS:")) return std::atol(line.c_str() + 6);
  }
  return 0;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s URL INTERVAL_S DURATION_S\n", argv[0]);
    return 2;
  }
  const std::string url = argv[1];
  const int interval_ms = std::atoi(argv[2]) * 1000;
  const int duration_ms = std::atoi(argv[3]) * 1000;
  MemoryStore store;
  ScrapeTarget target{.job = "bench", .url = url, .timeout_ms = interval_ms, .max_series = 0};
  const long rss_start = RssKiB();
  const auto start = std::chrono::steady_clock::now();
  const int64_t t0 = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  int scrapes = 0, up = 0;
  double scrape_seconds = 0;
  for (int64_t at = 0; at < duration_ms; at += interval_ms) {
    std::this_thread::sleep_until(start + std::chrono::milliseconds(at));
    ScrapeResult r = ScrapeOnce(target, store, t0 + at);
    ++scrapes;
    up += r.up;
    scrape_seconds += r.duration_s;
    if (!r.up) std::fprintf(stderr, "scrape failed: %s\n", r.error.c_str());
  }
  const MemoryStoreStats st = store.Stats();
  std::printf("failsafe scrapes %d (up %d), avg scrape+parse+store %.3f s\n", scrapes, up,
              scrape_seconds / scrapes);
  std::printf("failsafe series %llu samples %llu chunk bytes %llu\n", (unsigned long long)st.series,
              (unsigned long long)st.samples_appended, (unsigned long long)st.chunk_bytes);
  std::printf("failsafe RSS %.1f MiB (process at start %.1f MiB)\n", RssKiB() / 1024.0,
              rss_start / 1024.0);
  return 0;
}

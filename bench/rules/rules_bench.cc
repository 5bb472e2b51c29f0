// Rule evaluation cost: --series series (node_exporter-like families over 1,000 instances,
// 100 series each) with --history seconds of 15 s samples in the real MemoryStore, and --rules
// alerting rules (ten realistic shapes, twenty variants each) in groups of 20, evaluated every
// 15 s of data time for --rounds rounds. Prints the CPU time per round (only evaluation;
// appending the next samples is not counted) and the share of one core at a 15 s interval.
//
//   build-rel/bin/rules_bench [--series 100000] [--rules 200] [--history 3600] [--rounds 20]
//                           [--write-rules FILE] [--expose FILE]
// --write-rules writes the generated rules as a Prometheus rule file; --expose writes the
// series' latest values as Prometheus text exposition (for running Prometheus on the same data).
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "watch/metrics/memory_store.h"
#include "watch/rules/rule_group.h"

namespace {

using namespace failsafe::watch;
using namespace failsafe::watch::rules;

constexpr int64_t kStepMs = 15'000;

struct Series {
  Labels labels;
  bool counter = false;
  double rate = 0;  // per second, for counters; amplitude for gauges
  double base = 0;
};

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Measures the CPU spent inside the store's Select, to tell the store's share of a round
// from the evaluator's.
class TimedQuerier final : public SeriesQuerier {
 public:
  explicit TimedQuerier(const SeriesQuerier& inner) : inner_(inner) {}
  std::vector<SeriesSamples> Select(std::span<const LabelMatcher> matchers, int64_t start_ms,
                                    int64_t end_ms) const override {
    const double c0 = ThreadCpuSeconds();
    auto out = inner_.Select(matchers, start_ms, end_ms);
    select_cpu_ += ThreadCpuSeconds() - c0;
    ++selects_;
    return out;
  }
  void Visit(std::span<const LabelMatcher> matchers, int64_t start_ms, int64_t end_ms,
             const SelectHints& hints, const SeriesVisitor& visit) const override {
    const double c0 = ThreadCpuSeconds();
    inner_.Visit(matchers, start_ms, end_ms, hints, visit);
    select_cpu_ += ThreadCpuSeconds() - c0;
    ++selects_;
  }
  mutable double select_cpu_ = 0;
  mutable size_t selects_ = 0;

 private:
  const SeriesQuerier& inner_;
};

double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// 100 series per instance: CPU (4 cpus x 8 modes), filesystems, memory, network, disks, load,
// HTTP requests per handler and code, latency quantiles, up, probe_success, open files.
std::vector<Series> MakeSeries(int instances) {
  std::vector<Series> out;
  auto add = [&](std::vector<Label> labels, bool counter, double rate, double base) {
    out.push_back({*MakeLabels(std::move(labels)), counter, rate, base});
  };
  const char* modes[] = {"idle", "user", "system", "iowait", "irq", "softirq", "steal", "nice"};
  const char* mounts[] = {"/", "/var", "/home", "/data"};
  const char* codes[] = {"200", "404", "500"};
  for (int i = 0; i < instances; ++i) {
    const std::string inst = std::string("host-") + std::to_string(i) + ":9100";
    const double busy = 0.05 + 0.9 * ((i * 37) % 100) / 100.0;  // some hosts above 80 %
    for (int cpu = 0; cpu < 4; ++cpu)
      for (const char* mode : modes)
        add({{"__name__", "node_cpu_seconds_total"},
             {"instance", inst},
             {"job", "node"},
             {"cpu", std::to_string(cpu)},
             {"mode", mode}},
            true, std::strcmp(mode, "idle") == 0 ? 1 - busy : busy / 7, 1e6);
    for (int m = 0; m < 4; ++m) {
      std::vector<Label> fs = {{"instance", inst},
                               {"job", "node"},
                               {"mountpoint", mounts[m]},
                               {"device", std::string("sd") + static_cast<char>('a' + m)},
                               {"fstype", "ext4"}};
      auto avail = fs, size = fs;
      avail.push_back({"__name__", "node_filesystem_avail_bytes"});
      size.push_back({"__name__", "node_filesystem_size_bytes"});
      add(avail, false, -((i + m) % 50) * 1000.0, 5e10);  // some fill up
      add(size, false, 0, 1e11);
    }
    add({{"__name__", "node_memory_MemAvailable_bytes"}, {"instance", inst}, {"job", "node"}},
        false, 1e6, 1e9 + (i % 20) * 4e8);
    add({{"__name__", "node_memory_MemTotal_bytes"}, {"instance", inst}, {"job", "node"}}, false, 0,
        8e9);
    for (int d = 0; d < 4; ++d) {
      const std::string dev = std::string("eth") + std::to_string(d);
      add({{"__name__", "node_network_receive_bytes_total"},
           {"instance", inst},
           {"job", "node"},
           {"device", dev}},
          true, 1e5 * (1 + i % 7), 1e9);
      add({{"__name__", "node_network_transmit_bytes_total"},
           {"instance", inst},
           {"job", "node"},
           {"device", dev}},
          true, 2e5, 1e9);
      add({{"__name__", "node_disk_io_time_seconds_total"},
           {"instance", inst},
           {"job", "node"},
           {"device", std::string("sd") + static_cast<char>('a' + d)}},
          true, 0.1 * (i % 10), 1e4);
    }
    for (const char* load : {"node_load1", "node_load5", "node_load15"})
      add({{"__name__", load}, {"instance", inst}, {"job", "node"}}, false, 0.5, 1 + i % 6);
    for (int h = 0; h < 10; ++h)
      for (const char* code : codes)
        add({{"__name__", "app_http_requests_total"},
             {"instance", inst},
             {"job", "app"},
             {"handler", std::string("h") + std::to_string(h)},
             {"code", code}},
            true,
            std::strcmp(code, "200") == 0   ? 20
            : std::strcmp(code, "500") == 0 ? i % 3
                                            : 1,
            0);
    for (int q = 0; q < 10; ++q)
      add({{"__name__", "app_latency_seconds"},
           {"instance", inst},
           {"job", "app"},
           {"quantile", std::string("0.") + std::to_string(q)}},
          false, 0.1, 0.2 + q * 0.1);
    add({{"__name__", "up"}, {"instance", inst}, {"job", "node"}}, false, 0, i % 97 != 0);
    add({{"__name__", "probe_success"}, {"instance", inst}, {"job", "blackbox"}}, false, 0,
        i % 101 != 0);
    add({{"__name__", "node_filefd_allocated"}, {"instance", inst}, {"job", "node"}}, false, 10,
        1000);
  }
  return out;
}

double ValueAt(const Series& s, int64_t step) {
  const double seconds = static_cast<double>(step) * 15;
  if (s.counter) return s.base + s.rate * seconds;
  return s.base + s.rate * seconds * (s.rate < -1 ? 1 : 0) +
         (s.rate > 0 ? s.rate * std::sin(static_cast<double>(step) / 7) : 0);
}

// Ten rule shapes, as people write them, each in `variants` variants (other thresholds or
// label selections), so that every rule does its own full work.
std::string RuleFile(int rules) {
  const char* shapes[] = {
      "100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[5m]))) > %d",
      "predict_linear(node_filesystem_avail_bytes{mountpoint=\"%s\"}[1h], 4 * 3600) < 0",
      "node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes < 0.0%d",
      "sum by (instance) (rate(app_http_requests_total{code=\"500\", handler=\"h%d\"}[5m])) / "
      "sum by (instance) (rate(app_http_requests_total{handler=\"h%d\"}[5m])) > 0.05",
      "rate(node_network_receive_bytes_total{device=\"eth%d\"}[5m]) > 4e5",
      "avg_over_time(node_load1[10m]) > %d",
      "up{job=\"node\"} == 0 or absent(up{job=\"node%d\"})",
      "max_over_time(app_latency_seconds{quantile=\"0.%d\"}[5m]) > 1",
      "probe_success{instance=~\"host-%d.*\"} == 0",
      "rate(node_disk_io_time_seconds_total[5m]) > 0.9%d",
  };
  const char* mounts[] = {"/", "/var", "/home", "/data"};
  std::string out = "groups:\n";
  for (int r = 0; r < rules; ++r) {
    if (r % 20 == 0)
      out += "  - name: g" + std::to_string(r / 20) + "\n    interval: 15s\n    rules:\n";
    const int shape = r % 10, variant = r / 10;
    char expr[512];
    if (shape == 1) {
      std::snprintf(expr, sizeof expr, shapes[shape], mounts[variant % 4]);
    } else if (shape == 3) {
      std::snprintf(expr, sizeof expr, shapes[shape], variant % 10, variant % 10);
    } else {
      const int value = shape == 0 ? 80 + variant : shape == 5 ? 6 + variant : variant % 10;
      std::snprintf(expr, sizeof expr, shapes[shape], value);
    }
    out += "      - alert: Rule" + std::to_string(r) + "\n        expr: '" + expr +
           "'\n        for: 5m\n        labels:\n          severity: P3\n        annotations:\n"
           "          summary: '{{ $labels.instance }} at {{ $value | humanize }}'\n";
  }
  return out;
}

long Flag(int argc, char** argv, const char* name, long fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], name) == 0) return std::atol(argv[i + 1]);
  return fallback;
}
const char* StringFlag(int argc, char** argv, const char* name) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  const long series_wanted = Flag(argc, argv, "--series", 100'000);
  const long rule_count = Flag(argc, argv, "--rules", 200);
  const long history_s = Flag(argc, argv, "--history", 3600);
  const long rounds = Flag(argc, argv, "--rounds", 20);

  const std::string rules_yaml = RuleFile(static_cast<int>(rule_count));
  if (const char* path = StringFlag(argc, argv, "--write-rules")) std::ofstream(path) << rules_yaml;
  RuleFileParse parsed = ParseRuleFile(rules_yaml, "bench.yaml");
  if (!parsed.errors.empty()) {
    std::fprintf(stderr, "%s\n", parsed.errors[0].c_str());
    return 1;
  }
  std::vector<RuleGroup> groups;
  for (RuleGroupSpec& g : parsed.groups) groups.emplace_back(std::move(g));

  const std::vector<Series> series = MakeSeries(static_cast<int>(series_wanted / 100));
  MemoryStore store;
  const int64_t t0 = 1'700'000'000'000;
  const int64_t history_steps = history_s / 15;
  const auto fill_start = std::chrono::steady_clock::now();
  for (int64_t step = 0; step <= history_steps; ++step)
    for (const Series& s : series) store.Append(s.labels, {t0 + step * kStepMs, ValueAt(s, step)});
  const double fill_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - fill_start).count();
  std::printf("series %zu, samples per series %lld, rules %ld in %zu groups, filled in %.1f s\n",
              series.size(), static_cast<long long>(history_steps + 1), rule_count, groups.size(),
              fill_s);

  if (const char* path = StringFlag(argc, argv, "--expose")) {
    // Two consecutive scrapes' worth (FILE and FILE.next), from which a scrape target can go
    // on with the same series and slopes (compare_prometheus.py).
    std::ofstream now(path), next(std::string(path) + ".next");
    now.precision(17);
    next.precision(17);
    for (const Series& s : series) {
      now << FormatLabels(s.labels) << " " << ValueAt(s, 0) << "\n";
      next << FormatLabels(s.labels) << " " << ValueAt(s, 1) << "\n";
    }
  }

  if (rounds <= 0) return 0;
  std::vector<double> cpu, wall;
  size_t alerts = 0, errors = 0;
  TimedQuerier timed(store);
  for (long r = 0; r < rounds; ++r) {
    const int64_t step = history_steps + r;
    if (r > 0)
      for (const Series& s : series)
        store.Append(s.labels, {t0 + step * kStepMs, ValueAt(s, step)});
    const double c0 = CpuSeconds();
    const auto w0 = std::chrono::steady_clock::now();
    alerts = 0;
    for (RuleGroup& g : groups) {
      GroupResult res = g.Evaluate(timed, nullptr, t0 + step * kStepMs);
      alerts += res.alerts.size();
      errors += res.errors.size();
    }
    cpu.push_back(CpuSeconds() - c0);
    wall.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count());
  }
  // Where the time goes: the last round's wall time per rule shape (rule i has shape i % 10).
  std::vector<double> per_shape(10, 0);
  for (size_t gi = 0; gi < groups.size(); ++gi)
    for (size_t i = 0; i < groups[gi].size(); ++i)
      per_shape[(gi * 20 + i) % 10] +=
          static_cast<double>(groups[gi].health(i).last_duration_ns) / 1e9;
  for (int shape = 0; shape < 10; ++shape)
    std::printf("  shape %d: %.3f s  %s\n", shape, per_shape[shape],
                groups[0].spec(static_cast<size_t>(shape)).expr_text.c_str());
  size_t active = 0;
  for (const RuleGroup& g : groups)
    for (size_t i = 0; i < g.size(); ++i) active += g.alerting(i)->alerts().size();
  std::vector<double> sorted = cpu;
  std::sort(sorted.begin(), sorted.end());
  double sum = 0;
  for (double c : cpu) sum += c;
  const double mean = sum / static_cast<double>(cpu.size());
  std::printf(
      "rounds %ld: CPU per round mean %.3f s, median %.3f s, max %.3f s; wall mean %.3f s\n",
      rounds, mean, sorted[sorted.size() / 2], sorted.back(), [&] {
        double w = 0;
        for (double x : wall) w += x;
        return w / static_cast<double>(wall.size());
      }());
  std::printf("share of one core at a 15 s interval: %.2f %% (goal < 10 %%)\n", mean / 15 * 100);
  std::printf("of which in the store (Visit, Select): %.3f s per round (%zu reads per round)\n",
              timed.select_cpu_ / static_cast<double>(rounds),
              timed.selects_ / static_cast<size_t>(rounds));
  std::printf("alerts sent in the last round %zu, active or pending alerts %zu, rule errors %zu\n",
              alerts, active, errors);
  return errors == 0 ? 0 : 1;
}

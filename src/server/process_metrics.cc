#include "server/process_metrics.h"

#include <unistd.h>

#include <exception>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace failsafe::server {
namespace {

double BootTimeSeconds() {
  std::ifstream in("/proc/stat");
  std::string key;
  double value = 0;
  while (in >> key) {
    if (key == "btime") {
      in >> value;
      return value;
    }
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return 0;
}

}  // namespace

ProcessStats ReadProcessStats() {
  ProcessStats s;
  std::ifstream in("/proc/self/stat");
  std::string line;
  if (std::getline(in, line)) {
    // The command name (field 2) is parenthesised and may contain spaces: skip past it.
    size_t close = line.rfind(')');
    if (close != std::string::npos) {
      std::istringstream rest(line.substr(close + 2));
      std::vector<std::string> f;  // f[0] is field 3 (state)
      std::string tok;
      while (rest >> tok) f.push_back(tok);
      if (f.size() > 21) try {
          const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
          const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
          s.cpu_seconds = (std::stod(f[11]) + std::stod(f[12])) / ticks;  // utime, stime
          s.start_time_seconds = BootTimeSeconds() + std::stod(f[19]) / ticks;
          s.virtual_bytes = std::stod(f[20]);
          s.resident_bytes = std::stod(f[21]) * page;
        } catch (const std::exception&) {
          s = ProcessStats{};  // an unexpected /proc format: report zeros, never fail a scrape
        }
    }
  }
  std::error_code ec;
  double fds = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
       it.increment(ec)) {
    ++fds;
  }
  s.open_fds = fds;
  return s;
}

void RegisterProcessMetrics(metrics::Registry& registry) {
  auto& rss =
      registry.AddGauge("process_resident_memory_bytes", "Resident memory size in bytes.").With({});
  auto& vsz =
      registry.AddGauge("process_virtual_memory_bytes", "Virtual memory size in bytes.").With({});
  auto& cpu = registry
                  .AddCounter("process_cpu_seconds_total",
                              "Total user and system CPU time spent in seconds.")
                  .With({});
  auto& fds = registry.AddGauge("process_open_fds", "Number of open file descriptors.").With({});
  auto& start = registry
                    .AddGauge("process_start_time_seconds",
                              "Start time of the process since unix epoch in seconds.")
                    .With({});
  registry.AddCollector([&rss, &vsz, &cpu, &fds, &start] {
    ProcessStats s = ReadProcessStats();
    rss.Set(s.resident_bytes);
    vsz.Set(s.virtual_bytes);
    // The counter only goes up; collectors run under the registry lock, one at a time.
    if (s.cpu_seconds > cpu.Value()) cpu.Inc(s.cpu_seconds - cpu.Value());
    fds.Set(s.open_fds);
    start.Set(s.start_time_seconds);
  });
}

}  // namespace failsafe::server

#pragma once
// Standard Prometheus process metrics, read from /proc/self at every scrape:
// process_resident_memory_bytes, process_virtual_memory_bytes, process_cpu_seconds_total,
// process_open_fds, process_start_time_seconds. On systems without /proc they stay 0.
#include "base/metrics.h"

namespace failsafe::server {

// Registers the families and a collector on `registry` (call once per registry).
void RegisterProcessMetrics(metrics::Registry& registry);

// One reading of /proc/self; exposed for tests. Fields are 0 when unreadable.
struct ProcessStats {
  double resident_bytes = 0;
  double virtual_bytes = 0;
  double cpu_seconds = 0;
  double open_fds = 0;
  double start_time_seconds = 0;  // Unix time
};
ProcessStats ReadProcessStats();

}  // namespace failsafe::server

#pragma once
// The watch file: what `failsafe serve` watches on its own (docs/watch/config.md).
//
//   interval: 15s            # scrapes, the host collector and rule groups without their own
//   retention: 6h            # how long samples stay in memory
//   host: true               # the /proc collector, as {job="node", instance=<hostname>}
//   scrape:                  # Prometheus text / OpenMetrics endpoints
//     - {job: jira, url: "http://127.0.0.1:9100/metrics", interval: 30s}
//   rule_files: [rules/host.yaml]     # Prometheus-shaped rule files (docs/watch/rules.md)
//   probe_files: [probes.yaml]        # probes (docs/watch/probes.md)
//   log_rule_files: [logs.yaml]       # log rules (docs/watch/logs.md)
//   log_sources:                      # files, syslog, HTTP push (docs/watch/logsources.md)
//     - {name: auth, type: file, path: /var/log/auth.log}
//
// Relative paths are relative to the watch file. Errors name file:line:column and the field;
// a rule or probe file with errors stops the start, so nothing is half-watched.
#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "watch/logsources/log_source_config.h"
#include "watch/metrics/scraper.h"

namespace failsafe::watch {

struct ScrapeConfig {
  ScrapeTarget target;
  int64_t interval_ms = 0;  // 0: the file's interval
};

struct WatchConfig {
  std::string file;  // where it came from ("" for the built-in defaults)
  int64_t interval_ms = 15'000;
  int64_t retention_ms = 6LL * 3600 * 1000;
  bool host = true;
  std::vector<ScrapeConfig> scrape;
  std::vector<std::string> rule_files;      // resolved paths
  std::vector<std::string> probe_files;     // resolved paths
  std::vector<std::string> log_rule_files;  // resolved paths
  std::vector<LogSourceSpec> log_sources;
  // Where file sources keep their read positions (set by serve: <data dir>/logsources).
  std::string state_dir;
  // The shipped host rules (CPU, disk full within 4 h, memory pressure), compiled in, used
  // when no watch file names rule files of its own.
  bool default_host_rules = true;
};

// Parses a watch file's text; `file` names it in errors and anchors relative paths.
Result<WatchConfig> ParseWatchConfig(std::string_view text, const std::string& file);
// Reads and parses `path`.
Result<WatchConfig> LoadWatchConfig(const std::string& path);

// The rules shipped with failsafe (examples/rules/host.yaml, compiled in).
std::string_view DefaultHostRules();

}  // namespace failsafe::watch

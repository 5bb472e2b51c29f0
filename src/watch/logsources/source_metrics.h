#pragma once
// Publishes every log source's SourceStats in /metrics, so counted drops are visible:
//   failsafe_log_source_lines_total{source}            lines handed to the rules
//   failsafe_log_source_bytes_total{source}
//   failsafe_log_source_repaired_total{source,reason}  reason: truncated | invalid_utf8
//   failsafe_log_source_dropped_total{source,reason}   reason: malformed | rejected_connection
//   failsafe_log_source_restarts_total{source}         files read again from 0
// Values are copied from the stats when /metrics is rendered.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/metrics.h"
#include "watch/logsources/source_stats.h"

namespace failsafe::watch {

class SourceMetrics {
 public:
  // Registers the families and a collector; this object must outlive the registry's use.
  explicit SourceMetrics(metrics::Registry& registry);
  ~SourceMetrics();
  // `stats` must outlive this object.
  void Add(const std::string& source, const SourceStats* stats);

 private:
  struct Entry;
  void Refresh();
  metrics::Family<metrics::Counter>& lines_;
  metrics::Family<metrics::Counter>& bytes_;
  metrics::Family<metrics::Counter>& repaired_;
  metrics::Family<metrics::Counter>& dropped_;
  metrics::Family<metrics::Counter>& restarts_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Entry>> entries_;
};

}  // namespace failsafe::watch

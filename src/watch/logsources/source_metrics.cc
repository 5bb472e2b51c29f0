#include "watch/logsources/source_metrics.h"

#include <array>

namespace failsafe::watch {

// Counters only go up, so each refresh adds what the stats gained since the last one.
struct SourceMetrics::Entry {
  const SourceStats* stats;
  std::array<metrics::Counter*, 7> counters;
  std::array<uint64_t, 7> seen{};
  std::array<uint64_t, 7> Read() const {
    return {stats->lines.load(),        stats->bytes.load(),     stats->truncated.load(),
            stats->invalid_utf8.load(), stats->malformed.load(), stats->rejected_connections.load(),
            stats->restarts.load()};
  }
};

SourceMetrics::SourceMetrics(metrics::Registry& registry)
    : lines_(registry.AddCounter("failsafe_log_source_lines_total",
                                 "Log lines handed to the log rules, per source.", {"source"})),
      bytes_(registry.AddCounter("failsafe_log_source_bytes_total",
                                 "Bytes read or received by log sources.", {"source"})),
      repaired_(registry.AddCounter(
          "failsafe_log_source_repaired_total",
          "Log lines cut to the length cap (truncated) or with invalid UTF-8 replaced.",
          {"source", "reason"})),
      dropped_(registry.AddCounter(
          "failsafe_log_source_dropped_total",
          "Malformed syslog messages and TCP connections over the limit, dropped.",
          {"source", "reason"})),
      restarts_(registry.AddCounter("failsafe_log_source_restarts_total",
                                    "Files read again from the start (truncated or replaced).",
                                    {"source"})) {
  registry.AddCollector([this] { Refresh(); });
}

SourceMetrics::~SourceMetrics() = default;

void SourceMetrics::Add(const std::string& source, const SourceStats* stats) {
  auto e = std::make_unique<Entry>();
  e->stats = stats;
  e->counters = {&lines_.With({source}),
                 &bytes_.With({source}),
                 &repaired_.With({source, "truncated"}),
                 &repaired_.With({source, "invalid_utf8"}),
                 &dropped_.With({source, "malformed"}),
                 &dropped_.With({source, "rejected_connection"}),
                 &restarts_.With({source})};
  std::lock_guard lock(mu_);
  entries_.push_back(std::move(e));
}

void SourceMetrics::Refresh() {
  std::lock_guard lock(mu_);
  for (auto& e : entries_) {
    const auto now = e->Read();
    for (size_t i = 0; i < now.size(); ++i) {
      if (now[i] > e->seen[i]) e->counters[i]->Inc(static_cast<double>(now[i] - e->seen[i]));
      e->seen[i] = now[i];
    }
  }
}

}  // namespace failsafe::watch

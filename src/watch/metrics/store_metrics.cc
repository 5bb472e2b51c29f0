// The store's numbers on /metrics (store_metrics.h).
#include "watch/metrics/store_metrics.h"

#include <memory>
#include <mutex>

namespace failsafe::watch {

void RegisterStoreMetrics(metrics::Registry& registry, const MemoryStore& store) {
  auto& series = registry.AddGauge("failsafe_metrics_series", "Series in the in-memory store.");
  auto& chunk_bytes = registry.AddGauge("failsafe_metrics_chunk_bytes",
                                        "Bytes of compressed samples in the in-memory store.");
  auto& appended = registry.AddCounter("failsafe_metrics_samples_appended_total",
                                       "Samples stored in the in-memory store.");
  auto& dropped = registry.AddCounter(
      "failsafe_metrics_samples_dropped_total",
      "Samples the in-memory store refused: out_of_order (older than the series' newest), "
      "duplicate (same timestamp), series_limit (a new series over max_series).",
      {"reason"});
  auto& expired = registry.AddCounter("failsafe_metrics_series_expired_total",
                                      "Series dropped after the retention without new samples.");
  // The store keeps totals; counters only grow by the difference since the last render.
  struct Last {
    std::mutex mu;
    MemoryStoreStats stats;
  };
  auto last = std::make_shared<Last>();
  registry.AddCollector([&, last] {
    const MemoryStoreStats now = store.Stats();
    std::lock_guard lock(last->mu);
    const MemoryStoreStats& before = last->stats;
    series.With({}).Set(static_cast<double>(now.series));
    chunk_bytes.With({}).Set(static_cast<double>(now.chunk_bytes));
    appended.With({}).Inc(static_cast<double>(now.samples_appended - before.samples_appended));
    dropped.With({"out_of_order"})
        .Inc(static_cast<double>(now.out_of_order_dropped - before.out_of_order_dropped));
    dropped.With({"duplicate"})
        .Inc(static_cast<double>(now.duplicate_dropped - before.duplicate_dropped));
    dropped.With({"series_limit"})
        .Inc(static_cast<double>(now.series_cap_dropped - before.series_cap_dropped));
    expired.With({}).Inc(static_cast<double>(now.series_expired - before.series_expired));
    last->stats = now;
  });
}

}  // namespace failsafe::watch

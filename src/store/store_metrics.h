#pragma once
// Internal: the store's own metrics, shared by both engines.
//   failsafe_store_seconds{engine,kind="read"|"write"}  histogram, LatencyBuckets()
//   failsafe_store_errors_total{engine,code}             counter
// Children are resolved once so the hot path is two atomic adds. Thread-safe.
#include <chrono>

#include "base/metrics.h"
#include "store/store.h"

namespace failsafe::store {

class StoreMetrics {
 public:
  enum class Kind { kRead, kWrite };

  // A null registry disables recording. Registers the families in `registry` (once per store).
  StoreMetrics(metrics::Registry* registry, Engine engine);

  void Record(Kind kind, std::chrono::steady_clock::duration elapsed, const Status& status);

 private:
  std::string engine_;
  metrics::Histogram* read_seconds_ = nullptr;
  metrics::Histogram* write_seconds_ = nullptr;
  metrics::Family<metrics::Counter>* errors_ = nullptr;
};

}  // namespace failsafe::store

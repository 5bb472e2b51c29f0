#include "store/store_metrics.h"

namespace failsafe::store {

StoreMetrics::StoreMetrics(metrics::Registry* registry, Engine engine)
    : engine_(EngineName(engine)) {
  if (registry == nullptr) return;
  auto& seconds =
      registry->AddHistogram("failsafe_store_seconds", "Time spent in store transactions, by kind.",
                             {"engine", "kind"}, metrics::LatencyBuckets());
  read_seconds_ = &seconds.With({engine_, "read"});
  write_seconds_ = &seconds.With({engine_, "write"});
  errors_ =
      &registry->AddCounter("failsafe_store_errors_total",
                            "Store transactions that failed, by error code.", {"engine", "code"});
}

void StoreMetrics::Record(Kind kind, std::chrono::steady_clock::duration elapsed,
                          const Status& status) {
  if (errors_ == nullptr) return;
  double seconds = std::chrono::duration<double>(elapsed).count();
  (kind == Kind::kRead ? read_seconds_ : write_seconds_)->Observe(seconds);
  if (!status.ok()) errors_->With({engine_, std::string(CodeName(status.code()))}).Inc();
}

}  // namespace failsafe::store

#pragma once
// Exposes the series store's own numbers on the server's /metrics (base/metrics.h), so its
// drops are visible: series held, samples appended, samples dropped by reason, series
// expired, chunk memory. Read from MemoryStore::Stats() at each render.
#include "base/metrics.h"
#include "watch/metrics/memory_store.h"

namespace failsafe::watch {

// Registers failsafe_metrics_* families on `registry`; `store` must outlive it.
void RegisterStoreMetrics(metrics::Registry& registry, const MemoryStore& store);

}  // namespace failsafe::watch

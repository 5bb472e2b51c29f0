#include "watch/metrics/store_metrics.h"

#include <gtest/gtest.h>

#include "watch/metrics/exposition.h"

namespace failsafe::watch {
namespace {

double ValueOf(const std::string& text, const std::string& series) {
  auto page = ParseExposition(text, {});
  EXPECT_TRUE(page.has_value());
  for (const ParsedSample& s : page->samples) {
    if (FormatLabels(s.labels) == series) return s.value;
  }
  return -1;
}

TEST(StoreMetrics, DropsAreVisibleOnTheServersMetricsPage) {
  MemoryStore store({.max_series = 1});
  metrics::Registry registry;
  RegisterStoreMetrics(registry, store);
  Labels a = *MakeLabels({{"__name__", "a"}});
  store.Append(a, {2000, 1});
  store.Append(a, {1000, 1});                                 // out of order
  store.Append(a, {2000, 1});                                 // duplicate
  store.Append(*MakeLabels({{"__name__", "b"}}), {2000, 1});  // over max_series
  std::string text = registry.RenderText();
  EXPECT_EQ(ValueOf(text, "failsafe_metrics_series"), 1);
  EXPECT_EQ(ValueOf(text, "failsafe_metrics_samples_appended_total"), 1);
  EXPECT_EQ(ValueOf(text, "failsafe_metrics_samples_dropped_total{reason=\"out_of_order\"}"), 1);
  EXPECT_EQ(ValueOf(text, "failsafe_metrics_samples_dropped_total{reason=\"duplicate\"}"), 1);
  EXPECT_EQ(ValueOf(text, "failsafe_metrics_samples_dropped_total{reason=\"series_limit\"}"), 1);
  store.Append(a, {3000, 1});
  text = registry.RenderText();  // counters grow by the difference, not the total again
  EXPECT_EQ(ValueOf(text, "failsafe_metrics_samples_appended_total"), 2);
  EXPECT_EQ(ValueOf(text, "failsafe_metrics_samples_dropped_total{reason=\"duplicate\"}"), 1);
}

}  // namespace
}  // namespace failsafe::watch

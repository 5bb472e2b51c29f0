#include "base/metrics.h"

#include <gtest/gtest.h>

namespace failsafe::metrics {
namespace {

TEST(Metrics, RendersCountersWithEscapedLabels) {
  Registry reg;
  auto& requests = reg.AddCounter("http_requests_total", "Requests.", {"route", "status"});
  requests.With({"/api/v1/users", "200"}).Inc();
  requests.With({"/api/v1/users", "200"}).Inc(2);
  requests.With({"a\"b\\c\nd", "404"}).Inc();
  std::string text = reg.RenderText();
  EXPECT_NE(text.find("# TYPE http_requests_total counter"), std::string::npos);
  EXPECT_NE(text.find("http_requests_total{route=\"/api/v1/users\",status=\"200\"} 3"),
            std::string::npos);
  EXPECT_NE(text.find("route=\"a\\\"b\\\\c\\nd\""), std::string::npos);
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  Registry reg;
  auto& h = reg.AddHistogram("latency_seconds", "Latency.", {}, {0.1, 1});
  h.With({}).Observe(0.05);
  h.With({}).Observe(0.5);
  h.With({}).Observe(5);
  std::string text = reg.RenderText();
  EXPECT_NE(text.find("latency_seconds_bucket{le=\"0.1\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("latency_seconds_bucket{le=\"1\"} 2"), std::string::npos);
  EXPECT_NE(text.find("latency_seconds_bucket{le=\"+Inf\"} 3"), std::string::npos);
  EXPECT_NE(text.find("latency_seconds_count 3"), std::string::npos);
}

TEST(Metrics, CollectorsRunAtRender) {
  Registry reg;
  auto& g = reg.AddGauge("open_things", "Things.");
  int calls = 0;
  reg.AddCollector([&] { g.With({}).Set(++calls); });
  EXPECT_NE(reg.RenderText().find("open_things 1"), std::string::npos);
  EXPECT_NE(reg.RenderText().find("open_things 2"), std::string::npos);
}

}  // namespace
}  // namespace failsafe::metrics

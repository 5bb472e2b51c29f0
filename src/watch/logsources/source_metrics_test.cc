#include "watch/logsources/source_metrics.h"

#include <gtest/gtest.h>

namespace failsafe::watch {
namespace {

TEST(SourceMetrics, CountsAppearInTheExposition) {
  metrics::Registry registry;
  SourceMetrics m(registry);
  SourceStats stats;
  m.Add("syslog-udp", &stats);
  stats.lines += 5;
  stats.malformed += 2;
  std::string text = registry.RenderText();
  EXPECT_NE(text.find("failsafe_log_source_lines_total{source=\"syslog-udp\"} 5"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find("failsafe_log_source_dropped_total{source=\"syslog-udp\",reason=\"malformed\"} 2"),
      std::string::npos)
      << text;
  stats.lines += 1;
  text = registry.RenderText();  // rendering twice does not count twice
  EXPECT_NE(text.find("failsafe_log_source_lines_total{source=\"syslog-udp\"} 6"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace failsafe::watch

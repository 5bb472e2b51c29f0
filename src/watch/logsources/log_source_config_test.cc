#include "watch/logsources/log_source_config.h"

#include <gtest/gtest.h>

namespace failsafe::watch {
namespace {

TEST(LogSourceConfig, EveryTypeWithItsOptions) {
  auto specs = ParseLogSourcesYaml(R"(
log_sources:
  - name: auth
    type: file
    path: /var/log/auth.log
    max_line_bytes: 4096
    start_at_end: true
  - name: syslog
    type: syslog-udp
    listen: 0.0.0.0:5514
    timezone: Asia/Shanghai
  - name: syslog-tcp
    type: syslog-tcp
    listen: 0.0.0.0:5514
    max_connections: 10
    idle_timeout: 2m
  - name: ci
    type: http
    max_lines: 500
  - name: stdin
    type: stdin
)");
  ASSERT_TRUE(specs) << specs.error().ToString();
  ASSERT_EQ(specs->size(), 5u);
  const auto& s = *specs;
  EXPECT_EQ(s[0].type, LogSourceType::kFile);
  EXPECT_EQ(s[0].file.pattern, "/var/log/auth.log");
  EXPECT_EQ(s[0].file.max_line_bytes, 4096u);
  EXPECT_TRUE(s[0].file.start_at_end);
  EXPECT_EQ(s[1].type, LogSourceType::kSyslogUdp);
  EXPECT_EQ(s[1].syslog.source, "syslog");
  EXPECT_EQ(s[1].syslog.timezone, "Asia/Shanghai");
  EXPECT_EQ(s[2].syslog.max_connections, 10u);
  EXPECT_EQ(s[2].syslog.idle_timeout_ms, 120'000);
  EXPECT_EQ(s[3].http.source, "http:ci");
  EXPECT_EQ(s[3].http.max_lines, 500u);
  EXPECT_EQ(s[4].stdin.source, "stdin");
}

TEST(LogSourceConfig, ErrorsNameEntryKeyAndLine) {
  struct Case {
    const char* yaml;
    const char* field;
    const char* message;
  } cases[] = {
      {"log_sources:\n  - name: a\n    type: fil\n", "log_sources[0].type",
       "(line 3): 'fil' is not one of"},
      {"log_sources:\n  - type: file\n", "log_sources[0]", "'name' is required"},
      {"log_sources:\n  - name: a\n    type: file\n", "log_sources[0]", "'path' is required"},
      {"log_sources:\n  - name: a\n    type: file\n    path: x\n    listen: :1\n",
       "log_sources[0].listen", "(line 5): key 'listen' is unknown"},
      {"log_sources:\n  - name: a\n    type: syslog-udp\n    listen: 0.0.0.0:1\n    timezone: "
       "Mars/Base\n",
       "log_sources[0].timezone", "not a time zone"},
      {"log_sources:\n  - name: a\n    type: syslog-tcp\n    listen: 0.0.0.0:1\n    idle_timeout: "
       "soon\n",
       "log_sources[0].idle_timeout", "(line 5)"},
      {"log_sources:\n  - name: a\n    type: stdin\n    max_line_bytes: 0\n",
       "log_sources[0].max_line_bytes", "whole number"},
      {"log_sources:\n  - name: a\n    type: stdin\n  - name: a\n    type: stdin\n",
       "log_sources[1].name", "used by an earlier source"},
      {"log_sources:\n  - {name: u, type: syslog-udp, listen: ':5514'}\n  - {name: v, type: "
       "syslog-udp, listen: ':5514'}\n",
       "log_sources[1].listen", "used by an earlier source"},
      {"log_sources:\n  - name: 'has space'\n    type: stdin\n", "log_sources[0].name",
       "letters, digits"},
      {"log_sources: yes\n", "log_sources", "expected a list"},
  };
  for (const Case& c : cases) {
    auto r = ParseLogSourcesYaml(c.yaml);
    ASSERT_FALSE(r) << c.yaml;
    EXPECT_EQ(r.error().field(), c.field) << c.yaml << "\n" << r.error().ToString();
    EXPECT_NE(r.error().message().find(c.message), std::string::npos) << c.yaml << "\n"
                                                                      << r.error().ToString();
  }
  auto broken = ParseLogSourcesYaml("log_sources: [\n");
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message().find("invalid YAML"), std::string::npos);
  auto none = ParseLogSourcesYaml("other: 1\n");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace failsafe::watch

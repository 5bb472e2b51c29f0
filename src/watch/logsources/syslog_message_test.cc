#include "watch/logsources/syslog_message.h"

#include <gtest/gtest.h>

#include "base/clock.h"

namespace failsafe::watch {
namespace {

int64_t Utc(const char* rfc3339) {
  return *ParseRfc3339(rfc3339);
}

SyslogParseOptions At(const char* now, const char* zone = "UTC") {
  return {*LocalZone::Find(zone), Utc(now)};
}

TEST(Rfc3164, FullHeader) {
  auto m =
      ParseSyslog("<38>Nov 22 06:46:35 web1 sshd[4242]: Failed password for root from 203.0.113.7",
                  At("2026-11-22T07:00:00Z"));
  ASSERT_TRUE(m) << m.error().ToString();
  EXPECT_EQ(m->format, SyslogMessage::Format::kRfc3164);
  EXPECT_TRUE(m->had_pri);
  EXPECT_EQ(m->facility, 4);
  EXPECT_EQ(m->severity, 6);
  EXPECT_EQ(m->time_ms, Utc("2026-11-22T06:46:35Z"));
  EXPECT_EQ(m->host, "web1");
  EXPECT_EQ(m->app, "sshd");
  EXPECT_EQ(m->procid, "4242");
  EXPECT_EQ(m->message, "Failed password for root from 203.0.113.7");
  EXPECT_EQ(m->line, "Nov 22 06:46:35 web1 sshd[4242]: Failed password for root from 203.0.113.7");
}

TEST(Rfc3164, WithoutPriIsALineFromAFile) {
  auto m =
      ParseSyslog("Nov  2 06:46:35 web1 CRON[99]: (root) CMD (true)\n", At("2026-11-22T07:00:00Z"));
  ASSERT_TRUE(m) << m.error().ToString();
  EXPECT_FALSE(m->had_pri);
  EXPECT_EQ(m->facility, 1);
  EXPECT_EQ(m->severity, 5);
  EXPECT_EQ(m->time_ms, Utc("2026-11-02T06:46:35Z"));
  EXPECT_EQ(m->app, "CRON");
  EXPECT_EQ(m->line, "Nov  2 06:46:35 web1 CRON[99]: (root) CMD (true)");
}

TEST(Rfc3164, WithoutHostnameTheFirstWordIsTheTag) {
  // What programs send to /dev/log: no HOSTNAME.
  auto m = ParseSyslog("<13>Nov 22 06:46:35 myapp[7]: started", At("2026-11-22T07:00:00Z"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->host, "");
  EXPECT_EQ(m->app, "myapp");
  EXPECT_EQ(m->procid, "7");
  EXPECT_EQ(m->message, "started");
  auto k = ParseSyslog("<4>Nov 22 06:46:35 kernel: oom", At("2026-11-22T07:00:00Z"));
  ASSERT_TRUE(k);
  EXPECT_EQ(k->app, "kernel");
  EXPECT_EQ(k->procid, "");
  EXPECT_EQ(k->message, "oom");
}

TEST(Rfc3164, TagWithSlashAndNoTagAtAll) {
  auto m =
      ParseSyslog("<22>Nov 22 06:46:35 mx postfix/smtpd[1]: connect", At("2026-11-22T07:00:00Z"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->host, "mx");
  EXPECT_EQ(m->app, "postfix/smtpd");
  auto n =
      ParseSyslog("<22>Nov 22 06:46:35 switch7 link down on port 4", At("2026-11-22T07:00:00Z"));
  ASSERT_TRUE(n);
  EXPECT_EQ(n->host, "switch7");
  EXPECT_EQ(n->app, "");
  EXPECT_EQ(n->message, "link down on port 4");
}

TEST(Rfc3164, IsoTimestampAsRsyslogForwards) {
  auto m = ParseSyslog("<86>2026-11-22T14:46:35.123456+08:00 web1 sudo: pam_unix(sudo:session)",
                       At("2026-11-22T07:00:00Z"));
  ASSERT_TRUE(m) << m.error().ToString();
  EXPECT_EQ(m->time_ms, Utc("2026-11-22T06:46:35.123Z"));
  EXPECT_EQ(m->host, "web1");
  EXPECT_EQ(m->app, "sudo");
}

TEST(Rfc3164, YearInferredClosestToNow) {
  // A December line read in early January belongs to last year.
  auto dec = ParseSyslog("<13>Dec 31 23:59:58 h a: x", At("2027-01-01T00:00:05Z"));
  ASSERT_TRUE(dec);
  EXPECT_EQ(dec->time_ms, Utc("2026-12-31T23:59:58Z"));
  // A sender slightly ahead across New Year: next year.
  auto jan = ParseSyslog("<13>Jan  1 00:00:02 h a: x", At("2026-12-31T23:59:59Z"));
  ASSERT_TRUE(jan);
  EXPECT_EQ(jan->time_ms, Utc("2027-01-01T00:00:02Z"));
  // Feb 29 only exists in leap years: 2028 is the closest one that has it.
  auto leap = ParseSyslog("<13>Feb 29 12:00:00 h a: x", At("2027-12-30T00:00:00Z"));
  ASSERT_TRUE(leap);
  EXPECT_EQ(leap->time_ms, Utc("2028-02-29T12:00:00Z"));
}

TEST(Rfc3164, YearAfterTheDayAndFractions) {
  auto m = ParseSyslog("<13>Nov 22 2025 06:46:35 switch7 link down", At("2026-11-22T07:00:00Z"));
  ASSERT_TRUE(m) << m.error().ToString();
  EXPECT_EQ(m->time_ms, Utc("2025-11-22T06:46:35Z"));
  EXPECT_EQ(m->host, "switch7");
  auto f = ParseSyslog("<13>Nov 22 06:46:35.250 h a: x", At("2026-11-22T07:00:00Z"));
  ASSERT_TRUE(f);
  EXPECT_EQ(f->time_ms, Utc("2026-11-22T06:46:35.250Z"));
}

TEST(Rfc3164, LocalTimeInTheSourceZone) {
  auto m = ParseSyslog("<13>Nov 22 14:46:35 h a: x", At("2026-11-22T07:00:00Z", "Asia/Shanghai"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->time_ms, Utc("2026-11-22T06:46:35Z"));
  // Summer time in New York is UTC-4, winter UTC-5.
  auto summer =
      ParseSyslog("<13>Jul  1 08:00:00 h a: x", At("2026-07-01T12:00:00Z", "America/New_York"));
  ASSERT_TRUE(summer);
  EXPECT_EQ(summer->time_ms, Utc("2026-07-01T12:00:00Z"));
  EXPECT_FALSE(LocalZone::Find("Mars/Olympus_Mons"));
}

TEST(Rfc3164, PriWithoutTimestampIsAllMessage) {
  auto m = ParseSyslog("<13>hello there", At("2026-11-22T07:00:00Z"));
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->time_ms);
  EXPECT_EQ(m->message, "hello there");
  EXPECT_EQ(m->line, "hello there");
}

TEST(Rfc5424, FullMessageWithStructuredData) {
  auto m = ParseSyslog(
      "<165>1 2026-11-22T06:46:35.003Z mymachine.example.com evntslog 42 ID47 "
      "[exampleSDID@32473 iut=\"3\" eventSource=\"Appli\\\"cation\\]\" eventID=\"1011\"][x@1 "
      "a=\"b\\\\c\\d\"] "
      "\xEF\xBB\xBF"
      "An application event",
      At("2026-11-22T07:00:00Z"));
  ASSERT_TRUE(m) << m.error().ToString();
  EXPECT_EQ(m->format, SyslogMessage::Format::kRfc5424);
  EXPECT_EQ(m->facility, 20);
  EXPECT_EQ(m->severity, 5);
  EXPECT_EQ(m->time_ms, Utc("2026-11-22T06:46:35.003Z"));
  EXPECT_EQ(m->host, "mymachine.example.com");
  EXPECT_EQ(m->app, "evntslog");
  EXPECT_EQ(m->procid, "42");
  EXPECT_EQ(m->msgid, "ID47");
  ASSERT_EQ(m->structured_data.size(), 2u);
  EXPECT_EQ(m->structured_data[0].id, "exampleSDID@32473");
  ASSERT_EQ(m->structured_data[0].params.size(), 3u);
  EXPECT_EQ(m->structured_data[0].params[1].name, "eventSource");
  EXPECT_EQ(m->structured_data[0].params[1].value, "Appli\"cation]");
  EXPECT_EQ(m->structured_data[1].params[0].value, "b\\c\\d");  // unknown escape kept
  EXPECT_EQ(m->message, "An application event");                // BOM removed
  EXPECT_EQ(m->line,
            "2026-11-22T06:46:35.003Z mymachine.example.com evntslog[42]: An application event");
}

TEST(Rfc5424, NilValuesAndNoMessage) {
  auto m = ParseSyslog("<14>1 - - - - - -", At("2026-11-22T07:00:00Z"));
  ASSERT_TRUE(m) << m.error().ToString();
  EXPECT_FALSE(m->time_ms);
  EXPECT_EQ(m->host, "");
  EXPECT_EQ(m->app, "");
  EXPECT_TRUE(m->structured_data.empty());
  EXPECT_EQ(m->message, "");
  auto z =
      ParseSyslog("<14>1 2026-11-22T14:46:35+08:00 h app - - - msg", At("2026-11-22T07:00:00Z"));
  ASSERT_TRUE(z);
  EXPECT_EQ(z->time_ms, Utc("2026-11-22T06:46:35Z"));
  EXPECT_EQ(z->line, "2026-11-22T14:46:35+08:00 h app: msg");
}

struct BadCase {
  const char* input;
  const char* expect_in_message;
};

TEST(SyslogGarbage, ClearErrorsWithBytePositions) {
  const BadCase cases[] = {
      {"", "empty message"},
      {"\n", "empty message"},
      {"<", "PRI: expected a number after '<' at byte 1"},
      {"<abc>x", "PRI: expected a number after '<' at byte 1"},
      {"<13", "PRI: expected '>' after the number at byte 3"},
      {"<192>Nov 22 06:46:35 h a: x", "PRI: value above 191"},
      {"<9999>x", "PRI: value above 191"},
      {"<013>x", "leading zero"},
      {"random junk without header", "not a syslog message"},
      {"<13>Nov 32 06:46:35 h a: x", "day 32 out of range"},
      {"<13>Nov 22 25:46:35 h a: x", "hour 25 out of range"},
      {"<13>2026-13-22T06:46:35Z h a: x", "expected a month 01-12"},
      {"<13>2026-11-22T06:46:35 h a: x", "expected 'Z' or a zone offset"},
      {"<13>1 2026-11-22T06:46:35Z", "expected a space after TIMESTAMP at byte 26"},
      {"<13>1 yesterday h a - - - x", "TIMESTAMP at byte 6"},
      {"<13>1 - h a p", "message ends after PROCID at byte 13"},
      {"<13>1 - h\x01 a p m - x", "HOSTNAME: character outside printable ASCII at byte 9"},
      {"<13>1 - h a p m [id a=\"b] x", "value not closed"},
      {"<13>1 - h a p m [id a=b] x", "SD-PARAM: expected '\"' to open the value at byte 22"},
      {"<13>1 - h a p m [id", "SD-ELEMENT: expected ']'"},
      {"<13>1 - h a p m x", "STRUCTURED-DATA: expected '-' or '[' at byte 16"},
      {"<13>1 - h a p m -x", "expected a space before MSG at byte 17"},
      {"<13>1 - h a p 012345678901234567890123456789012 - x", "MSGID: longer than 32 bytes"},
  };
  for (const BadCase& c : cases) {
    auto m = ParseSyslog(c.input, At("2026-11-22T07:00:00Z"));
    ASSERT_FALSE(m) << "accepted: " << c.input;
    EXPECT_NE(m.error().message().find(c.expect_in_message), std::string::npos)
        << "input: " << c.input << "\nerror: " << m.error().message();
  }
}

TEST(SyslogGarbage, BinaryJunkNeverCrashes) {
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk.push_back(static_cast<char>((i * 7919) & 0xFF));
  for (size_t len = 0; len < junk.size(); len += 97) {
    auto m = ParseSyslog(std::string_view(junk).substr(0, len), At("2026-11-22T07:00:00Z"));
    (void)m;  // either way is fine; reaching here without a crash is the point
  }
  auto with_pri = ParseSyslog("<13>" + junk, At("2026-11-22T07:00:00Z"));
  ASSERT_TRUE(with_pri);  // a PRI and no timestamp: the rest is the message, bytes as they are
  EXPECT_EQ(with_pri->message, junk);
}

TEST(SyslogToLogLine, CarriesHeaderFields) {
  auto m = ParseSyslog("<38>Nov 22 06:46:35 web1 sshd[4242]: hi", At("2026-11-22T07:00:00Z"));
  ASSERT_TRUE(m);
  LogLine l = ToLogLine(std::move(*m), "syslog-udp");
  EXPECT_EQ(l.source, "syslog-udp");
  EXPECT_EQ(l.text, "Nov 22 06:46:35 web1 sshd[4242]: hi");
  EXPECT_EQ(l.host, "web1");
  EXPECT_EQ(l.app, "sshd");
  EXPECT_EQ(l.time_ms, Utc("2026-11-22T06:46:35Z"));
}

}  // namespace
}  // namespace failsafe::watch

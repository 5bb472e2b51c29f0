// iCalendar output: structure, CRLF, escaping and folding at 75 octets without splitting UTF-8.
#include "catalog/ical.h"

#include <gtest/gtest.h>

#include "base/clock.h"

namespace failsafe::catalog {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t end = text.find("\r\n", pos);
    EXPECT_NE(end, std::string::npos) << "every line ends in CRLF";
    if (end == std::string::npos) break;
    out.push_back(text.substr(pos, end - pos));
    pos = end + 2;
  }
  return out;
}

// Undoes folding (RFC 5545 3.1): CRLF followed by one space or tab is removed.
std::string Unfold(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 3, "\r\n ") == 0) {
      i += 2;
      continue;
    }
    out += text[i];
  }
  return out;
}

TEST(Ical, CalendarHasTheRequiredPropertiesAndOneEventPerShift) {
  const int64_t start = *ParseRfc3339("2026-01-05T01:00:00Z");
  const std::vector<CalendarEvent> events = {
      {"primary-1@failsafe", start, start + 7 * 86400000LL, "On call: Alice (alice)", ""},
      {"primary-2@failsafe", start + 7 * 86400000LL, start + 14 * 86400000LL, "On call: Bob (bob)",
       "weekly"},
  };
  const std::string ics = RenderCalendar("Primary", events, start);
  const auto lines = Lines(ics);
  ASSERT_GE(lines.size(), 4u);
  EXPECT_EQ(lines.front(), "BEGIN:VCALENDAR");
  EXPECT_EQ(lines.back(), "END:VCALENDAR");
  EXPECT_NE(ics.find("\r\nVERSION:2.0\r\n"), std::string::npos);
  EXPECT_NE(ics.find("\r\nPRODID:"), std::string::npos);
  size_t begins = 0;
  for (const auto& l : lines) begins += l == "BEGIN:VEVENT";
  EXPECT_EQ(begins, 2u);
  EXPECT_NE(ics.find("UID:primary-1@failsafe\r\n"), std::string::npos);
  EXPECT_NE(ics.find("DTSTART:20260105T010000Z\r\n"), std::string::npos);
  EXPECT_NE(ics.find("DTEND:20260112T010000Z\r\n"), std::string::npos);
  EXPECT_NE(ics.find("DTSTAMP:20260105T010000Z\r\n"), std::string::npos);
  EXPECT_NE(ics.find("SUMMARY:On call: Alice (alice)\r\n"), std::string::npos);
  EXPECT_EQ(ics.find("\n\n"), std::string::npos);
  for (size_t i = 0; i < ics.size(); ++i) {
    if (ics[i] == '\n') {
      EXPECT_EQ(ics[i - 1], '\r') << "bare LF at " << i;
    }
  }
}

TEST(Ical, TextIsEscaped) {
  EXPECT_EQ(EscapeIcalText("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
  EXPECT_EQ(EscapeIcalText(std::string("x\x01y", 3)), "x y");
}

TEST(Ical, LongLinesFoldAt75OctetsWithoutSplittingUtf8) {
  std::string summary = "SUMMARY:";
  for (int i = 0; i < 40; ++i) summary += "值班";  // 3 octets per character
  const std::string folded = FoldIcalLine(summary);
  for (const auto& line : Lines(folded)) {
    EXPECT_LE(line.size(), 75u) << line;
    // A continuation starts with one space and then a whole character.
    if (line[0] == ' ') {
      EXPECT_NE(static_cast<unsigned char>(line[1]) & 0xC0, 0x80) << "split a UTF-8 sequence";
    }
  }
  EXPECT_EQ(Unfold(folded), summary + "\r\n");

  const std::string ascii(200, 'x');
  const auto lines = Lines(FoldIcalLine(ascii));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].size(), 75u);
  EXPECT_EQ(lines[1].size(), 75u);  // the space + 74 octets
  EXPECT_EQ(Unfold(FoldIcalLine(ascii)), ascii + "\r\n");
  EXPECT_EQ(FoldIcalLine("SHORT"), "SHORT\r\n");
}

TEST(Ical, UtcTimes) {
  EXPECT_EQ(IcalUtcTime(0), "19700101T000000Z");
  EXPECT_EQ(IcalUtcTime(*ParseRfc3339("2026-03-08T07:00:00.999Z")), "20260308T070000Z");
}

}  // namespace
}  // namespace failsafe::catalog

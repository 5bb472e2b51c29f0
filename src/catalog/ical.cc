#include "catalog/ical.h"

#include <date/date.h>

#include <chrono>

namespace failsafe::catalog {
namespace {

constexpr size_t kMaxOctets = 75;

bool IsUtf8Continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

}  // namespace

std::string EscapeIcalText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ';': out += "\\;"; break;
      case ',': out += "\\,"; break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        out += "\\n";
        break;
      case '\n': out += "\\n"; break;
      default:
        // Other control characters are not allowed in TEXT (RFC 5545 3.3.11).
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string FoldIcalLine(std::string_view line) {
  std::string out;
  size_t limit = kMaxOctets;  // the first line holds 75 octets, continuations 74 + the space
  while (line.size() > limit) {
    size_t cut = limit;
    while (cut > 0 && IsUtf8Continuation(static_cast<unsigned char>(line[cut]))) --cut;
    out.append(line.substr(0, cut));
    out += "\r\n ";
    line.remove_prefix(cut);
    limit = kMaxOctets - 1;
  }
  out.append(line);
  out += "\r\n";
  return out;
}

std::string IcalUtcTime(int64_t unix_ms) {
  const date::sys_time<std::chrono::milliseconds> tp{std::chrono::milliseconds{unix_ms}};
  return date::format("%Y%m%dT%H%M%SZ", date::floor<std::chrono::seconds>(tp));
}

std::string RenderCalendar(std::string_view name, const std::vector<CalendarEvent>& events,
                           int64_t stamp_ms) {
  std::string out;
  auto line = [&out](std::string_view text) { out += FoldIcalLine(text); };
  line("BEGIN:VCALENDAR");
  line("VERSION:2.0");
  line("PRODID:-//failsafe//on-call schedule//EN");
  line("CALSCALE:GREGORIAN");
  line("METHOD:PUBLISH");
  line("X-WR-CALNAME:" + EscapeIcalText(name));
  const std::string stamp = IcalUtcTime(stamp_ms);
  for (const CalendarEvent& e : events) {
    line("BEGIN:VEVENT");
    line("UID:" + EscapeIcalText(e.uid));
    line("DTSTAMP:" + stamp);
    line("DTSTART:" + IcalUtcTime(e.start_ms));
    line("DTEND:" + IcalUtcTime(e.end_ms));
    line("SUMMARY:" + EscapeIcalText(e.summary));
    if (!e.description.empty()) line("DESCRIPTION:" + EscapeIcalText(e.description));
    line("TRANSP:TRANSPARENT");
    line("END:VEVENT");
  }
  line("END:VCALENDAR");
  return out;
}

}  // namespace failsafe::catalog

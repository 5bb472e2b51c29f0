#include "watch/logsources/syslog_intake.h"

#include "watch/logsources/line_splitter.h"

namespace failsafe::watch {

void SyslogIntake::Handle(std::string_view raw, bool truncated) {
  stats_.bytes.fetch_add(raw.size(), std::memory_order_relaxed);
  if (truncated) stats_.truncated.fetch_add(1, std::memory_order_relaxed);
  SyslogParseOptions options{zone_, clock_.NowMillis()};
  auto parsed = ParseSyslog(raw, options);
  if (!parsed) {
    stats_.malformed.fetch_add(1, std::memory_order_relaxed);
    stats_.SetLastError(parsed.error().message());
    return;
  }
  LogLine line = ToLogLine(std::move(*parsed), source_);
  // Rules and JSON output want valid text; syslog carries whatever bytes the sender had.
  bool repaired = false;
  for (std::string* field : {&line.text, &line.host, &line.app}) {
    bool ascii = true;
    for (unsigned char c : *field) ascii &= c < 0x80;
    if (ascii) continue;
    std::string clean;
    if (AppendSanitizedUtf8(*field, &clean) > 0) *field = std::move(clean), repaired = true;
  }
  if (repaired) stats_.invalid_utf8.fetch_add(1, std::memory_order_relaxed);
  stats_.lines.fetch_add(1, std::memory_order_relaxed);
  sink_(std::move(line));
}

}  // namespace failsafe::watch

#pragma once
// Parsing one syslog message (RFC 3164 "BSD" and RFC 5424) into its header fields and the
// LogLine the log rules see. Real senders bend RFC 3164 a lot, so its parser accepts a missing
// PRI, a missing HOSTNAME, an RFC 3339 timestamp in the BSD slot (rsyslog's forwarding format)
// and a missing TAG; RFC 5424 is parsed strictly. Anything else is an error naming what is
// wrong and at which byte, never a crash.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "watch/logsources/log_line.h"
#include "watch/logsources/syslog_time.h"

namespace failsafe::watch {

struct SdParam {
  std::string name;
  std::string value;  // escapes (\" \\ \]) resolved
};

struct SdElement {
  std::string id;
  std::vector<SdParam> params;
};

struct SyslogMessage {
  enum class Format { kRfc3164, kRfc5424 };
  Format format = Format::kRfc3164;
  bool had_pri = false;            // false: RFC 3164 without "<PRI>", defaults used
  int facility = 1;                // user (RFC 3164's default when PRI is missing)
  int severity = 5;                // notice
  std::optional<int64_t> time_ms;  // nullopt: no timestamp, or RFC 5424 NILVALUE
  std::string host;                // empty: missing or NILVALUE
  std::string app;                 // RFC 3164 TAG without [pid], RFC 5424 APP-NAME
  std::string procid;              // RFC 3164 "[pid]", RFC 5424 PROCID
  std::string msgid;               // RFC 5424 only
  std::vector<SdElement> structured_data;
  std::string message;  // MSG, UTF-8 BOM removed
  // The line the rules match. RFC 3164: the text after "<PRI>", exactly as a syslog daemon
  // writes it to /var/log/auth.log. RFC 5424: "TIMESTAMP HOST APP[PROCID]: MSG" (the shape of
  // rsyslog's file format), so one rule fits both formats.
  std::string line;
};

struct SyslogParseOptions {
  LocalZone zone;      // for timestamps without an offset (the BSD format)
  int64_t now_ms = 0;  // for the year the BSD format leaves out
};

// Parses one message (without transport framing; a trailing "\n" or "\r\n" is ignored).
Result<SyslogMessage> ParseSyslog(std::string_view input, const SyslogParseOptions& options);

// The LogLine for a parsed message, attributed to `source`.
LogLine ToLogLine(SyslogMessage&& message, std::string source);

}  // namespace failsafe::watch

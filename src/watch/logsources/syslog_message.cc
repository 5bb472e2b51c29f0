#include "watch/logsources/syslog_message.h"

namespace failsafe::watch {

Result<SyslogMessage> ParseRfc3164(std::string_view input, size_t body, SyslogMessage msg,
                                   const SyslogParseOptions& options);
Result<SyslogMessage> ParseRfc5424(std::string_view input, size_t body, SyslogMessage msg);

namespace {

Status Bad(std::string what, size_t pos, std::string field) {
  return InvalidArgument("syslog: " + what + " at byte " + std::to_string(pos), std::move(field));
}

}  // namespace

Result<SyslogMessage> ParseSyslog(std::string_view input, const SyslogParseOptions& options) {
  while (!input.empty() && (input.back() == '\n' || input.back() == '\r')) input.remove_suffix(1);
  if (input.empty()) return Err(Bad("empty message", 0, "message"));
  SyslogMessage msg;
  size_t pos = 0;
  if (input[0] == '<') {
    // PRI: 1 to 3 digits, no leading zeros except "<0>", at most 191 (facility 23, severity 7).
    pos = 1;
    int pri = 0;
    size_t digits = 0;
    while (pos < input.size() && input[pos] >= '0' && input[pos] <= '9' && digits < 4) {
      pri = pri * 10 + (input[pos] - '0');
      ++pos;
      ++digits;
    }
    if (digits == 0) return Err(Bad("PRI: expected a number after '<'", pos, "pri"));
    if (digits > 3 || pri > 191) return Err(Bad("PRI: value above 191", 1, "pri"));
    if (digits > 1 && input[1] == '0') return Err(Bad("PRI: leading zero", 1, "pri"));
    if (pos >= input.size() || input[pos] != '>') {
      return Err(Bad("PRI: expected '>' after the number", pos, "pri"));
    }
    ++pos;
    msg.had_pri = true;
    msg.facility = pri / 8;
    msg.severity = pri % 8;
    // "<PRI>1 " is RFC 5424's VERSION; a BSD timestamp never starts with "1 ".
    if (input.size() > pos + 1 && input[pos] == '1' && input[pos + 1] == ' ') {
      msg.format = SyslogMessage::Format::kRfc5424;
      return ParseRfc5424(input, pos + 2, std::move(msg));
    }
  }
  return ParseRfc3164(input, pos, std::move(msg), options);
}

LogLine ToLogLine(SyslogMessage&& message, std::string source) {
  LogLine line;
  line.source = std::move(source);
  line.text = std::move(message.line);
  line.time_ms = message.time_ms;
  line.host = std::move(message.host);
  line.app = std::move(message.app);
  return line;
}

}  // namespace failsafe::watch

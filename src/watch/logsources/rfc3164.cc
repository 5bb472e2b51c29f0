// RFC 3164 as real daemons send it: "<PRI>Mmm dd hh:mm:ss HOST TAG[PID]: MSG" and its
// variants (no PRI, no HOST, an RFC 3339 timestamp, no TAG).
#include "watch/logsources/syslog_message.h"

namespace failsafe::watch {
namespace {

Status Bad(std::string what, size_t pos, std::string field) {
  return InvalidArgument("syslog: " + what + " at byte " + std::to_string(pos), std::move(field));
}

// A TAG is a program name (letters, digits, "/-._") of at most 48 characters, optionally
// followed by "[PID]", then ':'. Returns the length up to and including ':' or 0.
size_t TagLength(std::string_view s, std::string* app, std::string* procid) {
  size_t i = 0;
  while (i < s.size() && i <= 48 && s[i] != ' ' && s[i] != '[' && s[i] != ':') ++i;
  if (i == 0 || i > 48 || i >= s.size()) return 0;
  size_t end = i;
  std::string_view pid;
  if (s[i] == '[') {
    const size_t close = s.find(']', i);
    if (close == std::string_view::npos || close - i > 129) return 0;
    pid = s.substr(i + 1, close - i - 1);
    end = close + 1;
  }
  if (end >= s.size() || s[end] != ':') return 0;
  *app = std::string(s.substr(0, i));
  *procid = std::string(pid);
  return end + 1;
}

}  // namespace

Result<SyslogMessage> ParseRfc3164(std::string_view input, size_t body, SyslogMessage msg,
                                   const SyslogParseOptions& options) {
  msg.line = std::string(input.substr(body));
  std::string_view rest = input.substr(body);
  size_t pos = body;
  size_t consumed = 0;
  if (LooksLikeRfc3339(rest)) {
    auto t = ParseRfc3339Prefix(rest, &consumed);
    if (!t) {
      return Err(t.error().WithContext("syslog: timestamp at byte " + std::to_string(pos)));
    }
    msg.time_ms = *t;
  } else {
    auto t = ParseBsdTimestampPrefix(rest, options.zone, options.now_ms, &consumed);
    if (!t) return Err(t.error().WithContext("syslog: timestamp at byte " + std::to_string(pos)));
    msg.time_ms = *t;
  }
  if (!msg.time_ms) {
    // RFC 3164 4.3.3: with a PRI but no valid timestamp, everything after PRI is the message.
    if (!msg.had_pri) {
      return Err(Bad("not a syslog message: expected '<PRI>' or a timestamp", 0, "timestamp"));
    }
    msg.message = std::string(rest);
    return msg;
  }
  pos += consumed;
  rest.remove_prefix(consumed);
  if (rest.empty()) return msg;
  if (rest[0] != ' ') return Err(Bad("expected a space after the timestamp", pos, "timestamp"));
  while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1), ++pos;

  // The first word is the TAG when it has the TAG's shape ("sshd[42]:"), since senders on the
  // local socket leave HOSTNAME out; otherwise it is HOSTNAME and the TAG may follow.
  if (size_t n = TagLength(rest, &msg.app, &msg.procid); n > 0) {
    rest.remove_prefix(n);
  } else {
    const size_t sp = rest.find(' ');
    msg.host = std::string(rest.substr(0, sp));
    rest = sp == std::string_view::npos ? std::string_view{} : rest.substr(sp + 1);
    if (size_t m = TagLength(rest, &msg.app, &msg.procid); m > 0) rest.remove_prefix(m);
  }
  if (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
  msg.message = std::string(rest);
  return msg;
}

}  // namespace failsafe::watch

#pragma once
// One line of log as every source hands it to the log rules: files, syslog (UDP/TCP),
// lines pushed over HTTP, standard input.
#include <cstdint>
#include <optional>
#include <string>

namespace failsafe::watch {

struct LogLine {
  std::string source;  // the source's name: a file path, "syslog-udp", "http:<token name>", "stdin"
  // The message as a rule sees it. Syslog RFC 3164: the line as received without "<PRI>" (as
  // it appears in /var/log/auth.log); RFC 5424: "TIMESTAMP HOST APP[PROCID]: MSG".
  std::string text;
  // When the line says when it happened (the syslog header's timestamp); rules otherwise read
  // the time from the text. Unix milliseconds.
  std::optional<int64_t> time_ms;
  std::string host;  // the syslog HOSTNAME, when known
  std::string app;   // the syslog APP-NAME / TAG, when known
};

}  // namespace failsafe::watch

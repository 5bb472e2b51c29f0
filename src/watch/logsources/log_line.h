#pragma once
// One line of log as every source hands it to the log rules: files, syslog (UDP/TCP),
// lines pushed over HTTP, standard input.
#include <cstdint>
#include <optional>
#include <string>

namespace failsafe::watch {

struct LogLine {
  std::string source;  // the source's name: a file path, "syslog-udp", "http:<token name>", "stdin"
  std::string text;    // the message as a rule sees it (for syslog: the whole line as received)
  // When the line says when it happened (the syslog header's timestamp); rules otherwise read
  // the time from the text. Unix milliseconds.
  std::optional<int64_t> time_ms;
  std::string host;  // the syslog HOSTNAME, when known
  std::string app;   // the syslog APP-NAME / TAG, when known
};

}  // namespace failsafe::watch

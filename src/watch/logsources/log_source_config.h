#pragma once
// The `log_sources` list of the configuration (docs/watch/logsources.md), checked and turned
// into the options of each source. Errors name the entry, the key and the line:
// "log_sources[2].listen (line 14): listen port '99999' is not 0..65535".
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "watch/logsources/file_tailer.h"
#include "watch/logsources/http_push.h"
#include "watch/logsources/stdin_reader.h"
#include "watch/logsources/syslog_listener.h"

namespace YAML {
class Node;
}

namespace failsafe::watch {

enum class LogSourceType { kFile, kSyslogUdp, kSyslogTcp, kHttp, kStdin };

struct LogSourceSpec {
  std::string name;  // unique; the syslog and http sources use it as LogLine.source
  LogSourceType type = LogSourceType::kFile;
  TailOptions file;  // kFile; state_path is left for the caller (<data dir>/logsources/NAME.json)
  SyslogListenerOptions syslog;  // kSyslogUdp, kSyslogTcp
  PushOptions http;              // kHttp
  StdinOptions stdin;            // kStdin
};

// `list` is the YAML sequence under `log_sources`.
Result<std::vector<LogSourceSpec>> ParseLogSources(const YAML::Node& list);
// A whole YAML document with a top-level `log_sources` key (absent: no sources).
Result<std::vector<LogSourceSpec>> ParseLogSourcesYaml(std::string_view text);

}  // namespace failsafe::watch

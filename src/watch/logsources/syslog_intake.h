#pragma once
// SyslogIntake: what every syslog transport does with one received message: parse it, count
// it (or the reason it was dropped), repair invalid UTF-8, and hand the LogLine to the sink.
#include <functional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "watch/logsources/log_line.h"
#include "watch/logsources/source_stats.h"
#include "watch/logsources/syslog_message.h"

namespace failsafe::watch {

// Receives the lines a source produces. Called on the source's own thread; must not block
// for long (a slow sink slows the socket, and UDP then drops in the kernel).
using LogSink = std::function<void(LogLine&&)>;

class SyslogIntake {
 public:
  SyslogIntake(std::string source, LocalZone zone, const Clock& clock, LogSink sink)
      : source_(std::move(source)), zone_(std::move(zone)), clock_(clock), sink_(std::move(sink)) {}

  // One message as framed by the transport. `truncated`: the transport cut it to its limit.
  void Handle(std::string_view raw, bool truncated);
  SourceStats& stats() { return stats_; }

 private:
  std::string source_;
  LocalZone zone_;
  const Clock& clock_;
  LogSink sink_;
  SourceStats stats_;
};

}  // namespace failsafe::watch

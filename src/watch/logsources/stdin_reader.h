#pragma once
// Reading log lines from standard input (or any file descriptor) to its end, with the caps of
// the file tailer: `failsafe logs test` and pipes into `failsafe logs ...`.
#include <string>

#include "base/result.h"
#include "watch/logsources/line_splitter.h"
#include "watch/logsources/source_stats.h"
#include "watch/logsources/syslog_intake.h"

namespace failsafe::watch {

struct StdinOptions {
  std::string source = "stdin";  // LogLine.source
  size_t max_line_bytes = kDefaultMaxLineBytes;
  int fd = 0;
};

// Blocks until end of input; the last line needs no newline. Internal on a read error.
Status ReadLines(const StdinOptions& options, const LogSink& sink, SourceStats& stats);

}  // namespace failsafe::watch

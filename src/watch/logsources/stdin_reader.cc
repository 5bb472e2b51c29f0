#include "watch/logsources/stdin_reader.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace failsafe::watch {

Status ReadLines(const StdinOptions& options, const LogSink& sink, SourceStats& stats) {
  LineSplitter splitter(options.max_line_bytes);
  std::vector<char> buf(64 * 1024);
  const auto emit = [&](const SplitLine& line) { sink(MakeLogLine(options.source, line, stats)); };
  for (;;) {
    const ssize_t n = read(options.fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Internal("reading " + options.source + ": " + std::strerror(errno));
    if (n == 0) break;
    stats.bytes.fetch_add(static_cast<uint64_t>(n), std::memory_order_relaxed);
    splitter.Feed(std::string_view(buf.data(), static_cast<size_t>(n)), emit);
  }
  splitter.Flush(emit);
  return Status::Ok();
}

}  // namespace failsafe::watch

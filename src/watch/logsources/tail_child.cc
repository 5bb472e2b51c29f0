// Test helper for tail_restart_test: tails PATTERN and appends every line it reads to OUTPUT,
// committing the tail position after each batch, forever (the test kills it with SIGKILL).
// The committed consumer note is OUTPUT's length at that commit: on start, OUTPUT is cut back
// to it, so lines written after the last commit are written again, exactly once.
// Usage: watch_tail_child PATTERN STATE OUTPUT
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>

#include "watch/logsources/file_tailer.h"

int main(int argc, char** argv) {
  using namespace failsafe::watch;
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s PATTERN STATE OUTPUT\n", argv[0]);
    return 2;
  }
  TailOptions options;
  options.pattern = argv[1];
  options.state_path = argv[2];
  options.max_bytes_per_poll = 4096;  // small batches: more commits for the kill to land in
  FileTailer tailer(options);
  if (failsafe::Status s = tailer.Open(); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  const int out = open(argv[3], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (out < 0) return 1;
  off_t length = tailer.consumer_note().empty() ? 0 : std::stoll(tailer.consumer_note());
  if (ftruncate(out, length) != 0) return 1;
  for (;;) {
    auto batch = tailer.Poll();
    if (!batch) {
      std::fprintf(stderr, "%s\n", batch.error().ToString().c_str());
      return 1;
    }
    if (batch->lines.empty()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      continue;
    }
    std::string text;
    for (const LogLine& l : batch->lines) text += l.text + "\n";
    if (pwrite(out, text.data(), text.size(), length) != static_cast<ssize_t>(text.size())) {
      return 1;
    }
    length += static_cast<off_t>(text.size());
    if (!tailer.Commit(*batch, std::to_string(length)).ok()) return 1;
  }
}

// Fuzzes the decoder of log lines pushed over HTTP, as text and as JSON: any body gives lines
// or an error, never a crash; lines respect the cap and are valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/utf8.h"
#include "watch/logsources/http_push.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace failsafe::watch;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  PushOptions options;
  options.max_line_bytes = 100;
  options.max_lines = 1000;
  for (std::string_view type : {"text/plain", "application/json"}) {
    SourceStats stats;
    auto lines = DecodePushBody(body, type, options, stats);
    if (!lines) {
      if (lines.error().message().empty()) __builtin_trap();
      continue;
    }
    for (const LogLine& l : *lines) {
      // Text bodies are repaired to UTF-8 (3 bytes per replaced byte at most); JSON is valid.
      if (l.text.size() > 3 * options.max_line_bytes) __builtin_trap();
      if (!failsafe::IsValidUtf8(l.text)) __builtin_trap();
    }
  }
  return 0;
}

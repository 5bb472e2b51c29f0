#pragma once
// Decoding a body of log lines pushed over HTTP (the lead mounts it on a route). Formats
// (docs/watch/logsources.md):
//   text/plain          one line per "\n" (a "\r" before it is dropped; empty lines skipped)
//   application/json    {"lines": [ITEM, ...]}  or  [ITEM, ...]
//     ITEM: "the line"  or  {"text": "the line", "time": "RFC 3339" | Unix ms,
//                            "host": "...", "app": "..."}  (only "text" is required)
// Lines over the cap are cut and counted; invalid UTF-8 in text bodies is replaced and counted.
// Errors name the field ("lines[3].time") or the byte offset of broken JSON.
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "watch/logsources/line_splitter.h"
#include "watch/logsources/log_line.h"
#include "watch/logsources/source_stats.h"

namespace failsafe::watch {

struct PushOptions {
  std::string source = "http";  // LogLine.source, e.g. "http:<token name>"
  size_t max_line_bytes = kDefaultMaxLineBytes;
  size_t max_lines = 100'000;  // more in one body: PayloadTooLarge
};

// `content_type` as in the header (parameters such as "; charset=utf-8" are ignored; empty
// means text/plain). UnsupportedMedia for other types. Counts go to `stats` only on success.
Result<std::vector<LogLine>> DecodePushBody(std::string_view body, std::string_view content_type,
                                            const PushOptions& options, SourceStats& stats);

}  // namespace failsafe::watch

#pragma once
// Reads a whole file (or standard input) line by line for `failsafe logs test` and the
// benchmark: big reads split on '\n' in place, no copy per line. A trailing '\r' is dropped.
// A line longer than `max_line_bytes` is handed over cut to max_line_bytes + 1 bytes (so the
// engine sees and counts it as too long) and the rest of it is skipped: memory stays bounded
// whatever the input.
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace failsafe::watch::logs {

using LineFn = std::function<void(std::string_view line)>;

// Reads from an open stream until EOF. Returns the number of lines.
Result<uint64_t> ReadLines(std::FILE* in, size_t max_line_bytes, const LineFn& fn);
// "-" reads standard input.
Result<uint64_t> ReadLinesFromPath(const std::string& path, size_t max_line_bytes,
                                   const LineFn& fn);

}  // namespace failsafe::watch::logs

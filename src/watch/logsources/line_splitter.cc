#include "watch/logsources/line_splitter.h"

namespace failsafe::watch {
namespace {

// Length of the valid UTF-8 sequence at s[0], or 0 when it is invalid (overlong forms,
// surrogates and code points past U+10FFFF are invalid, as in base/utf8).
size_t ValidSequenceLength(std::string_view s) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  const auto cont = [&](size_t i) { return i < s.size() && (b(i) & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(1) >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && b(1) >= 0x90) return 0;  // past U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

size_t AppendSanitizedUtf8(std::string_view in, std::string* out) {
  size_t replaced = 0;
  size_t i = 0;
  while (i < in.size()) {
    // Copy runs of ASCII at once: most log text is ASCII.
    size_t j = i;
    while (j < in.size() && static_cast<unsigned char>(in[j]) < 0x80) ++j;
    out->append(in.substr(i, j - i));
    i = j;
    if (i >= in.size()) break;
    const size_t n = ValidSequenceLength(in.substr(i));
    if (n == 0) {
      out->append("\xEF\xBF\xBD");
      ++replaced;
      ++i;
    } else {
      out->append(in.substr(i, n));
      i += n;
    }
  }
  return replaced;
}

LogLine MakeLogLine(const std::string& source, const SplitLine& line, SourceStats& stats) {
  LogLine l;
  l.source = source;
  if (AppendSanitizedUtf8(line.text, &l.text) > 0) {
    stats.invalid_utf8.fetch_add(1, std::memory_order_relaxed);
  }
  if (line.truncated) stats.truncated.fetch_add(1, std::memory_order_relaxed);
  stats.lines.fetch_add(1, std::memory_order_relaxed);
  return l;
}

}  // namespace failsafe::watch

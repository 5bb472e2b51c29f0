#pragma once
// Splitting a byte stream into lines with a length cap: the common core of the file tailer,
// standard input and pushed text bodies. A partial last line is held until its newline; a line
// longer than the cap is cut (the rest up to its newline is skipped) and flagged; invalid UTF-8
// is replaced by U+FFFD so rules and JSON output always see valid text.
#include <cstddef>
#include <string>
#include <string_view>

#include "watch/logsources/log_line.h"
#include "watch/logsources/source_stats.h"

namespace failsafe::watch {

inline constexpr size_t kDefaultMaxLineBytes = 64 * 1024;

// Appends `in` to `*out` with each invalid UTF-8 sequence replaced by U+FFFD. Returns how
// many replacements were made.
size_t AppendSanitizedUtf8(std::string_view in, std::string* out);

struct SplitLine {
  std::string_view text;  // without "\n" and a trailing "\r"; valid only during the callback
  bool truncated = false;
};

class LineSplitter {
 public:
  explicit LineSplitter(size_t max_line_bytes = kDefaultMaxLineBytes)
      : max_(max_line_bytes == 0 ? 1 : max_line_bytes) {}

  // Calls emit(SplitLine) for each line completed by `data`.
  template <typename Emit>
  void Feed(std::string_view data, Emit&& emit) {
    while (!data.empty()) {
      const size_t nl = data.find('\n');
      const std::string_view piece = data.substr(0, nl);
      if (skipping_) {
        // The rest of a line already emitted cut: drop it up to its newline.
        if (nl == std::string_view::npos) return;
        skipping_ = false;
      } else if (partial_.empty() && nl != std::string_view::npos && piece.size() <= max_) {
        emit(SplitLine{StripCr(piece), false});  // the common case: no copy
      } else {
        const size_t room = max_ - partial_.size();
        partial_.append(piece.substr(0, room));
        if (piece.size() > room) {
          emit(SplitLine{StripCr(partial_), true});
          partial_.clear();
          skipping_ = nl == std::string_view::npos;
        } else if (nl != std::string_view::npos) {
          emit(SplitLine{StripCr(partial_), false});
          partial_.clear();
        }
      }
      if (nl == std::string_view::npos) return;
      data.remove_prefix(nl + 1);
    }
  }

  // At the end of the input (a rotated file, end of stdin): emits the held partial line.
  template <typename Emit>
  void Flush(Emit&& emit) {
    if (!partial_.empty()) emit(SplitLine{StripCr(partial_), false});
    partial_.clear();
    skipping_ = false;
  }

  // Bytes fed but not yet part of an emitted line (the partial line held).
  size_t held_bytes() const { return partial_.size(); }
  // True while skipping the remainder of a line emitted cut.
  bool skipping() const { return skipping_; }
  void set_skipping(bool s) { skipping_ = s; }
  void Reset() {
    partial_.clear();
    skipping_ = false;
  }

 private:
  static std::string_view StripCr(std::string_view s) {
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    return s;
  }
  size_t max_;
  std::string partial_;
  bool skipping_ = false;
};

// The LogLine for a split line, counted in `stats` (lines, truncated, invalid UTF-8 repaired).
LogLine MakeLogLine(const std::string& source, const SplitLine& line, SourceStats& stats);

}  // namespace failsafe::watch

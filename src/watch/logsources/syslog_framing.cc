#include "watch/logsources/syslog_framing.h"

#include <algorithm>

namespace failsafe::watch {

namespace {
constexpr size_t kMaxLengthDigits = 10;  // more cannot be a sane octet count
}

void SyslogStreamDeframer::EmitBuffer() {
  emit_(SyslogFrame{buf_, truncated_});
  buf_.clear();
  truncated_ = false;
}

void SyslogStreamDeframer::Feed(std::string_view data) {
  size_t i = 0;
  while (i < data.size()) {
    switch (state_) {
      case State::kStart: {
        const char c = data[i];
        if (c == '\n' || c == '\r' || c == '\0') {
          ++i;  // stray terminators between frames (some senders end counted frames with LF)
        } else if (c >= '1' && c <= '9') {
          state_ = State::kLength;
        } else {
          state_ = State::kLine;
        }
        break;
      }
      case State::kLength: {
        const char c = data[i];
        if (c >= '0' && c <= '9' && length_digits_.size() < kMaxLengthDigits) {
          length_digits_.push_back(c);
          ++i;
        } else if (c == ' ' && !length_digits_.empty()) {
          remaining_ = std::stoull(length_digits_);
          length_digits_.clear();
          ++i;
          state_ = State::kOctets;
          if (remaining_ == 0) EmitBuffer(), state_ = State::kStart;
        } else {
          // Not a count after all ("2026-11-22T..." without PRI): a newline-framed message
          // that starts with these digits.
          buf_ = std::move(length_digits_);
          length_digits_.clear();
          state_ = State::kLine;
        }
        break;
      }
      case State::kOctets: {
        const size_t take = std::min(remaining_, data.size() - i);
        const size_t room = max_ - std::min(max_, buf_.size());
        buf_.append(data.substr(i, std::min(take, room)));
        if (take > room) truncated_ = true;
        remaining_ -= take;
        i += take;
        if (remaining_ == 0) {
          EmitBuffer();
          state_ = State::kStart;
        }
        break;
      }
      case State::kLine: {
        const size_t nl = data.find('\n', i);
        const size_t end = nl == std::string_view::npos ? data.size() : nl;
        const size_t room = max_ - std::min(max_, buf_.size());
        if (end - i > room) truncated_ = true;
        buf_.append(data.substr(i, std::min(end - i, room)));
        i = end;
        if (nl != std::string_view::npos) {
          ++i;
          if (!buf_.empty() && buf_.back() == '\r') buf_.pop_back();
          EmitBuffer();
          state_ = State::kStart;
        }
        break;
      }
    }
  }
}

bool SyslogStreamDeframer::Flush() {
  const bool cut_off = state_ == State::kOctets;
  if (state_ == State::kLine || state_ == State::kLength) {
    buf_ += length_digits_;
    length_digits_.clear();
    if (!buf_.empty()) EmitBuffer();
  }
  // An octet-counted message cut off by the close is incomplete: dropped (the peer died).
  buf_.clear();
  truncated_ = false;
  state_ = State::kStart;
  return !cut_off;
}

}  // namespace failsafe::watch

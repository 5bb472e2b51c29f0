#include "watch/logs/leading_bytes.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace failsafe::watch::logs {
namespace {

// What a piece of regex can start with, and whether it can match the empty string (then
// whatever follows it can start the match too).
struct First {
  ByteSet bytes;
  bool nullable = false;
};

ByteSet Range(int from, int to) {
  ByteSet s;
  for (int c = from; c <= to; ++c) s.set(static_cast<size_t>(c));
  return s;
}

ByteSet All() {
  return ByteSet().set();
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// PCRE2's classes without UCP, with its default (C locale) tables.
ByteSet Digits() {
  return Range('0', '9');
}
ByteSet Spaces() {
  return Range('\t', '\r') | Range(' ', ' ');
}
ByteSet Words() {
  return Range('0', '9') | Range('A', 'Z') | Range('a', 'z') | Range('_', '_');
}

// Recursive descent over engine syntax. `ok` turns false on what it does not follow.
class Parser {
 public:
  explicit Parser(const std::string& re) : re_(re) {}

  // The top level: every branch must begin with ^ or \A.
  std::optional<ByteSet> Anchored() {
    ByteSet bytes;
    for (;;) {
      if (!StartAnchor()) return std::nullopt;
      const First f = Sequence();
      if (!ok_) return std::nullopt;
      if (f.nullable) return All();
      bytes |= f.bytes;
      if (i_ >= re_.size()) return bytes;
      if (re_[i_] != '|') return std::nullopt;  // an unmatched ')'
      ++i_;
    }
  }

 private:
  bool StartAnchor() {
    if (i_ < re_.size() && re_[i_] == '^') {
      ++i_;
      return true;
    }
    if (re_.compare(i_, 2, "\\A") == 0) {
      i_ += 2;
      return true;
    }
    return false;
  }

  // Branches up to the closing ')' of the enclosing group (left for the caller) or the end.
  First Alternation() {
    First out;
    for (;;) {
      const First f = Sequence();
      out.bytes |= f.bytes;
      out.nullable = out.nullable || f.nullable;
      if (!ok_ || i_ >= re_.size() || re_[i_] != '|') return out;
      ++i_;
    }
  }

  // Items up to '|', ')' or the end. Once an item cannot be empty, what follows cannot start
  // the match: it is only stepped over (so constructs there need not be followed).
  First Sequence() {
    First out;
    out.nullable = true;
    while (ok_ && i_ < re_.size() && re_[i_] != '|' && re_[i_] != ')') {
      if (!out.nullable) {
        SkipItem();
        continue;
      }
      First item = Item();
      Quantifier(&item);
      if (out.nullable) {
        out.bytes |= item.bytes;
        out.nullable = item.nullable;
      }
    }
    return out;
  }

  First Item() {
    const char c = re_[i_];
    if (c == '(') return Group();
    if (c == '[') return {Class(), false};
    if (c == '\\') return Escape();
    ++i_;
    if (c == '.') return {All(), false};
    if (c == '^' || c == '$') return {{}, true};  // zero-width
    ByteSet s;
    s.set(static_cast<unsigned char>(c));
    return {s, false};
  }

  First Group() {
    i_ += 1;
    bool zero_width = false;
    if (re_.compare(i_, 1, "*") == 0) return Fail();  // backtracking verbs
    if (re_.compare(i_, 1, "?") == 0) {
      const auto starts = [&](const char* s) { return re_.compare(i_, std::strlen(s), s) == 0; };
      if (starts("?:") || starts("?>")) {
        i_ += 2;
      } else if (starts("?=") || starts("?!")) {
        i_ += 2;
        zero_width = true;
      } else if (starts("?<=") || starts("?<!")) {
        i_ += 3;
        zero_width = true;
      } else if (starts("?P<") || starts("?<") || starts("?'")) {
        const char close = starts("?'") ? '\'' : '>';
        const size_t end = re_.find(close, i_);
        if (end == std::string::npos) return Fail();
        i_ = end + 1;
      } else {
        // Conditionals, inline flags (which may turn on caseless), subroutine calls,
        // backreference groups, branch reset: not followed.
        return Fail();
      }
    }
    First body = Alternation();
    if (!ok_ || i_ >= re_.size() || re_[i_] != ')') return Fail();
    ++i_;
    if (zero_width) return {{}, true};
    return body;
  }

  // After '\\' outside a class.
  First Escape() {
    if (i_ + 1 >= re_.size()) return Fail();
    const char n = re_[i_ + 1];
    i_ += 2;
    switch (n) {
      case 'd': return {Digits(), false};
      case 'D': return {~Digits(), false};
      case 's': return {Spaces(), false};
      case 'S': return {~Spaces(), false};
      case 'w': return {Words(), false};
      case 'W': return {~Words(), false};
      case 'b':
      case 'B':
      case 'A':
      case 'z':
      case 'Z':
      case 'G': return {{}, true};  // zero-width
      default: break;
    }
    int byte = -1;
    if (!ClassEscapeByte(n, &byte)) return Fail();
    ByteSet s;
    s.set(static_cast<size_t>(byte));
    return {s, false};
  }

  // Single-byte escapes, inside or outside a class; `i_` is just past the escape letter.
  bool ClassEscapeByte(char n, int* byte) {
    switch (n) {
      case 'n': *byte = '\n'; return true;
      case 't': *byte = '\t'; return true;
      case 'r': *byte = '\r'; return true;
      case 'f': *byte = '\f'; return true;
      case 'e': *byte = 0x1b; return true;
      case 'a': *byte = 0x07; return true;
      case 'x': {
        const int hi = i_ < re_.size() ? HexValue(re_[i_]) : -1;
        const int lo = i_ + 1 < re_.size() ? HexValue(re_[i_ + 1]) : -1;
        if (hi < 0 || lo < 0) return false;  // \x{...} and one-digit forms: not followed
        i_ += 2;
        *byte = hi * 16 + lo;
        return true;
      }
      default:
        if (std::isalnum(static_cast<unsigned char>(n))) return false;  // \p, \1, \k, \0 ...
        *byte = static_cast<unsigned char>(n);
        return true;
    }
  }

  // [...]: the bytes it takes.
  ByteSet Class() {
    ++i_;
    bool negate = false;
    if (i_ < re_.size() && re_[i_] == '^') {
      negate = true;
      ++i_;
    }
    ByteSet s;
    bool first = true;
    while (ok_ && i_ < re_.size() && (re_[i_] != ']' || first)) {
      first = false;
      if (re_.compare(i_, 2, "[:") == 0) {  // POSIX class: count it as anything
        const size_t end = re_.find(":]", i_ + 2);
        if (end == std::string::npos) return Fail().bytes;
        s = All();
        i_ = end + 2;
        continue;
      }
      int lo = -1;
      if (!ClassMember(&s, &lo)) return Fail().bytes;
      if (lo >= 0 && i_ + 1 < re_.size() && re_[i_] == '-' && re_[i_ + 1] != ']') {
        ++i_;
        int hi = -1;
        ByteSet ignored;
        if (!ClassMember(&ignored, &hi) || hi < lo) return Fail().bytes;
        s |= Range(lo, hi);
      } else if (lo >= 0) {
        s.set(static_cast<size_t>(lo));
      }
    }
    if (i_ >= re_.size()) return Fail().bytes;
    ++i_;  // ']'
    return negate ? ~s : s;
  }

  // One class member: a byte (set in *byte) or a set (\d, \s, ...: added to *s).
  bool ClassMember(ByteSet* s, int* byte) {
    const char c = re_[i_++];
    if (c != '\\') {
      *byte = static_cast<unsigned char>(c);
      return true;
    }
    if (i_ >= re_.size()) return false;
    const char n = re_[i_++];
    switch (n) {
      case 'd': *s |= Digits(); return true;
      case 'D': *s |= ~Digits(); return true;
      case 's': *s |= Spaces(); return true;
      case 'S': *s |= ~Spaces(); return true;
      case 'w': *s |= Words(); return true;
      case 'W': *s |= ~Words(); return true;
      case 'b': *byte = '\b'; return true;  // backspace inside a class
      default: return ClassEscapeByte(n, byte);
    }
  }

  // ?, *, +, {n}, {n,}, {n,m} with their lazy/possessive marks.
  void Quantifier(First* item) {
    if (i_ >= re_.size()) return;
    const char c = re_[i_];
    bool zero_min = false;
    if (c == '?' || c == '*') {
      zero_min = true;
      ++i_;
    } else if (c == '+') {
      ++i_;
    } else if (c == '{') {
      size_t j = i_ + 1;
      const size_t digits = j;
      int min = 0;
      while (j < re_.size() && std::isdigit(static_cast<unsigned char>(re_[j]))) {
        min = std::min(min * 10 + (re_[j] - '0'), 100000);
        ++j;
      }
      if (j == digits) return;  // a literal '{', read as the next item
      if (j < re_.size() && re_[j] == ',') {
        ++j;
        while (j < re_.size() && std::isdigit(static_cast<unsigned char>(re_[j]))) ++j;
      }
      if (j >= re_.size() || re_[j] != '}') return;
      i_ = j + 1;
      zero_min = min == 0;
    } else {
      return;
    }
    if (i_ < re_.size() && (re_[i_] == '?' || re_[i_] == '+')) ++i_;
    if (zero_min) item->nullable = true;
  }

  // Steps over one item (a quantifier counts as one) by its brackets alone.
  void SkipItem() {
    const char c = re_[i_];
    if (c == '\\') {
      i_ += 2;
    } else if (c == '[') {
      SkipClass();
    } else if (c == '(') {
      ++i_;
      for (int depth = 1; ok_ && depth > 0;) {
        if (i_ >= re_.size()) {
          Fail();
        } else if (re_[i_] == '\\') {
          i_ += 2;
        } else if (re_[i_] == '[') {
          SkipClass();
        } else {
          depth += re_[i_] == '(' ? 1 : re_[i_] == ')' ? -1 : 0;
          ++i_;
        }
      }
    } else {
      ++i_;
    }
  }

  void SkipClass() {
    ++i_;
    if (i_ < re_.size() && re_[i_] == '^') ++i_;
    if (i_ < re_.size() && re_[i_] == ']') ++i_;
    while (i_ < re_.size() && re_[i_] != ']') {
      if (re_[i_] == '\\') {
        i_ += 2;
      } else if (re_.compare(i_, 2, "[:") == 0 && re_.find(":]", i_ + 2) != std::string::npos) {
        i_ = re_.find(":]", i_ + 2) + 2;
      } else {
        ++i_;
      }
    }
    if (i_ >= re_.size()) Fail();
    ++i_;
  }

  First Fail() {
    ok_ = false;
    return {All(), true};
  }

  const std::string& re_;
  size_t i_ = 0;
  bool ok_ = true;
};

}  // namespace

std::optional<ByteSet> LeadingBytes(const std::string& regex) {
  // \Q...\E and extended mode ((?x): '#' comments, ignored spaces) change what brackets and
  // bytes mean; the parser does not follow them.
  if (regex.find("\\Q") != std::string::npos) return std::nullopt;
  for (size_t at = regex.find("(?"); at != std::string::npos; at = regex.find("(?", at + 1)) {
    size_t j = at + 2;
    while (j < regex.size() && (std::isalpha(static_cast<unsigned char>(regex[j])) ||
                                regex[j] == '-' || regex[j] == '^')) {
      if (regex[j] == 'x') return std::nullopt;
      ++j;
    }
  }
  return Parser(regex).Anchored();
}

}  // namespace failsafe::watch::logs

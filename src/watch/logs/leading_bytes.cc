#include "watch/logs/leading_bytes.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace failsafe::watch::logs {
namespace {

constexpr size_t kMaxLiterals = 16;
constexpr size_t kMaxLiteralBytes = 32;

// What a piece of regex can start with: the bytes, whether it can match the empty string
// (then whatever follows can start the match too), and literals one of which every match of
// it starts with ("" when none is known). `open`: every match of the piece is exactly one of
// the literals, so what follows the piece extends them.
struct Piece {
  ByteSet bytes;
  bool nullable = false;
  std::vector<std::string> literals{""};
  bool open = false;
};

Piece OneOf(const ByteSet& bytes) {
  Piece p;
  p.bytes = bytes;
  if (bytes.count() <= 4) {  // [aA]: two literals; wider classes end the literals
    p.literals.clear();
    for (size_t c = 0; c < 256; ++c) {
      if (bytes.test(c)) p.literals.push_back(std::string(1, static_cast<char>(c)));
    }
    p.open = true;
  }
  return p;
}

Piece ZeroWidth() {
  Piece p;
  p.nullable = true;
  p.open = true;
  return p;
}

// `head` followed by `tail`: their literals joined, while they stay few and short.
void Append(Piece* head, const Piece& tail) {
  std::vector<std::string> joined;
  for (const auto& a : head->literals) {
    for (const auto& b : tail.literals) joined.push_back(a + b);
  }
  if (joined.size() > kMaxLiterals) {
    head->open = false;
    return;
  }
  head->literals = std::move(joined);
  head->open = tail.open;
  for (const auto& l : head->literals) {
    if (l.size() >= kMaxLiteralBytes) head->open = false;
  }
}

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
  std::optional<MatchStart> Anchored() {
    MatchStart out;
    bool literals_known = true;
    for (;;) {
      if (!StartAnchor()) return std::nullopt;
      const Piece f = Sequence();
      if (!ok_) return std::nullopt;
      out.bytes |= f.nullable ? All() : f.bytes;
      for (const auto& l : f.literals) {
        if (l.empty()) literals_known = false;
        out.literals.push_back(l);
      }
      if (i_ < re_.size() && re_[i_] != '|') return std::nullopt;  // an unmatched ')'
      if (i_ >= re_.size()) break;
      ++i_;
    }
    std::sort(out.literals.begin(), out.literals.end());
    out.literals.erase(std::unique(out.literals.begin(), out.literals.end()), out.literals.end());
    if (!literals_known || out.literals.size() > kMaxLiterals) out.literals.clear();
    return out;
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
  Piece Alternation() {
    Piece out;
    out.literals.clear();
    out.open = true;
    for (;;) {
      const Piece f = Sequence();
      out.bytes |= f.bytes;
      out.nullable = out.nullable || f.nullable;
      out.literals.insert(out.literals.end(), f.literals.begin(), f.literals.end());
      out.open = out.open && f.open;
      if (!ok_ || i_ >= re_.size() || re_[i_] != '|') break;
      ++i_;
    }
    if (out.literals.size() > kMaxLiterals) {
      out.literals = {""};
      out.open = false;
    }
    return out;
  }

  // Items up to '|', ')' or the end. Once an item cannot be empty, what follows cannot start
  // the match: it can only extend the literals, and once they end it is only stepped over (so
  // constructs there need not be followed).
  Piece Sequence() {
    Piece out = ZeroWidth();
    while (ok_ && i_ < re_.size() && re_[i_] != '|' && re_[i_] != ')') {
      if (!out.nullable && !out.open) {
        SkipItem();
        continue;
      }
      const size_t at = i_;
      Piece item = Item();
      Quantifier(&item);
      if (!ok_ && !out.nullable) {  // not followed, but the first bytes are known already
        ok_ = true;
        i_ = at;
        out.open = false;
        continue;
      }
      if (out.nullable) {
        out.bytes |= item.bytes;
        out.nullable = item.nullable;
      }
      if (out.open) Append(&out, item);
    }
    return out;
  }

  Piece Item() {
    const char c = re_[i_];
    if (c == '(') return Group();
    if (c == '[') return OneOf(Class());
    if (c == '\\') return Escape();
    ++i_;
    if (c == '.') return OneOf(All());
    if (c == '^' || c == '$') return ZeroWidth();
    ByteSet s;
    s.set(static_cast<unsigned char>(c));
    return OneOf(s);
  }

  Piece Group() {
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
    Piece body = Alternation();
    if (!ok_ || i_ >= re_.size() || re_[i_] != ')') return Fail();
    ++i_;
    if (zero_width) return ZeroWidth();
    return body;
  }

  // After '\\' outside a class.
  Piece Escape() {
    if (i_ + 1 >= re_.size()) return Fail();
    const char n = re_[i_ + 1];
    i_ += 2;
    switch (n) {
      case 'd': return OneOf(Digits());
      case 'D': return OneOf(~Digits());
      case 's': return OneOf(Spaces());
      case 'S': return OneOf(~Spaces());
      case 'w': return OneOf(Words());
      case 'W': return OneOf(~Words());
      case 'b':
      case 'B':
      case 'A':
      case 'z':
      case 'Z':
      case 'G': return ZeroWidth();
      default: break;
    }
    int byte = -1;
    if (!ClassEscapeByte(n, &byte)) return Fail();
    ByteSet s;
    s.set(static_cast<size_t>(byte));
    return OneOf(s);
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
  void Quantifier(Piece* item) {
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
    // Repeated, the piece's literals may be followed by more of it: they stay, closed.
    item->open = false;
    if (zero_min) {
      item->nullable = true;
      item->literals = {""};
    }
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

  Piece Fail() {
    ok_ = false;
    Piece p;
    p.bytes = All();
    p.nullable = true;
    return p;
  }

  const std::string& re_;
  size_t i_ = 0;
  bool ok_ = true;
};

}  // namespace

std::optional<MatchStart> AnchoredStart(const std::string& regex) {
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

// Lexical pieces of the exposition formats (exposition_tokens.h).
#include "watch/metrics/exposition_tokens.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace failsafe::watch::exposition {

bool ParseValue(std::string_view token, double* out) {
  bool negative = false;
  if (!token.empty() && (token[0] == '+' || token[0] == '-')) {
    negative = token[0] == '-';
    token.remove_prefix(1);
  }
  // from_chars takes no sign of its own here, so "+-1" and "--1" stay errors.
  if (token.empty() || token[0] == '+' || token[0] == '-') return false;
  double v = 0;
  auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), v);
  // ERANGE: overflow or underflow; Go's ParseFloat returns ±Inf/0 with an error, Prometheus
  // refuses the line. Refuse too.
  if (ec != std::errc() || end != token.data() + token.size()) return false;
  *out = negative ? -v : v;
  return true;
}

bool ParseMillis(std::string_view token, int64_t* out) {
  if (!token.empty() && token[0] == '+') token.remove_prefix(1);
  if (token.empty() || token[0] == '+') return false;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), v);
  if (ec != std::errc() || end != token.data() + token.size()) return false;
  *out = v;
  return true;
}

bool ParseSecondsAsMillis(std::string_view token, int64_t* out) {
  double seconds = 0;
  if (!ParseValue(token, &seconds) || !std::isfinite(seconds)) return false;
  const double ms = std::round(seconds * 1000.0);
  if (std::fabs(ms) > 9.2e18) return false;
  *out = static_cast<int64_t>(ms);
  return true;
}

std::string Unescape(std::string_view text, bool quote_escape) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    const char next = text[i + 1];
    if (next == '\\') {
      out += '\\';
    } else if (next == 'n') {
      out += '\n';
    } else if (next == '"' && quote_escape) {
      out += '"';
    } else {
      out += '\\';
      continue;  // the next character is read as itself
    }
    ++i;
  }
  return out;
}

std::string DescribeChar(char c) {
  if (c >= 0x20 && c < 0x7f) return std::string("'") + c + "'";
  char buf[16];
  std::snprintf(buf, sizeof(buf), "byte 0x%02x", static_cast<unsigned char>(c));
  return buf;
}

}  // namespace failsafe::watch::exposition

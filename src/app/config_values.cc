#include "app/config_values.h"

#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

#include "base/duration.h"

namespace failsafe::app {
namespace {

std::string Quote(std::string_view v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    // Control characters would garble a terminal; show them as '?'.
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  }
  return out + "\"";
}

bool IsHostChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
}

bool IsIpv6Char(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.' || c == '%';
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

Status CheckListen(std::string_view value) {
  const Status bad = InvalidArgument("must be HOST:PORT, got " + Quote(value));
  size_t colon = value.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == value.size()) return bad;
  std::string_view host = value.substr(0, colon);
  std::string_view port = value.substr(colon + 1);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return bad;
    if (!std::all_of(host.begin() + 1, host.end() - 1, IsIpv6Char)) return bad;
  } else if (!std::all_of(host.begin(), host.end(), IsHostChar)) {
    return bad;
  }
  if (port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return bad;
  }
  if (std::stoi(std::string(port)) > 65535) {
    return InvalidArgument("port must be 0..65535, got " + Quote(value));
  }
  return Status::Ok();
}

Status CheckDbUrl(std::string_view value) {
  if (value.starts_with("sqlite:")) {
    if (value.size() == 7)
      return InvalidArgument(
          "must name a file after sqlite:, e.g. sqlite:/var/lib/failsafe/failsafe.db");
    return Status::Ok();
  }
  if (value.starts_with("postgresql://") || value.starts_with("postgres://")) return Status::Ok();
  std::string scheme(value.substr(0, std::min(value.find(':'), size_t{20})));
  return InvalidArgument(
      "must be sqlite:PATH or postgresql://USER@HOST/DB, got a value starting with " +
      Quote(scheme));
}

Status CheckLogLevel(std::string_view value) {
  if (value == "debug" || value == "info" || value == "warn" || value == "error") {
    return Status::Ok();
  }
  return InvalidArgument("must be one of debug, info, warn, error, got " + Quote(value));
}

Status CheckTimeZoneName(std::string_view value) {
  try {
    if (!value.empty() && value.size() <= 64 && date::locate_zone(value) != nullptr) {
      return Status::Ok();
    }
  } catch (const std::exception&) {
    // locate_zone throws for an unknown name: reported below
  }
  return InvalidArgument("must be a time zone name such as Asia/Shanghai or UTC, got " +
                         Quote(value));
}

Status CheckPublicUrl(std::string_view value) {
  const Status bad = InvalidArgument(
      "must be an http:// or https:// URL without a trailing slash, query or fragment, got " +
      Quote(value));
  std::string_view rest;
  if (value.starts_with("https://")) {
    rest = value.substr(8);
  } else if (value.starts_with("http://")) {
    rest = value.substr(7);
  } else {
    return bad;
  }
  if (rest.empty() || rest.front() == '/' || value.back() == '/' ||
      value.find_first_of("?# \t") != std::string_view::npos) {
    return bad;
  }
  return Status::Ok();
}

Result<size_t> ParseByteSize(std::string_view value) {
  const Status bad =
      InvalidArgument("must be a size in bytes such as 1048576 or \"1MiB\", got " + Quote(value));
  size_t i = 0;
  uint64_t n = 0;
  while (i < value.size() && value[i] >= '0' && value[i] <= '9') {
    if (n > (uint64_t{1} << 40)) return Err(bad);
    n = n * 10 + static_cast<uint64_t>(value[i] - '0');
    ++i;
  }
  if (i == 0) return Err(bad);
  std::string unit;
  for (char c : value.substr(i))
    unit += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  uint64_t scale;
  if (unit.empty() || unit == "b")
    scale = 1;
  else if (unit == "kb")
    scale = 1000;
  else if (unit == "mb")
    scale = 1000 * 1000;
  else if (unit == "gb")
    scale = 1000 * 1000 * 1000;
  else if (unit == "kib")
    scale = 1024;
  else if (unit == "mib")
    scale = 1024 * 1024;
  else if (unit == "gib")
    scale = 1024 * 1024 * 1024;
  else
    return Err(bad);
  constexpr uint64_t kMax = uint64_t{1} << 30;
  if (n == 0 || n > kMax / scale) {
    return Err(InvalidArgument("must be between 1 byte and 1GiB, got " + Quote(value)));
  }
  return static_cast<size_t>(n * scale);
}

Result<std::chrono::milliseconds> ParsePositiveDuration(std::string_view value) {
  auto d = ParseDuration(value);
  if (!d) {
    return Err(InvalidArgument("must be a duration such as \"30s\", \"5m\" or \"1h30m\", got " +
                               Quote(value)));
  }
  if (d->count() <= 0) return Err(InvalidArgument("must be longer than zero, got " + Quote(value)));
  return *d;
}

Result<int> ParseIntInRange(std::string_view value, int min, int max) {
  int n = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (value.empty() || ec != std::errc() || end != value.data() + value.size()) {
    return Err(InvalidArgument("must be a whole number, got " + Quote(value)));
  }
  if (n < min || n > max) {
    return Err(InvalidArgument("must be between " + std::to_string(min) + " and " +
                               std::to_string(max) + ", got " + Quote(value)));
  }
  return n;
}

std::string ClosestMatch(std::string_view word, const std::vector<std::string_view>& candidates) {
  std::string best;
  size_t best_distance = word.size() >= 10 ? 4 : 3;
  for (std::string_view c : candidates) {
    size_t d = EditDistance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = std::string(c);
    }
  }
  return best;
}

}  // namespace failsafe::app

#include "base/duration.h"

namespace failsafe {

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  if (text.empty()) return Err(InvalidArgument("empty duration"));
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    int64_t n = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (n > (INT64_MAX / 10) - 10)
        return Err(InvalidArgument("duration too large: " + std::string(text)));
      n = n * 10 + (text[i] - '0');
      ++i;
    }
    if (i == start) {
      return Err(InvalidArgument("invalid duration '" + std::string(text) +
                                 "': expected a number at position " + std::to_string(i + 1)));
    }
    size_t unit_start = i;
    while (i < text.size() && ((text[i] >= 'a' && text[i] <= 'z'))) ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    int64_t scale;
    if (unit == "ms")
      scale = 1;
    else if (unit == "s")
      scale = 1000;
    else if (unit == "m")
      scale = 60'000;
    else if (unit == "h")
      scale = 3'600'000;
    else if (unit == "d")
      scale = 86'400'000;
    else if (unit == "w")
      scale = 7 * 86'400'000LL;
    else {
      return Err(InvalidArgument("invalid duration '" + std::string(text) +
                                 "': unit must be ms, s, m, h, d or w"));
    }
    if (n > (INT64_MAX - total) / scale)
      return Err(InvalidArgument("duration too large: " + std::string(text)));
    total += n * scale;
  }
  return std::chrono::milliseconds(total);
}

std::string FormatDuration(std::chrono::milliseconds d) {
  int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out = "-";
    ms = -ms;
  }
  const std::pair<int64_t, const char*> units[] = {
      {86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1000, "s"}, {1, "ms"}};
  for (auto [scale, name] : units) {
    if (ms >= scale) {
      out += std::to_string(ms / scale);
      out += name;
      ms %= scale;
    }
  }
  return out;
}

}  // namespace failsafe

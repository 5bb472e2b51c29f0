#pragma once
// Human durations as ops people write them in config and flags: "500ms", "30s", "5m", "4h",
// "7d", "1h30m". Negative and empty values are rejected.
#include <chrono>
#include <string>
#include <string_view>

#include "base/result.h"

namespace failsafe {

Result<std::chrono::milliseconds> ParseDuration(std::string_view text);
// The shortest exact spelling: 5400000ms -> "1h30m".
std::string FormatDuration(std::chrono::milliseconds d);

}  // namespace failsafe

#pragma once
// Checks and parsers for single config values. Each failure is a kInvalidArgument whose
// message is the complaint only ("must be HOST:PORT, got \"8080\""); the caller prefixes where
// the value came from (file and line, environment variable, or flag).
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace failsafe::app {

// HOST:PORT where HOST is a name, an IPv4 address or a bracketed IPv6 address ("[::1]") and
// PORT is 0..65535 (0 picks a free port).
Status CheckListen(std::string_view value);

// "sqlite:PATH", "postgresql://..." or "postgres://...". The value is never echoed back,
// because a PostgreSQL URL may carry a password.
Status CheckDbUrl(std::string_view value);

// debug | info | warn | error.
Status CheckLogLevel(std::string_view value);

// An http:// or https:// URL with a host and no trailing slash, query or fragment.
Status CheckPublicUrl(std::string_view value);

// An IANA time zone name known to the system's zone database ("Asia/Shanghai", "UTC").
Status CheckTimeZoneName(std::string_view value);

// Bytes as a plain integer or with a unit: B, KB, MB, GB (powers of 1000) or KiB, MiB, GiB
// (powers of 1024), case-insensitive, e.g. "1MiB", "512KiB", "1048576". At most 1 GiB.
Result<size_t> ParseByteSize(std::string_view value);

// A duration as base/duration.h reads it ("30s", "1h30m"), which must be greater than zero.
Result<std::chrono::milliseconds> ParsePositiveDuration(std::string_view value);

// A decimal integer in [min, max], no sign other than a leading '-', no spaces.
Result<int> ParseIntInRange(std::string_view value, int min, int max);

// The closest of `candidates` to `word` when it is a plausible typo (edit distance at most
// 2, or 3 for long words); empty when none is.
std::string ClosestMatch(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace failsafe::app

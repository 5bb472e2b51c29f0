#pragma once
// The small lexical pieces of the exposition formats: numbers, timestamps, escapes.
// Internal to the parser (exposition.cc); separate so each piece is tested on its own.
#include <cstdint>
#include <string>
#include <string_view>

namespace failsafe::watch::exposition {

// A sample value as Go's ParseFloat reads it: decimal or exponent notation, NaN, Inf, +Inf,
// -Inf (any case). The whole token must be the number.
bool ParseValue(std::string_view token, double* out);
// Text format: integer Unix milliseconds.
bool ParseMillis(std::string_view token, int64_t* out);
// OpenMetrics: Unix seconds, possibly fractional, rounded to milliseconds.
bool ParseSecondsAsMillis(std::string_view token, int64_t* out);
// Undoes \\, \n and (when `quote_escape`) \" escapes; other backslashes stay as written,
// as Prometheus keeps them.
std::string Unescape(std::string_view text, bool quote_escape);
// "'x'" for a printable character, "byte 0x07" otherwise: for error messages.
std::string DescribeChar(char c);

}  // namespace failsafe::watch::exposition

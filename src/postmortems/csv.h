#pragma once
// CSV writing (RFC 4180): fields with a comma, a double quote, CR or LF are quoted and inner
// quotes doubled; records end with CRLF. A text cell starting with = + - @ or a tab/CR is
// prefixed with an apostrophe so a spreadsheet never runs it as a formula (CSV injection);
// cells that are plain numbers are left alone.
#include <string>
#include <string_view>
#include <vector>

namespace failsafe::postmortems {

// The UTF-8 byte order mark Excel needs to read a zh-CN CSV as UTF-8.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string CsvField(std::string_view value);
// One record, CRLF-terminated.
std::string CsvRecord(const std::vector<std::string>& fields);

}  // namespace failsafe::postmortems

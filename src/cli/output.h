#pragma once
// How the CLI shows results: aligned tables for people (the default, on a terminal or not)
// and pretty JSON for scripts (--json). Text that came from the server is sanitised before it
// reaches the terminal, so a display name cannot carry escape sequences.
// All functions are pure and thread-safe.
#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace failsafe::cli {

// Columns the text occupies in a terminal: East Asian wide and fullwidth characters (中文,
// 한국어, fullwidth forms, most emoji) count 2, combining marks and zero-width characters 0.
size_t DisplayWidth(std::string_view utf8);

// Replaces control characters (including ESC, CR, LF, TAB) with a space and invalid UTF-8
// bytes with U+FFFD, so one cell stays on one line and cannot drive the terminal.
std::string SanitizeForTerminal(std::string_view text);

// A table with a header row. Columns are separated by two spaces and padded to the widest
// cell by display width; the last column is not padded (no trailing spaces).
class Table {
 public:
  explicit Table(std::vector<std::string> headers);
  // Cells beyond the header count are dropped; missing cells are empty.
  void AddRow(std::vector<std::string> cells);
  size_t rows() const { return rows_.size(); }
  // The header and every row, each line ending in '\n'.
  std::string Render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// Indented JSON (two spaces), ending in '\n'.
std::string PrettyJson(const boost::json::value& value);

// A JSON value as a table cell: strings as they are, numbers, yes/no for booleans, "-" for
// null or a missing key, compact JSON for arrays and objects.
std::string CellText(const boost::json::object& object, std::string_view key);

// A Unix-millisecond or RFC 3339 time as "2026-11-22 08:30:00Z"; "-" when absent.
std::string TimeCell(const boost::json::object& object, std::string_view key);

}  // namespace failsafe::cli

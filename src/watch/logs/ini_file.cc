#include "watch/logs/ini_file.h"

namespace failsafe::watch::logs {
namespace {

constexpr size_t kMaxIniBytes = 4 * 1024 * 1024;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

Status Fail(std::string_view file, int line, const std::string& message) {
  return InvalidArgument(std::string(file) + ":" + std::to_string(line) + ": " + message);
}

}  // namespace

Result<std::vector<IniSection>> ParseIni(std::string_view text, std::string_view file) {
  if (text.size() > kMaxIniBytes) return Err(Fail(file, 1, "file larger than 4 MiB"));
  std::vector<IniSection> sections;
  IniOption* open = nullptr;  // the option an indented line continues
  int line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    std::string_view line = Trim(raw);
    if (line.empty()) {
      // ConfigParser keeps blank lines inside a value; they never matter for regex lists.
      continue;
    }
    if (line[0] == '#' || line[0] == ';') continue;
    const bool indented = raw[0] == ' ' || raw[0] == '\t';
    if (indented && open != nullptr) {
      open->value += "\n";
      open->value += line;
      continue;
    }
    if (line[0] == '[') {
      if (line.back() != ']') return Err(Fail(file, line_no, "section header without ']'"));
      sections.push_back({std::string(Trim(line.substr(1, line.size() - 2))), {}, line_no});
      open = nullptr;
      continue;
    }
    const size_t delim = line.find_first_of("=:");
    if (delim == std::string_view::npos || delim == 0) {
      return Err(Fail(file, line_no,
                      "expected 'name = value', got '" + std::string(line.substr(0, 60)) + "'"));
    }
    if (sections.empty()) return Err(Fail(file, line_no, "option before any [section]"));
    auto& options = sections.back().options;
    options.push_back({std::string(Trim(line.substr(0, delim))),
                       std::string(Trim(line.substr(delim + 1))), line_no});
    open = &options.back();
  }
  return sections;
}

}  // namespace failsafe::watch::logs

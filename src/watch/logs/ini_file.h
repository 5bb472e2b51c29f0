#pragma once
// The INI dialect fail2ban's filter files are written in (Python's ConfigParser): `[section]`
// headers, `name = value` or `name: value`, values continued on indented lines (joined with
// "\n"), whole-line comments starting with '#' or ';'. Text only; includes and interpolation
// are fail2ban_filter.h's business.
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace failsafe::watch::logs {

struct IniOption {
  std::string name;
  std::string value;
  int line = 0;  // 1-based line of `name = ...`
};

struct IniSection {
  std::string name;
  std::vector<IniOption> options;  // in file order; a repeated name: the last one counts
  int line = 0;
};

// Parses `text`; `file` names it in errors ("sshd.conf:12: ..."). Options before any
// section header, and lines that are neither header, option nor continuation, are errors.
Result<std::vector<IniSection>> ParseIni(std::string_view text, std::string_view file);

}  // namespace failsafe::watch::logs

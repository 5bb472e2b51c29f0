#pragma once
// Reads a fail2ban filter file (/etc/fail2ban/filter.d/*.conf) the way fail2ban 1.0 does, so
// the filters it ships work unchanged:
//   - [INCLUDES] before/after (paths relative to the including file's folder), and the
//     file's .local override read right after it; missing after/.local files are skipped;
//   - [DEFAULT], [Definition] and [Init]; options given by the user (`mode=aggressive`, as in
//     a jail's `filter = sshd[mode=aggressive]`) override [Init], which overrides the file;
//   - %(name)s and %(section/name)s interpolation, recursive, with loop detection;
//   - fail2ban's own <name> tags naming other options (`<mdre-<mode>>`), resolved inside-out;
//     tags that name no option (<HOST>, <F-USER>) are left for regex_syntax.h;
//   - multi-line failregex/ignoreregex (one regex a line, empty lines dropped).
// Multi-line buffering (maxlines > 1, <SKIPLINES>) is refused with a clear error.
#include <map>
#include <string>
#include <vector>

#include "base/result.h"

namespace failsafe::watch::logs {

struct Fail2banFilter {
  std::string path;
  std::string prefregex;  // empty when the filter has none
  std::vector<std::string> failregex;
  std::vector<std::string> ignoreregex;
  std::string datepattern;  // empty: fail2ban's default date templates
};

// `init` holds user overrides (mode, publickey, logtype, _daemon, ...).
Result<Fail2banFilter> ReadFail2banFilter(const std::string& path,
                                          const std::map<std::string, std::string>& init = {});

// The same from text already in memory (fuzzing, tests): includes are resolved against `dir`.
Result<Fail2banFilter> ParseFail2banFilter(const std::string& text, const std::string& name,
                                           const std::string& dir,
                                           const std::map<std::string, std::string>& init = {});

// Splits "sshd[mode=aggressive, publickey=any]" into the path and its options, as fail2ban's
// jail.conf `filter =` line does.
Result<std::pair<std::string, std::map<std::string, std::string>>> SplitFilterSpec(
    const std::string& spec);

}  // namespace failsafe::watch::logs

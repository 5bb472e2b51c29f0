#pragma once
// The log rule file (YAML): a top-level `log_rules:` list; schema in docs/watch/logs.md.
// Errors name the file, line and column, the rule and the key:
//   "rules.yml:4:16: rule 'ssh-bruteforce': threshold.within: bad duration '60 s'".
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "watch/logs/rule.h"

namespace failsafe::watch::logs {

// `file` names the text in errors; `dir` is where relative `filter:` paths are found.
Result<std::vector<LogRule>> ParseRuleFile(std::string_view text, const std::string& file,
                                           const std::string& dir);
Result<std::vector<LogRule>> ReadRuleFile(const std::string& path);

}  // namespace failsafe::watch::logs

#pragma once
// A log rule as the rule file (docs/watch/logs.md) states it, before compilation.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace failsafe::watch::logs {

// A regex as written, with where it was written for error messages
// ("rules.yml:4:12: rule 'ssh-bruteforce': match").
struct RegexSource {
  std::string text;
  std::string where;
};

// "at least `count` matches with the same `by` value within `within_ms`".
struct Threshold {
  int count = 1;
  int64_t within_ms = 0;
  std::string by = "HOST";  // HOST (ip4|ip6|dns), or a named group: USER, ID, any (?P<name>)
};

// "matches per `per_ms` more than `factor` times their average over the `baseline_ms` before".
struct RateThreshold {
  double factor = 5;
  int64_t per_ms = 60'000;
  int64_t baseline_ms = 3'600'000;
  int64_t min_count = 10;  // a quiet stream going from 0 to 2 a minute is not a spike
};

struct LogRule {
  std::string name;
  std::string where;  // "rules.yml:3:5", the rule's position
  std::vector<RegexSource> match;
  std::vector<RegexSource> ignore;
  // A fail2ban filter file instead of (or besides) `match`: its failregex, ignoreregex,
  // prefregex and datepattern.
  std::string filter;
  std::map<std::string, std::string> filter_options;
  std::optional<Threshold> threshold;  // neither threshold nor rate: every match alerts
  std::optional<RateThreshold> rate;
  std::string severity = "P3";
  std::map<std::string, std::string> labels;
  // summary, description, ... and their zh-CN forms ("summary.zh-CN"). {{key}}, {{count}},
  // {{rule}} are filled in when an alert fires.
  std::map<std::string, std::string> annotations;
};

}  // namespace failsafe::watch::logs

#pragma once
// LogRuleEngine: many log rules over a stream of lines in one pass.
// Every rule's regexes (match, ignore, fail2ban failregex/ignoreregex) are compiled into one
// Hyperscan database scanned once per line (HS_FLAG_SINGLEMATCH; HS_FLAG_PREFILTER for what
// Hyperscan cannot match exactly; a required literal for regexes confirmed anyway). Only on
// lines it flags are regexes run to confirm the match and extract the groups (pattern.h:
// PCRE2's JIT, RE2 behind it). Then the rule's threshold, rate or one-off decides whether an
// alert fires.
// Times come from the lines (line_time.h), else LogLine.time_ms, else the last time seen.
// Not thread-safe: one engine per stream (it owns Hyperscan scratch space and key state).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "watch/logs/rule.h"
#include "watch/logsources/log_line.h"

namespace failsafe::watch::logs {

struct LogAlert {
  std::string rule;
  std::string key;  // the threshold's key value ("203.0.113.7"); "" for rate and one-off rules
  std::string severity;
  int64_t time_ms = 0;                             // the line that fired
  int64_t first_ms = 0;                            // the oldest match counted
  int64_t count = 1;                               // matches counted (rate: in the bucket)
  double baseline = 0;                             // rate rules: mean matches per bucket before
  std::map<std::string, std::string> labels;       // rule labels + alertname, severity, key
  std::map<std::string, std::string> annotations;  // rendered ({{key}}, {{count}}, {{rule}})
  std::string line;                                // the line that fired, at most 512 bytes
};

struct RuleStats {
  std::string name;
  uint64_t matched = 0;  // lines the rule matched and counted
  uint64_t ignored = 0;  // matched, then dropped by an ignore regex
  uint64_t nofail = 0;   // matched a fail2ban <F-NOFAIL> / gained regex: not a failure
  uint64_t no_key = 0;   // matched without the `by` group: not counted
  uint64_t alerts = 0;
  uint64_t keys_evicted = 0;
  uint64_t keys_expired = 0;
  uint64_t keys = 0;          // threshold rules: keys tracked (idle ones expire after the window)
  int64_t last_match_ms = 0;  // the time of the last line counted (the line's own); 0: none
  int64_t last_alert_ms = 0;  // the time of the line that last fired an alert; 0: none
};

struct EngineStats {
  uint64_t lines = 0;
  uint64_t truncated = 0;    // longer than max_line_bytes: matched on the first part
  uint64_t binary = 0;       // held NUL bytes (matched as bytes all the same)
  uint64_t no_time = 0;      // matched lines with no time of their own
  uint64_t scan_errors = 0;  // Hyperscan refused a scan (counted, the line is skipped)
  uint64_t limit_hits = 0;   // PCRE2 gave up on a line: RE2 answered, or no match (pattern.h)
};

struct EngineOptions {
  size_t max_line_bytes = 64 * 1024;
  size_t max_keys_per_rule = 100'000;
  int year = 1970;  // the year of syslog dates before any line says otherwise
  // fail2ban rules anchored at the content's start pick their regexes by its first byte
  // instead of a Hyperscan scan (leading_bytes.h); off only to compare the answers in tests.
  bool first_byte_dispatch = true;
};

class LogRuleEngine {
 public:
  // Compiles the rules (reading their fail2ban filters). Errors name the rule and where the
  // regex was written.
  static Result<std::unique_ptr<LogRuleEngine>> Create(std::vector<LogRule> rules,
                                                       EngineOptions options = {});
  ~LogRuleEngine();

  // Runs every rule over one line; alerts that fire are appended to `alerts`.
  void Feed(std::string_view text, std::optional<int64_t> time_ms, std::vector<LogAlert>* alerts);
  void Feed(const LogLine& line, std::vector<LogAlert>* alerts) {
    Feed(line.text, line.time_ms, alerts);
  }
  // End of input: rate rules judge their open bucket.
  void Finish(std::vector<LogAlert>* alerts);

  std::vector<RuleStats> rule_stats() const;
  EngineStats stats() const;
  // How each regex runs ("hyperscan", "hyperscan-prefilter", "hyperscan-literal",
  // "first-byte", "every-line"), per rule, for
  // `logs test` to show what is slow.
  std::vector<std::string> Explain() const;

  struct Impl;

 private:
  explicit LogRuleEngine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  EngineStats stats_;
};

}  // namespace failsafe::watch::logs

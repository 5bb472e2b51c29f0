// Fuzzes what the log rules take from outside: the rule file (YAML), fail2ban filter text
// (INI, interpolation, tags, Python regex conversion) and arbitrary bytes as log lines.
// The first byte picks the part; the rest is the input. Nothing may crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string>

#include "watch/logs/engine.h"
#include "watch/logs/fail2ban_filter.h"
#include "watch/logs/leading_bytes.h"
#include "watch/logs/line_time.h"
#include "watch/logs/pattern.h"
#include "watch/logs/regex_syntax.h"
#include "watch/logs/rule_file.h"

namespace logs = failsafe::watch::logs;

namespace {

// A fixed engine with tags, captures, thresholds, a rate rule and a backtracking regex,
// fed fuzzed lines.
logs::LogRuleEngine& LineEngine() {
  static auto engine = [] {
    auto rules = logs::ParseRuleFile(R"(log_rules:
  - name: ssh
    match: ['Failed password for (invalid user )?<F-USER>\S+</F-USER> from <HOST>', 'Invalid user .* from <ADDR>']
    ignore: '127\.0\.0\.1'
    threshold: {count: 3, within: 60s, by: HOST}
  - name: users
    match: 'user=(?P<user>\w+)(?!x)'
    threshold: {count: 2, within: 1m, by: USER}
  - name: errors
    match: ' ERROR '
    rate: {factor: 2, per: 1s, baseline: 10s, min_count: 2}
  - name: once
    match: 'panic <F-ID/> <IP6>'
)",
                                     "fuzz.yml", ".");
    logs::EngineOptions options;
    options.max_line_bytes = 4096;
    options.max_keys_per_rule = 64;
    return std::move(*logs::LogRuleEngine::Create(std::move(*rules), options));
  }();
  return *engine;
}

// fail2ban's sshd "Failed" regex: compiled with its conditional guard and without, and what
// its matches start with. The shortcuts must never change an answer.
struct Shortcuts {
  std::unique_ptr<logs::Pattern> guarded, plain;
  logs::MatchStart start;
};

const Shortcuts& SshdFailed() {
  static const Shortcuts s = [] {
    const std::string python =
        R"(^Failed (?:<F-NOFAIL>publickey</F-NOFAIL>|\S+) for (?P<cond_inv>invalid user )?)"
        R"(<F-USER>(?P<cond_user>\S+)|(?(cond_inv)(?:(?! from ).)*?|[^:]+)</F-USER> from <HOST>)"
        R"((?: (?:port \d+|on \S+)){0,2}(?: ssh\d*)?(?(cond_user): |(?:(?:(?! from ).)*)$))";
    const auto engine = logs::ToEngineSyntax(*logs::ExpandTags(python));
    Shortcuts out;
    out.guarded = std::move(*logs::Pattern::Compile(engine->pattern, true, true));
    out.plain = std::move(*logs::Pattern::Compile(engine->pattern, true, false));
    out.start = *logs::AnchoredStart(engine->pattern);
    return out;
  }();
  return s;
}

void CheckShortcuts(std::string_view line) {
  const Shortcuts& s = SshdFailed();
  logs::Groups a, b;
  const bool matched = s.guarded->Search(line, &a);
  if (matched != s.plain->Search(line, &b)) __builtin_trap();
  if (!matched) return;
  if (a.spans.size() != b.spans.size()) __builtin_trap();
  for (size_t i = 0; i < a.spans.size(); ++i) {
    if (a.spans[i].data() != b.spans[i].data() || a.spans[i].size() != b.spans[i].size())
      __builtin_trap();
  }
  if (!s.start.bytes.test(static_cast<unsigned char>(line[0]))) __builtin_trap();
  bool literal = s.start.literals.empty();
  for (const auto& l : s.start.literals) literal = literal || line.substr(0, l.size()) == l;
  if (!literal) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string input(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 4) {
    case 0: {
      auto rules = logs::ParseRuleFile(input, "fuzz.yml", "/nonexistent");
      if (rules) (void)logs::LogRuleEngine::Create(std::move(*rules));
      break;
    }
    case 1: {
      auto filter = logs::ParseFail2banFilter(input, "fuzz.conf", "/nonexistent");
      if (filter) {
        // Compile what the filter says, as a rule would.
        logs::LogRule rule;
        rule.name = "f";
        for (const auto& re : filter->failregex) rule.match.push_back({re, "f"});
        for (const auto& re : filter->ignoreregex) rule.ignore.push_back({re, "f"});
        (void)logs::LogRuleEngine::Create({rule});
        (void)logs::DatePattern::Compile(filter->datepattern);
      }
      break;
    }
    case 2: {
      std::vector<logs::LogAlert> alerts;
      size_t start = 0;
      for (size_t i = 0; i <= input.size(); ++i) {
        if (i == input.size() || input[i] == '\n') {
          const std::string_view line = std::string_view(input).substr(start, i - start);
          LineEngine().Feed(line, std::nullopt, &alerts);
          CheckShortcuts(line);
          start = i + 1;
        }
      }
      LineEngine().Finish(&alerts);
      break;
    }
    default: {
      logs::YearGuess year(2026);
      (void)logs::ParseLineStartTime(input, year);
      (void)logs::DatePattern::Compile(input);
      break;
    }
  }
  return 0;
}

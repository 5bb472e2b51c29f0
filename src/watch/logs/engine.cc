#include "watch/logs/engine.h"

#include <hs/hs.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>

#include "watch/logs/fail2ban_filter.h"
#include "watch/logs/key_window.h"
#include "watch/logs/leading_bytes.h"
#include "watch/logs/line_time.h"
#include "watch/logs/pattern.h"
#include "watch/logs/rate_window.h"
#include "watch/logs/regex_syntax.h"

namespace failsafe::watch::logs {
namespace {

constexpr size_t kAlertLineBytes = 512;

// One regex of one rule, ready to confirm a flagged line.
struct CompiledRegex {
  std::unique_ptr<Pattern> pattern;
  std::vector<int> key_groups;  // HOST: ip4, ip6, dns; otherwise the one named group
  int nofail = -1;              // fail2ban <F-NOFAIL>: a match that is not a failure
  int gained = -1;              // fail2ban <F-MLFGAINED>: a success line
  std::string how;              // how Hyperscan takes it (Explain)
  // Hyperscan's verdict is exact and nothing is read from the groups: no confirmation.
  bool exact_enough = false;
  // Rules picked by first byte: every match starts with one of these (none known: empty).
  std::vector<std::string> leading;
};

struct CompiledRule {
  LogRule rule;
  std::vector<RegexSource> match_sources, ignore_sources;  // fail2ban's included
  std::vector<CompiledRegex> match, ignore;
  bool fail2ban = false;
  std::unique_ptr<Pattern> prefregex;
  int content_group = -1;
  std::unique_ptr<Pattern> prefix;    // prefregex without its content: where the content starts
  std::unique_ptr<DatePattern> date;  // fail2ban rules: the filter's datepattern
  // fail2ban rules whose failregexes are all anchored at the content's start: the match
  // regexes that can start with each byte (leading_bytes.h), instead of a Hyperscan flag.
  bool by_first_byte = false;
  std::array<std::vector<uint32_t>, 256> first_byte;
  std::unique_ptr<KeyWindows> windows;
  std::unique_ptr<RateWindow> rate;
  RuleStats stats;
  // Every alert's labels but the key's, and the key's label name: built once, not per alert.
  std::map<std::string, std::string> base_labels;
  std::string key_label;
};

// What one Hyperscan id stands for.
struct Target {
  uint32_t rule = 0;
  bool ignore = false;
  uint32_t index = 0;
};

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Render(std::string text, const LogAlert& alert) {
  const std::pair<std::string, std::string> vars[] = {
      {"{{key}}", alert.key},
      {"{{count}}", std::to_string(alert.count)},
      {"{{rule}}", alert.rule},
      {"{{severity}}", alert.severity},
  };
  for (const auto& [name, value] : vars) {
    for (size_t at = text.find(name); at != std::string::npos;
         at = text.find(name, at + value.size())) {
      text.replace(at, name.size(), value);
    }
  }
  return text;
}

bool StartsWithOne(std::string_view text, const std::vector<std::string>& literals) {
  if (literals.empty()) return true;
  for (const auto& l : literals) {
    if (text.size() >= l.size() && std::memcmp(text.data(), l.data(), l.size()) == 0) return true;
  }
  return false;
}

// How a flagged line is confirmed, for Explain.
std::string Confirmation(const Pattern& pattern) {
  std::string out = pattern.backtracking() ? " + pcre2" : " + pcre2/re2";
  if (const size_t g = pattern.guards(); g > 0) {
    out += " (" + std::to_string(g) + " conditional guard" + (g > 1 ? "s)" : ")");
  }
  return out;
}

Result<EngineRegex> EngineSyntax(const std::string& text) {
  FS_ASSIGN_OR_RETURN(std::string expanded, ExpandTags(text));
  return ToEngineSyntax(expanded);
}

Result<CompiledRegex> CompileRegex(const RegexSource& source, const LogRule& rule, bool is_match) {
  auto fail = [&](const Status& s) {
    return Err(InvalidArgument(source.where + ": " + s.message()));
  };
  auto engine = EngineSyntax(source.text);
  if (!engine) return fail(engine.error());
  auto pattern = Pattern::Compile(engine->pattern, engine->needs_backtracking);
  if (!pattern) return fail(pattern.error());
  CompiledRegex out;
  out.pattern = std::move(*pattern);
  out.nofail = out.pattern->GroupIndex("nofail");
  out.gained = out.pattern->GroupIndex("mlfgained");
  if (rule.threshold && is_match) {
    const std::string by = rule.threshold->by;
    if (by == "HOST" || by == "ADDR") {
      for (const char* g : {"ip4", "ip6", "dns"}) {
        if (int i = out.pattern->GroupIndex(g); i >= 0) out.key_groups.push_back(i);
      }
    } else {
      std::string name = Lower(by);
      if (name == "id") name = "fid";
      if (name == "port") name = "fport";
      int i = out.pattern->GroupIndex(name);
      if (i < 0) i = out.pattern->GroupIndex(by);
      if (i >= 0) out.key_groups.push_back(i);
    }
    // A regex that cannot give the key would never count: say so now. (fail2ban filters
    // have success and helper regexes without <HOST>; those are skipped, not errors.)
    if (out.key_groups.empty() && !rule.threshold->by.empty() && out.nofail < 0 && out.gained < 0 &&
        rule.filter.empty()) {
      return fail(InvalidArgument("threshold.by " + by +
                                  ": the regex has no such group (use <HOST>, <F-" + by +
                                  ">...</F-" + by + "> or (?P<" + Lower(by) + ">...))"));
    }
  }
  return out;
}

}  // namespace

struct LogRuleEngine::Impl {
  EngineOptions options;
  std::vector<CompiledRule> rules;
  std::vector<Target> targets;
  std::vector<uint32_t> every_line;  // targets Hyperscan could not take
  // fail2ban rules: run on every line, as fail2ban reads every line's date (the year of
  // syslog dates follows all lines, not only the matched ones), flagged or not.
  std::vector<uint32_t> every_line_rules;
  hs_database_t* db = nullptr;
  hs_scratch_t* scratch = nullptr;
  YearGuess year{1970};
  int64_t last_ms = 0;

  // Per-line scratch.
  std::vector<uint32_t> flagged;
  std::string stripped;
  Groups groups, prefix_groups;

  ~Impl() {
    if (scratch) hs_free_scratch(scratch);
    if (db) hs_free_database(db);
  }

  Status AddRule(LogRule rule) {
    CompiledRule c;
    c.match_sources = rule.match;
    c.ignore_sources = rule.ignore;
    if (!rule.filter.empty()) {
      auto filter = ReadFail2banFilter(rule.filter, rule.filter_options);
      if (!filter) {
        return filter.error().WithContext(rule.where + ": rule '" + rule.name + "': filter");
      }
      c.fail2ban = true;
      const std::string where = rule.filter + ": rule '" + rule.name + "': ";
      for (size_t i = 0; i < filter->failregex.size(); ++i) {
        c.match_sources.push_back(
            {filter->failregex[i], where + "failregex #" + std::to_string(i + 1)});
      }
      for (size_t i = 0; i < filter->ignoreregex.size(); ++i) {
        c.ignore_sources.push_back(
            {filter->ignoreregex[i], where + "ignoreregex #" + std::to_string(i + 1)});
      }
      if (!filter->prefregex.empty()) {
        auto engine = EngineSyntax(filter->prefregex);
        if (!engine) return engine.error().WithContext(where + "prefregex");
        auto p = Pattern::Compile(engine->pattern, engine->needs_backtracking);
        if (!p) return p.error().WithContext(where + "prefregex");
        c.prefregex = std::move(*p);
        c.content_group = c.prefregex->GroupIndex("content");
        if (c.content_group < 0) {
          return InvalidArgument(where + "prefregex has no <F-CONTENT>...</F-CONTENT>");
        }
        if (auto prefix = PrefixBeforeContent(filter->prefregex); !prefix.empty()) {
          auto prefix_engine = EngineSyntax(prefix);
          if (prefix_engine && !prefix_engine->needs_backtracking) {
            if (auto p2 = Pattern::Compile(prefix_engine->pattern, false))
              c.prefix = std::move(*p2);
          }
        }
      }
      auto date = DatePattern::Compile(filter->datepattern);
      if (!date) return date.error().WithContext(where + "datepattern");
      c.date = std::move(*date);
      if (!rule.threshold && !rule.rate) {
        // A filter alone behaves as fail2ban's jail defaults: maxretry 5 in findtime 10m.
        rule.threshold = Threshold{5, 600'000, "HOST"};
      }
    }
    for (const auto& s : c.match_sources) {
      FS_ASSIGN_OR_RETURN_STATUS(auto r, CompileRegex(s, rule, true));
      c.match.push_back(std::move(r));
    }
    for (const auto& s : c.ignore_sources) {
      FS_ASSIGN_OR_RETURN_STATUS(auto r, CompileRegex(s, rule, false));
      c.ignore.push_back(std::move(r));
    }
    if (rule.threshold) {
      c.windows = std::make_unique<KeyWindows>(rule.threshold->count, rule.threshold->within_ms,
                                               options.max_keys_per_rule);
    }
    if (rule.rate) c.rate = std::make_unique<RateWindow>(*rule.rate);
    c.stats.name = rule.name;
    c.base_labels = rule.labels;
    c.base_labels["alertname"] = rule.name;
    c.base_labels["severity"] = rule.severity;
    if (rule.threshold) c.key_label = Lower(rule.threshold->by);
    c.rule = std::move(rule);
    rules.push_back(std::move(c));
    return Status::Ok();
  }

  // One Hyperscan database for every regex of every rule. Each regex goes in exactly if
  // Hyperscan can, as a prefilter (a superset, confirmed later) if only that, else it runs
  // on every line.
  // A fail2ban rule whose content start is known and whose failregexes are all anchored
  // there, each to a few leading bytes: the content's first byte picks the regexes to run.
  void PlanFirstByteDispatch(CompiledRule& rule) {
    if (!options.first_byte_dispatch || !rule.fail2ban || (!rule.prefix && !rule.prefregex)) {
      return;
    }
    std::vector<MatchStart> starts;
    for (const auto& source : rule.match_sources) {
      auto engine = EngineSyntax(source.text);
      if (!engine) return;
      auto start = AnchoredStart(engine->pattern);
      if (!start || start->bytes.all()) return;
      starts.push_back(std::move(*start));
    }
    rule.by_first_byte = true;
    for (uint32_t i = 0; i < starts.size(); ++i) {
      for (size_t byte = 0; byte < 256; ++byte) {
        if (starts[i].bytes.test(byte)) rule.first_byte[byte].push_back(i);
      }
      rule.match[i].leading = std::move(starts[i].literals);
      rule.match[i].how = "first-byte" + Confirmation(*rule.match[i].pattern);
    }
  }

  Status Build() {
    std::vector<std::string> expressions;
    std::vector<unsigned> flags, ids;
    for (uint32_t r = 0; r < rules.size(); ++r) {
      CompiledRule& rule = rules[r];
      PlanFirstByteDispatch(rule);
      if (rule.fail2ban) every_line_rules.push_back(r);
      auto add = [&](const std::vector<RegexSource>& sources, std::vector<CompiledRegex>& compiled,
                     bool ignore) {
        for (uint32_t i = 0; i < sources.size(); ++i) {
          auto engine = EngineSyntax(sources[i].text);
          std::string hs_regex = engine ? engine->pattern : "";
          // fail2ban regexes are anchored to the text after the line's prefix; without the
          // anchors they match a superset of the whole line.
          if (rule.fail2ban) hs_regex = WithoutStartAnchors(hs_regex);
          unsigned f = HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY;
          std::string how;
          // Regexes confirmed anyway (fail2ban's, and what Hyperscan can only prefilter) are
          // flagged by a literal every match contains: a far cheaper scan.
          const bool confirmed_anyway = rule.fail2ban || (engine && engine->needs_backtracking);
          if (confirmed_anyway && engine) {
            if (auto literals = RequiredLiterals(engine->pattern); !literals.empty()) {
              hs_regex = EscapeLiterals(literals);
              how = "hyperscan-literal";
            }
          }
          for (unsigned extra : {0u, static_cast<unsigned>(HS_FLAG_PREFILTER)}) {
            if (!how.empty()) break;
            // hs_expression_info parses and analyses without building a database: a cheap
            // "would Hyperscan take it with these flags".
            hs_expr_info_t* info = nullptr;
            hs_compile_error_t* error = nullptr;
            if (hs_expression_info(hs_regex.c_str(), f | extra, &info, &error) == HS_SUCCESS) {
              std::free(info);
              f |= extra;
              how = extra ? "hyperscan-prefilter" : "hyperscan";
              break;
            }
            hs_free_compile_error(error);
          }
          const auto id = static_cast<uint32_t>(targets.size());
          targets.push_back({r, ignore, i});
          if (how.empty()) {
            how = "every-line";
            every_line.push_back(id);
          } else {
            expressions.push_back(hs_regex);
            flags.push_back(f);
            ids.push_back(id);
          }
          compiled[i].how = how + Confirmation(*compiled[i].pattern);
          const bool needs_groups =
              rule.windows != nullptr || compiled[i].nofail >= 0 || compiled[i].gained >= 0;
          compiled[i].exact_enough =
              how == "hyperscan" && !rule.fail2ban && (ignore || !needs_groups);
        }
      };
      if (!rule.by_first_byte) add(rule.match_sources, rule.match, false);
      add(rule.ignore_sources, rule.ignore, true);
    }
    // hs_expression_info can accept what the full compile then refuses (size limits): demote
    // the regex the error names (exact -> prefilter -> every line) and build again.
    for (int attempt = 0; !expressions.empty(); ++attempt) {
      std::vector<const char*> cstrs;
      for (const auto& e : expressions) cstrs.push_back(e.c_str());
      hs_compile_error_t* error = nullptr;
      if (hs_compile_multi(cstrs.data(), flags.data(), ids.data(),
                           static_cast<unsigned>(cstrs.size()), HS_MODE_BLOCK, nullptr, &db,
                           &error) == HS_SUCCESS) {
        break;
      }
      const int bad = error ? error->expression : -1;
      std::string message = error && error->message ? error->message : "unknown error";
      hs_free_compile_error(error);
      if (bad < 0 || attempt > 2 * static_cast<int>(targets.size())) {
        return Internal("Hyperscan could not build the rule database: " + message);
      }
      const Target& t = targets[ids[bad]];
      CompiledRegex& regex =
          t.ignore ? rules[t.rule].ignore[t.index] : rules[t.rule].match[t.index];
      const std::string confirm = Confirmation(*regex.pattern);
      regex.exact_enough = false;
      if (!(flags[bad] & HS_FLAG_PREFILTER)) {
        flags[bad] |= HS_FLAG_PREFILTER;
        regex.how = "hyperscan-prefilter" + confirm;
        continue;
      }
      every_line.push_back(ids[bad]);
      regex.how = "every-line" + confirm;
      expressions.erase(expressions.begin() + bad);
      flags.erase(flags.begin() + bad);
      ids.erase(ids.begin() + bad);
    }
    if (db == nullptr) return Status::Ok();
    if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) {
      return Internal("Hyperscan could not allocate scratch space");
    }
    return Status::Ok();
  }

  static int OnMatch(unsigned int id, unsigned long long, unsigned long long, unsigned int,
                     void* context) {
    static_cast<Impl*>(context)->flagged.push_back(id);
    return 0;
  }

  // The time of a matched line: its own, else the source's, else the last one seen.
  int64_t TimeOf(std::optional<LineTime> own, std::optional<int64_t> given, EngineStats& stats) {
    if (own) {
      last_ms = own->ms;
    } else if (given) {
      last_ms = *given;
    } else {
      ++stats.no_time;
    }
    return last_ms;
  }

  void RunRule(CompiledRule& rule, const uint32_t* begin, const uint32_t* end,
               std::string_view line, std::optional<int64_t> given, EngineStats& stats,
               std::optional<LineTime>& start_time, bool& start_time_parsed,
               std::vector<LogAlert>* alerts) {
    std::string_view text = line;
    std::optional<LineTime> own;
    if (rule.fail2ban) {
      // fail2ban matches the line with its date cut out.
      own = rule.date->Find(line, year);
      if (own && own->begin == 0) {
        text = line.substr(own->end);  // the usual case: no copy
      } else if (own) {
        stripped.assign(line.substr(0, own->begin));
        stripped.append(line.substr(own->end));
        text = stripped;
      }
      if (begin == end && !rule.by_first_byte) return;  // the date was all it needed
    }
    for (const uint32_t* id = begin; id != end; ++id) {
      const Target& t = targets[*id];
      if (t.ignore && (rule.ignore[t.index].exact_enough ||
                       rule.ignore[t.index].pattern->Search(text, &groups))) {
        ++rule.stats.ignored;
        return;
      }
    }
    std::string_view content = text;
    if (rule.prefix) {
      size_t prefix_end = 0;
      if (!rule.prefix->MatchPrefix(text, &prefix_end) || prefix_end >= text.size()) return;
      content = text.substr(prefix_end);
    } else if (rule.prefregex) {
      if (!rule.prefregex->Search(text, &prefix_groups)) return;
      if (!prefix_groups.Took(rule.content_group)) return;
      content = prefix_groups.spans[rule.content_group];
    }
    const CompiledRegex* hit = nullptr;
    if (rule.by_first_byte) {
      if (content.empty()) return;
      for (uint32_t index : rule.first_byte[static_cast<unsigned char>(content[0])]) {
        if (!StartsWithOne(content, rule.match[index].leading)) continue;
        if (rule.match[index].pattern->Search(content, &groups)) {
          hit = &rule.match[index];
          break;
        }
      }
    }
    for (const uint32_t* id = begin; id != end && hit == nullptr; ++id) {
      const Target& t = targets[*id];
      if (t.ignore) continue;
      const CompiledRegex& regex = rule.match[t.index];
      if (regex.exact_enough) {
        groups.spans.clear();
        hit = &regex;
      } else if (regex.pattern->Search(content, &groups)) {
        hit = &regex;
      }
    }
    if (hit == nullptr) return;
    if (groups.Took(hit->nofail) || groups.Took(hit->gained)) {
      ++rule.stats.nofail;
      return;
    }
    if (!rule.fail2ban) {
      if (!start_time_parsed) {
        start_time = ParseLineStartTime(line, year);
        start_time_parsed = true;
      }
      own = start_time;
    }
    const int64_t t_ms = TimeOf(own, given, stats);
    std::string key;
    if (rule.windows) {
      for (int g : hit->key_groups) {
        if (groups.Took(g) && !groups.spans[g].empty()) {
          key.assign(groups.spans[g]);
          break;
        }
      }
      if (key.empty()) {
        ++rule.stats.no_key;
        return;
      }
    }
    ++rule.stats.matched;
    rule.stats.last_match_ms = t_ms;
    if (rule.windows) {
      if (auto fired = rule.windows->Add(key, t_ms)) {
        Emit(rule, key, t_ms, fired->first_ms, fired->count, 0, line, alerts);
      }
    } else if (rule.rate) {
      if (auto spike = rule.rate->Add(t_ms)) {
        Emit(rule, "", t_ms, spike->bucket_start_ms, spike->count, spike->baseline_per_bucket, line,
             alerts);
      }
    } else {
      Emit(rule, "", t_ms, t_ms, 1, 0, line, alerts);
    }
  }

  void Emit(CompiledRule& rule, const std::string& key, int64_t t_ms, int64_t first_ms,
            int64_t count, double baseline, std::string_view line, std::vector<LogAlert>* alerts) {
    ++rule.stats.alerts;
    rule.stats.last_alert_ms = t_ms;
    if (alerts == nullptr) return;
    LogAlert a;
    a.rule = rule.rule.name;
    a.key = key;
    a.severity = rule.rule.severity;
    a.time_ms = t_ms;
    a.first_ms = first_ms;
    a.count = count;
    a.baseline = baseline;
    a.labels = rule.base_labels;
    if (!key.empty() && !rule.key_label.empty()) a.labels[rule.key_label] = key;
    for (const auto& [name, value] : rule.rule.annotations) a.annotations[name] = Render(value, a);
    a.line.assign(line.substr(0, kAlertLineBytes));
    alerts->push_back(std::move(a));
  }
};

LogRuleEngine::LogRuleEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LogRuleEngine::~LogRuleEngine() = default;

Result<std::unique_ptr<LogRuleEngine>> LogRuleEngine::Create(std::vector<LogRule> rules,
                                                             EngineOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->year = YearGuess(options.year);
  for (auto& rule : rules) FS_RETURN_IF_ERROR(impl->AddRule(std::move(rule)));
  FS_RETURN_IF_ERROR(impl->Build());
  return std::unique_ptr<LogRuleEngine>(new LogRuleEngine(std::move(impl)));
}

void LogRuleEngine::Feed(std::string_view text, std::optional<int64_t> time_ms,
                         std::vector<LogAlert>* alerts) {
  Impl& m = *impl_;
  ++stats_.lines;
  if (text.size() > m.options.max_line_bytes) {
    ++stats_.truncated;
    text = text.substr(0, m.options.max_line_bytes);
  }
  if (text.find('\0') != std::string_view::npos) ++stats_.binary;
  m.flagged.clear();
  if (m.db != nullptr) {
    const hs_error_t rc = hs_scan(m.db, text.data(), static_cast<unsigned>(text.size()), 0,
                                  m.scratch, &Impl::OnMatch, &m);
    if (rc != HS_SUCCESS) {
      ++stats_.scan_errors;
      return;
    }
  }
  if (m.flagged.empty() && m.every_line.empty() && m.every_line_rules.empty()) return;
  m.flagged.insert(m.flagged.end(), m.every_line.begin(), m.every_line.end());
  // Ids are numbered rule by rule, match regexes before ignores, each in file order.
  std::sort(m.flagged.begin(), m.flagged.end());
  std::optional<LineTime> start_time;
  bool start_time_parsed = false;
  const uint32_t* ids = m.flagged.data();
  const size_t n = m.flagged.size();
  // Rules in order: those Hyperscan flagged, and those run on every line.
  size_t next_every = 0;
  for (size_t i = 0; i < n || next_every < m.every_line_rules.size();) {
    const uint32_t flagged_rule = i < n ? m.targets[ids[i]].rule : UINT32_MAX;
    const uint32_t every_rule =
        next_every < m.every_line_rules.size() ? m.every_line_rules[next_every] : UINT32_MAX;
    const uint32_t rule = std::min(flagged_rule, every_rule);
    if (rule == every_rule) ++next_every;
    size_t j = i;
    while (j < n && m.targets[ids[j]].rule == rule) ++j;
    m.RunRule(m.rules[rule], ids + i, ids + j, text, time_ms, stats_, start_time, start_time_parsed,
              alerts);
    i = j;
  }
}

void LogRuleEngine::Finish(std::vector<LogAlert>* alerts) {
  for (auto& rule : impl_->rules) {
    if (!rule.rate) continue;
    if (auto spike = rule.rate->Close()) {
      impl_->Emit(rule, "", impl_->last_ms, spike->bucket_start_ms, spike->count,
                  spike->baseline_per_bucket, "", alerts);
    }
  }
}

EngineStats LogRuleEngine::stats() const {
  EngineStats out = stats_;
  for (const auto& rule : impl_->rules) {
    for (const auto* list : {&rule.match, &rule.ignore}) {
      for (const auto& regex : *list) out.limit_hits += regex.pattern->limit_hits();
    }
    if (rule.prefregex) out.limit_hits += rule.prefregex->limit_hits();
  }
  return out;
}

std::vector<RuleStats> LogRuleEngine::rule_stats() const {
  std::vector<RuleStats> out;
  for (const auto& rule : impl_->rules) {
    RuleStats s = rule.stats;
    if (rule.windows) {
      s.keys_evicted = rule.windows->evicted();
      s.keys_expired = rule.windows->expired();
      s.keys = rule.windows->keys();
    }
    out.push_back(s);
  }
  return out;
}

std::vector<std::string> LogRuleEngine::Explain() const {
  std::vector<std::string> out;
  for (const auto& rule : impl_->rules) {
    for (size_t i = 0; i < rule.match.size(); ++i) {
      out.push_back(rule.rule.name + " match #" + std::to_string(i + 1) + ": " + rule.match[i].how);
    }
    for (size_t i = 0; i < rule.ignore.size(); ++i) {
      out.push_back(rule.rule.name + " ignore #" + std::to_string(i + 1) + ": " +
                    rule.ignore[i].how);
    }
  }
  return out;
}

}  // namespace failsafe::watch::logs

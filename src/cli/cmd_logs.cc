// failsafe logs test: runs log rules (a rule file, or one fail2ban filter) over a log file or
// standard input and prints, per rule, the lines matched and the alerts that would fire, like
// fail2ban-regex. Nothing is sent anywhere: it is for trying rules before deploying them.
#include <sys/stat.h>

#include <ctime>
#include <iostream>
#include <map>

#include "cli/commands.h"
#include "cli/output.h"
#include "watch/logs/engine.h"
#include "watch/logs/fail2ban_filter.h"
#include "watch/logs/line_reader.h"
#include "watch/logs/rule_file.h"

namespace failsafe::cli {
namespace {

namespace logs = watch::logs;

struct LogsTestArgs {
  std::string rules;
  std::string filter;
  std::string log_file;
  int year = 0;
  size_t max_alerts = 20;
  bool explain = false;
};

std::string Rfc3339(int64_t ms) {
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Syslog dates have no year: take the file's (its last change), stdin's is this year.
int DefaultYear(const std::string& path) {
  std::time_t when = std::time(nullptr);
  struct stat st {};
  if (path != "-" && ::stat(path.c_str(), &st) == 0) when = st.st_mtime;
  std::tm tm{};
  gmtime_r(&when, &tm);
  return tm.tm_year + 1900;
}

Result<std::vector<logs::LogRule>> LoadRules(const LogsTestArgs& args) {
  if (!args.rules.empty()) return logs::ReadRuleFile(args.rules);
  FS_ASSIGN_OR_RETURN(auto spec, logs::SplitFilterSpec(args.filter));
  logs::LogRule rule;
  auto slash = spec.first.find_last_of('/');
  rule.name = spec.first.substr(slash == std::string::npos ? 0 : slash + 1);
  if (auto dot = rule.name.rfind(".conf"); dot != std::string::npos) rule.name.resize(dot);
  rule.where = args.filter;
  rule.filter = spec.first;
  rule.filter_options = spec.second;
  return std::vector<logs::LogRule>{std::move(rule)};
}

int RunLogsTest(const LogsTestArgs& args, bool json) {
  auto rules = LoadRules(args);
  if (!rules) return PrintError(rules.error());
  logs::EngineOptions options;
  options.year = args.year > 0 ? args.year : DefaultYear(args.log_file);
  auto engine = logs::LogRuleEngine::Create(std::move(*rules), options);
  if (!engine) return PrintError(engine.error());
  std::vector<logs::LogAlert> alerts;
  // Text output shows each rule's first --max-alerts alerts: the rest are counted, not kept
  // (a noisy file fires tens of thousands). JSON has them all.
  std::map<std::string, size_t> kept, not_shown;
  auto trim = [&](size_t from) {
    size_t out = from;
    for (size_t i = from; i < alerts.size(); ++i) {
      if (kept[alerts[i].rule]++ >= args.max_alerts) {
        ++not_shown[alerts[i].rule];
        continue;
      }
      if (out != i) alerts[out] = std::move(alerts[i]);
      ++out;
    }
    alerts.resize(out);
  };
  auto read =
      logs::ReadLinesFromPath(args.log_file, options.max_line_bytes, [&](std::string_view line) {
        const size_t before = alerts.size();
        (*engine)->Feed(line, std::nullopt, &alerts);
        if (!json && alerts.size() > before) trim(before);
      });
  if (!read) return PrintError(read.error());
  const size_t before_finish = alerts.size();
  (*engine)->Finish(&alerts);
  if (!json) trim(before_finish);
  const auto stats = (*engine)->rule_stats();
  const auto totals = (*engine)->stats();

  if (json) {
    boost::json::array out_rules;
    for (const auto& s : stats) {
      boost::json::array out_alerts;
      for (const auto& a : alerts) {
        if (a.rule != s.name) continue;
        boost::json::object o{{"key", a.key},
                              {"count", a.count},
                              {"first", Rfc3339(a.first_ms)},
                              {"at", Rfc3339(a.time_ms)},
                              {"severity", a.severity},
                              {"line", SanitizeForTerminal(a.line)}};
        if (a.baseline > 0) o["baseline"] = a.baseline;
        out_alerts.push_back(std::move(o));
      }
      out_rules.push_back(boost::json::object{{"name", s.name},
                                              {"matched", s.matched},
                                              {"ignored", s.ignored},
                                              {"not_failures", s.nofail},
                                              {"alerts", std::move(out_alerts)}});
    }
    std::cout << boost::json::serialize(boost::json::object{{"rules", std::move(out_rules)}})
              << "\n";
    return kExitOk;
  }

  if (args.explain) {
    std::cout << "How each regex runs:\n";
    for (const auto& line : (*engine)->Explain()) std::cout << "  " << line << "\n";
    std::cout << "\n";
  }
  std::cout << "Lines: " << totals.lines << " read, " << totals.truncated << " too long (cut), "
            << totals.binary << " with binary bytes, " << totals.no_time
            << " matched without a time of their own";
  if (totals.limit_hits > 0) std::cout << ", " << totals.limit_hits << " regex match limits hit";
  std::cout << "\n";
  for (const auto& s : stats) {
    std::cout << "\nRule " << s.name << ": " << s.matched << " matched, " << s.ignored
              << " ignored, " << s.nofail << " matched but not failures, " << s.alerts << " alerts";
    if (s.keys_evicted > 0) std::cout << " (" << s.keys_evicted << " keys evicted)";
    std::cout << "\n";
    Table table({"KEY", "COUNT", "FIRST", "FIRED"});
    for (const auto& a : alerts) {
      if (a.rule != s.name) continue;
      table.AddRow({a.key.empty() ? "-" : SanitizeForTerminal(a.key), std::to_string(a.count),
                    Rfc3339(a.first_ms), Rfc3339(a.time_ms)});
    }
    const size_t more = not_shown[s.name];
    if (table.rows() > 0) std::cout << table.Render();
    if (more > 0) std::cout << "... and " << more << " more (--max-alerts, or --json for all)\n";
  }
  return kExitOk;
}

}  // namespace

void AddLogsCommand(CLI::App& app, Context& ctx) {
  auto* logs_cmd = app.add_subcommand("logs", "Log rules: try them on a log file");
  logs_cmd->require_subcommand(1);
  auto args = std::make_shared<LogsTestArgs>();
  auto* test = logs_cmd->add_subcommand(
      "test",
      "Run log rules over a file (or - for stdin) and print, per rule, the lines matched and "
      "the alerts that would fire, like fail2ban-regex");
  auto* rules = test->add_option("--rules", args->rules, "log rule file (YAML, log_rules:)")
                    ->type_name("FILE");
  auto* filter = test->add_option("--filter", args->filter,
                                  "a fail2ban filter instead of a rule file, e.g. "
                                  "/etc/fail2ban/filter.d/sshd.conf[mode=aggressive]; counted as "
                                  "fail2ban's jail defaults: 5 by HOST within 10m")
                     ->type_name("FILE");
  rules->excludes(filter);
  test->add_option("LOGFILE", args->log_file, "log file to read, - for standard input")->required();
  test->add_option("--year", args->year,
                   "year of syslog dates without one (default: the file's modification year)");
  test->add_option("--max-alerts", args->max_alerts, "alerts listed per rule in text output")
      ->capture_default_str();
  test->add_flag("--explain", args->explain,
                 "also list how each regex runs (hyperscan, hyperscan-literal, "
                 "hyperscan-prefilter, every-line; confirmed by pcre2 or pcre2/re2)");
  test->footer(
      "Times come from the lines themselves, so a file gives the same result whenever "
      "it is read. Exit codes: 0 ok, 1 error, 2 usage.");
  test->callback([&ctx, args, rules, filter] {
    if (rules->count() == 0 && filter->count() == 0) {
      throw CLI::RequiredError("--rules or --filter");
    }
    ctx.run = [&ctx, args] { return RunLogsTest(*args, ctx.json); };
  });
}

}  // namespace failsafe::cli

// failsafe rules check FILE...: validates rule files offline, like promtool check rules.
#include <iostream>

#include "cli/commands.h"
#include "cli/output.h"
#include "watch/rules/rule_file.h"

namespace failsafe::cli {

namespace {

int CheckRuleFiles(const Context& ctx, const std::vector<std::string>& files) {
  bool failed = false;
  boost::json::array report;
  for (const std::string& file : files) {
    const watch::rules::RuleFileParse parsed = watch::rules::LoadRuleFile(file);
    failed = failed || !parsed.errors.empty();
    if (ctx.json) {
      boost::json::array errors;
      for (const std::string& e : parsed.errors) errors.emplace_back(e);
      report.push_back({{"file", file},
                        {"groups", parsed.groups.size()},
                        {"rules", parsed.rule_count()},
                        {"errors", std::move(errors)}});
      continue;
    }
    if (parsed.errors.empty()) {
      std::cout << file << ": " << parsed.rule_count() << " rules in " << parsed.groups.size()
                << (parsed.groups.size() == 1 ? " group" : " groups") << ", OK\n";
    } else {
      for (const std::string& e : parsed.errors) std::cerr << e << "\n";
      std::cout << file << ": " << parsed.errors.size()
                << (parsed.errors.size() == 1 ? " error" : " errors") << "\n";
    }
  }
  if (ctx.json) std::cout << PrettyJson({{"files", std::move(report)}, {"ok", !failed}});
  return failed ? kExitError : kExitOk;
}

}  // namespace

void AddRulesCommand(CLI::App& app, Context& ctx) {
  auto* rules = app.add_subcommand("rules", "Alerting and recording rules (docs/watch/rules.md)");
  rules->require_subcommand(1);
  auto* check = rules->add_subcommand(
      "check",
      "Validate rule files: print each file's rule count, or every error with "
      "file:line:column; exit 1 if any file has errors");
  auto files = std::make_shared<std::vector<std::string>>();
  check->add_option("FILE", *files, "rule files (YAML)")->required();
  check->callback(
      [&ctx, files] { ctx.run = [&ctx, files] { return CheckRuleFiles(ctx, *files); }; });
}

}  // namespace failsafe::cli

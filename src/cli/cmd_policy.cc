// failsafe policy add|list|show|update|delete: escalation policies (catalog; admin to edit).
#include <memory>

#include "cli/catalog_cli.h"

namespace failsafe::cli {
namespace {

using namespace catalog_cli;

constexpr const char* kPath = "/api/v1/policies";

// "5m:schedule:primary,role:commander" -> {"delay":"5m","targets":[{...},{...}]}.
Result<boost::json::object> ParseLevel(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return Err(InvalidArgument("--level \"" + text + "\": " + why +
                                   " (expected DELAY:TYPE:KEY[,TYPE:KEY...], e.g. "
                                   "5m:schedule:primary,role:commander)",
                               "--level"));
  };
  const size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0) return bad("no delay");
  boost::json::array targets;
  size_t pos = colon + 1;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string::npos) comma = text.size();
    const std::string target = text.substr(pos, comma - pos);
    const size_t sep = target.find(':');
    if (sep == std::string::npos || sep == 0 || sep + 1 == target.size()) {
      return bad("target \"" + target + "\" is not TYPE:KEY");
    }
    const std::string type = target.substr(0, sep), key = target.substr(sep + 1);
    targets.push_back(type == "role" ? boost::json::object{{"type", type}, {"role", key}}
                                     : boost::json::object{{"type", type}, {"key", key}});
    pos = comma + 1;
  }
  return boost::json::object{{"delay", text.substr(0, colon)}, {"targets", std::move(targets)}};
}

struct PolicyFlags {
  std::string key, name;
  int repeat = 0;
  std::vector<std::string> levels;
  CLI::Option *key_opt = nullptr, *name_opt = nullptr, *repeat_opt = nullptr, *levels_opt = nullptr;

  void Add(CLI::App* cmd, bool creating) {
    key_opt = cmd->add_option("--key", key, "lowercase key, e.g. p1-default");
    name_opt = cmd->add_option("--name", name, "display name");
    repeat_opt = cmd->add_option("--repeat", repeat, "times to run the levels again (0-10)")
                     ->check(CLI::Range(0, 10));
    levels_opt = cmd->add_option("--level", levels,
                                 "DELAY:TYPE:KEY[,TYPE:KEY...] in order, TYPE person|schedule|"
                                 "team|role, e.g. 0s:schedule:primary (repeat; replaces all)");
    if (creating) {
      key_opt->required();
      name_opt->required();
      levels_opt->required();
    }
  }
  Result<boost::json::object> Body() const {
    boost::json::object b;
    if (Given(key_opt)) b["key"] = key;
    if (Given(name_opt)) b["name"] = name;
    if (Given(repeat_opt)) b["repeat"] = repeat;
    if (Given(levels_opt)) {
      boost::json::array a;
      for (const auto& l : levels) {
        FS_ASSIGN_OR_RETURN(auto level, ParseLevel(l));
        a.push_back(std::move(level));
      }
      b["levels"] = std::move(a);
    }
    return b;
  }
};

}  // namespace

void AddPolicyCommand(CLI::App& app, Context& ctx) {
  auto* policy = app.add_subcommand("policy", "Escalation policies: who is paged next, when");
  policy->require_subcommand(1);
  policy->footer(kApiFooter);

  AddCreateAndUpdate<PolicyFlags>(policy, ctx, kPath, "policy", "Add an escalation policy (admin)",
                                  "KEY", "key");

  auto* list = policy->add_subcommand("list", "List escalation policies");
  list->callback([&ctx] {
    ctx.run = [&ctx] {
      return PrintList(ctx, std::string(kPath) + "?limit=500", {"KEY", "NAME", "REPEAT", "LEVELS"},
                       {"key", "name", "repeat", "levels"});
    };
  });

  AddShowAndDelete(policy, ctx, kPath, "policy", "KEY");
}

}  // namespace failsafe::cli

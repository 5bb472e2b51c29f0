// failsafe team add|list|show|update|delete: teams and their members (catalog).
#include <memory>

#include "cli/catalog_cli.h"

namespace failsafe::cli {
namespace {

using namespace catalog_cli;

constexpr const char* kPath = "/api/v1/teams";

struct TeamFlags {
  std::string key, name;
  std::vector<std::string> members;
  CLI::Option *key_opt = nullptr, *name_opt = nullptr, *members_opt = nullptr;

  void Add(CLI::App* cmd, bool creating) {
    key_opt = cmd->add_option("--key", key, "lowercase key, e.g. ops");
    name_opt = cmd->add_option("--name", name, "display name, e.g. 运维组");
    members_opt = cmd->add_option("--member", members,
                                  "a person's handle (repeat; replaces the member list)");
    if (creating) {
      key_opt->required();
      name_opt->required();
    }
  }
  boost::json::object Body() const {
    boost::json::object b;
    if (Given(key_opt)) b["key"] = key;
    if (Given(name_opt)) b["name"] = name;
    if (Given(members_opt)) b["members"] = Strings(members);
    return b;
  }
};

}  // namespace

void AddTeamCommand(CLI::App& app, Context& ctx) {
  auto* team = app.add_subcommand("team", "Teams and their members");
  team->require_subcommand(1);
  team->footer(kApiFooter);

  AddCreateAndUpdate<TeamFlags>(team, ctx, kPath, "team", "Add a team", "KEY", "key");

  auto* list = team->add_subcommand("list", "List teams");
  list->callback([&ctx] {
    ctx.run = [&ctx] {
      return PrintList(ctx, std::string(kPath) + "?limit=500", {"KEY", "NAME", "MEMBERS"},
                       {"key", "name", "members"});
    };
  });

  AddShowAndDelete(team, ctx, kPath, "team", "KEY");
}

}  // namespace failsafe::cli

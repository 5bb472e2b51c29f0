// failsafe severity list|show|update: the severity policy P1..P4 (update: admin).
#include <memory>

#include "cli/catalog_cli.h"

namespace failsafe::cli {
namespace {

using namespace catalog_cli;

constexpr const char* kPath = "/api/v1/severities";

struct SeverityFlags {
  std::string level, name_zh, name_en, criteria_zh, criteria_en, ack, cadence, resolve, policy;
  std::vector<std::string> audiences;
  int rank = 0;
  std::map<std::string, std::pair<CLI::Option*, const std::string*>> text;
  CLI::Option *audiences_opt = nullptr, *rank_opt = nullptr;

  void Add(CLI::App* cmd) {
    cmd->add_option("LEVEL", level, "P1, P2, P3 or P4")->required();
    text["name_zh"] = {cmd->add_option("--name-zh", name_zh, "Chinese name, e.g. 一级"), &name_zh};
    text["name_en"] = {cmd->add_option("--name-en", name_en, "English name"), &name_en};
    text["criteria_zh"] = {cmd->add_option("--criteria-zh", criteria_zh, "criteria (Chinese)"),
                           &criteria_zh};
    text["criteria_en"] = {cmd->add_option("--criteria-en", criteria_en, "criteria (English)"),
                           &criteria_en};
    text["ack_target"] = {cmd->add_option("--ack", ack, "time to acknowledge, e.g. 5m or 5s"),
                          &ack};
    text["update_cadence"] = {
        cmd->add_option("--update-cadence", cadence, "status update every, e.g. 30m (0s: none)"),
        &cadence};
    text["resolve_target"] = {cmd->add_option("--resolve", resolve, "time to resolve, e.g. 4h"),
                              &resolve};
    text["escalation_policy"] = {
        cmd->add_option("--policy", policy, "escalation policy key (\"\" clears it)"), &policy};
    audiences_opt = cmd->add_option(
        "--audience", audiences, "who is told: internal, customers, leadership (repeat; replaces)");
    rank_opt = cmd->add_option("--rank", rank, "order, 1 = most severe")->check(CLI::Range(1, 99));
  }
  boost::json::object Body() const {
    boost::json::object b;
    for (const auto& [field, opt] : text) {
      if (Given(opt.first)) b[field] = *opt.second;
    }
    if (Given(audiences_opt)) b["audiences"] = Strings(audiences);
    if (Given(rank_opt)) b["rank"] = rank;
    return b;
  }
};

}  // namespace

void AddSeverityCommand(CLI::App& app, Context& ctx) {
  auto* severity = app.add_subcommand("severity", "The severity policy: P1 (一级) .. P4 (四级)");
  severity->require_subcommand(1);
  severity->footer(kApiFooter);

  auto* list = severity->add_subcommand("list", "List the severity levels");
  list->callback([&ctx] {
    ctx.run = [&ctx] {
      return PrintList(ctx, kPath,
                       {"LEVEL", "名称", "NAME", "ACK", "UPDATE", "RESOLVE", "AUDIENCES", "POLICY"},
                       {"level", "name_zh", "name_en", "ack_target", "update_cadence",
                        "resolve_target", "audiences", "escalation_policy"});
    };
  });

  auto show_level = std::make_shared<std::string>();
  auto* show = severity->add_subcommand("show", "Show one level");
  show->add_option("LEVEL", *show_level, "P1, P2, P3 or P4")->required();
  show->callback([&ctx, show_level] {
    ctx.run = [&ctx, show_level] {
      return PrintObject(ctx, ctx.Client().Get(ItemPath(kPath, *show_level)));
    };
  });

  auto flags = std::make_shared<SeverityFlags>();
  auto* update = severity->add_subcommand("update", "Change a level (admin; only the flags given)");
  flags->Add(update);
  update->callback([&ctx, flags] {
    ctx.run = [&ctx, flags] {
      return PrintChanged(ctx, ctx.Client().Patch(ItemPath(kPath, flags->level), flags->Body()),
                          "updated", "severity", "level");
    };
  });
}

}  // namespace failsafe::cli

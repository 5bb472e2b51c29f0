// failsafe schedule add|list|show|update|delete|oncall|shifts|ical|override: on-call schedules.
#include <memory>

#include "cli/catalog_cli.h"

namespace failsafe::cli {
namespace {

using namespace catalog_cli;

constexpr const char* kPath = "/api/v1/schedules";

struct ScheduleFlags {
  std::string key, name, rotation, handoff, zone, start_date;
  std::vector<std::string> members;
  std::map<std::string, std::pair<CLI::Option*, const std::string*>> text;
  CLI::Option* members_opt = nullptr;

  void Add(CLI::App* cmd, bool creating) {
    auto* k = cmd->add_option("--key", key, "lowercase key, e.g. primary");
    auto* n = cmd->add_option("--name", name, "display name");
    auto* s = cmd->add_option("--start-date", start_date, "first shift's day, YYYY-MM-DD");
    if (creating) {
      k->required();
      n->required();
      s->required();
    }
    text["key"] = {k, &key};
    text["name"] = {n, &name};
    text["start_date"] = {s, &start_date};
    text["rotation"] = {cmd->add_option("--rotation", rotation, "daily or weekly (default)")
                            ->check(CLI::IsMember({"daily", "weekly"})),
                        &rotation};
    text["handoff_time"] = {
        cmd->add_option("--handoff", handoff, "local hand-off time HH:MM (default 09:00)"),
        &handoff};
    text["time_zone"] = {
        cmd->add_option("--time-zone", zone, "IANA time zone, e.g. Asia/Shanghai (default UTC)"),
        &zone};
    members_opt =
        cmd->add_option("--member", members, "a person's handle, in rotation order (repeat)");
  }
  boost::json::object Body() const {
    boost::json::object b;
    for (const auto& [field, opt] : text) {
      if (Given(opt.first)) b[field] = *opt.second;
    }
    if (Given(members_opt)) b["members"] = Strings(members);
    return b;
  }
};

int OnCall(const Context& ctx, const std::string& key, const std::string& at) {
  std::string path = ItemPath(kPath, key) + "/oncall";
  if (!at.empty()) path += "?at=" + UrlEncode(at);
  auto r = ctx.Client().Get(path);
  if (!r) return PrintError(r.error());
  if (ctx.json) {
    std::cout << PrettyJson(*r);
    return kExitOk;
  }
  const auto& o = r->as_object();
  const auto& people = o.at("on_call").as_array();
  if (people.empty()) {
    std::cout << "nobody is on call on " << SanitizeForTerminal(key) << " at "
              << SanitizeForTerminal(CellText(o, "at")) << "\n";
    return kExitOk;
  }
  for (const auto& p : people) {
    const auto& person = p.as_object();
    std::cout << SanitizeForTerminal(CellText(person, "handle")) << "  "
              << SanitizeForTerminal(CellText(person, "name")) << "  "
              << SanitizeForTerminal(CellText(person, "phone")) << "\n";
  }
  if (o.at("shift").is_object()) {
    const auto& shift = o.at("shift").as_object();
    std::cout << "shift: " << TimeCell(shift, "start") << " - " << TimeCell(shift, "end")
              << (shift.at("override_id").is_null() ? "" : " (override)") << "\n";
  }
  return kExitOk;
}

int Ical(const Context& ctx, const std::string& key, const std::string& from, int days) {
  std::string path = ItemPath(kPath, key) + "/ical?format=json";
  if (!from.empty()) path += "&from=" + UrlEncode(from);
  if (days > 0) path += "&days=" + std::to_string(days);
  auto r = ctx.Client().Get(path);
  if (!r) return PrintError(r.error());
  if (ctx.json) {
    std::cout << PrettyJson(*r);
    return kExitOk;
  }
  // The calendar as served (CRLF lines), ready to redirect into a .ics file.
  std::cout << std::string(r->as_object().at("ical").as_string());
  return kExitOk;
}

void AddOverrideCommands(CLI::App* schedule, Context& ctx) {
  auto* override_cmd = schedule->add_subcommand("override", "Cover part of a rotation");
  override_cmd->require_subcommand(1);

  struct AddOptions {
    std::string key, person, start, end;
  };
  auto add_opts = std::make_shared<AddOptions>();
  auto* add = override_cmd->add_subcommand("add", "Put a person on call for a period");
  add->add_option("KEY", add_opts->key, "the schedule's key")->required();
  add->add_option("--person", add_opts->person, "handle of who covers")->required();
  add->add_option("--start", add_opts->start, "RFC 3339 start, e.g. 2026-03-01T09:00:00+08:00")
      ->required();
  add->add_option("--end", add_opts->end, "RFC 3339 end")->required();
  add->callback([&ctx, add_opts] {
    ctx.run = [&ctx, add_opts] {
      boost::json::object body{
          {"person", add_opts->person}, {"start", add_opts->start}, {"end", add_opts->end}};
      return PrintChanged(ctx,
                          ctx.Client().Post(ItemPath(kPath, add_opts->key) + "/overrides", body),
                          "created", "override", "id");
    };
  });

  auto list_key = std::make_shared<std::string>();
  auto* list = override_cmd->add_subcommand("list", "Current and coming overrides");
  list->add_option("KEY", *list_key, "the schedule's key")->required();
  list->callback([&ctx, list_key] {
    ctx.run = [&ctx, list_key] {
      return PrintList(ctx, ItemPath(kPath, *list_key) + "/overrides",
                       {"ID", "PERSON", "START", "END"}, {"id", "person", "start", "end"});
    };
  });

  auto del_key = std::make_shared<std::string>();
  auto del_id = std::make_shared<int64_t>(0);
  auto* del = override_cmd->add_subcommand("delete", "Remove an override");
  del->add_option("KEY", *del_key, "the schedule's key")->required();
  del->add_option("ID", *del_id, "the override's id")->required()->check(CLI::PositiveNumber);
  del->callback([&ctx, del_key, del_id] {
    ctx.run = [&ctx, del_key, del_id] {
      auto r =
          ctx.Client().Delete(ItemPath(kPath, *del_key) + "/overrides/" + std::to_string(*del_id));
      if (!r) return PrintError(r.error());
      if (ctx.json) {
        std::cout << PrettyJson(boost::json::object{{"id", *del_id}, {"deleted", true}});
      } else {
        std::cout << "deleted override " << *del_id << "\n";
      }
      return kExitOk;
    };
  });
}

}  // namespace

void AddScheduleCommand(CLI::App& app, Context& ctx) {
  auto* schedule = app.add_subcommand("schedule", "On-call schedules: rotations, overrides");
  schedule->require_subcommand(1);
  schedule->footer(kApiFooter);

  AddCreateAndUpdate<ScheduleFlags>(schedule, ctx, kPath, "schedule", "Add a schedule", "KEY",
                                    "key");

  auto* list = schedule->add_subcommand("list", "List schedules");
  list->callback([&ctx] {
    ctx.run = [&ctx] {
      return PrintList(
          ctx, std::string(kPath) + "?limit=500",
          {"KEY", "NAME", "ROTATION", "HANDOFF", "TIME ZONE", "START", "MEMBERS"},
          {"key", "name", "rotation", "handoff_time", "time_zone", "start_date", "members"});
    };
  });

  AddShowAndDelete(schedule, ctx, kPath, "schedule", "KEY");

  auto oncall_key = std::make_shared<std::string>();
  auto oncall_at = std::make_shared<std::string>();
  auto* oncall = schedule->add_subcommand("oncall", "Who is on call now (or --at a time)");
  oncall->add_option("KEY", *oncall_key, "the schedule's key")->required();
  oncall->add_option("--at", *oncall_at, "RFC 3339 time, e.g. 2026-03-01T03:00:00+08:00");
  oncall->callback([&ctx, oncall_key, oncall_at] {
    ctx.run = [&ctx, oncall_key, oncall_at] { return OnCall(ctx, *oncall_key, *oncall_at); };
  });

  auto shifts_key = std::make_shared<std::string>();
  auto shifts_from = std::make_shared<std::string>();
  auto shifts_days = std::make_shared<int>(0);
  auto* shifts = schedule->add_subcommand("shifts", "The coming shifts, overrides applied");
  shifts->add_option("KEY", *shifts_key, "the schedule's key")->required();
  shifts->add_option("--from", *shifts_from, "RFC 3339 start (default now)");
  shifts->add_option("--days", *shifts_days, "how many days (default 14)")
      ->check(CLI::Range(1, 366));
  shifts->callback([&ctx, shifts_key, shifts_from, shifts_days] {
    ctx.run = [&ctx, shifts_key, shifts_from, shifts_days] {
      std::string path = ItemPath(kPath, *shifts_key) + "/shifts?limit=500";
      if (!shifts_from->empty()) path += "&from=" + UrlEncode(*shifts_from);
      if (*shifts_days > 0) path += "&days=" + std::to_string(*shifts_days);
      return PrintList(ctx, path, {"START", "END", "PERSON", "OVERRIDE"},
                       {"start", "end", "person", "override_id"});
    };
  });

  auto ical_key = std::make_shared<std::string>();
  auto ical_from = std::make_shared<std::string>();
  auto ical_days = std::make_shared<int>(0);
  auto* ical = schedule->add_subcommand("ical", "Print the schedule as iCalendar (.ics)");
  ical->add_option("KEY", *ical_key, "the schedule's key")->required();
  ical->add_option("--from", *ical_from, "RFC 3339 start (default a week ago)");
  ical->add_option("--days", *ical_days, "how many days (default 63)")->check(CLI::Range(1, 366));
  ical->callback([&ctx, ical_key, ical_from, ical_days] {
    ctx.run = [&ctx, ical_key, ical_from, ical_days] {
      return Ical(ctx, *ical_key, *ical_from, *ical_days);
    };
  });

  AddOverrideCommands(schedule, ctx);
}

}  // namespace failsafe::cli

// failsafe incident declare|list|show|ack|mitigate|resolve|verify|close|reopen|assign|check|
// note|update|plan|severity|link|timeline: the incident commander's verbs.
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/output.h"

namespace failsafe::cli {
namespace {

std::string IncidentPath(const std::string& id) {
  return "/api/v1/incidents/" + UrlEncode(id);
}

// One line about an incident after a change; --json prints the whole answer.
int PrintIncident(const Context& ctx, const Result<boost::json::value>& r, const char* verb) {
  if (!r) return PrintError(r.error());
  if (ctx.json) {
    std::cout << PrettyJson(*r);
    return kExitOk;
  }
  const boost::json::object empty;
  const auto& i = r->is_object() ? r->get_object() : empty;
  std::cout << verb << " " << CellText(i, "id") << " [" << CellText(i, "severity") << "] "
            << SanitizeForTerminal(CellText(i, "title")) << " — " << CellText(i, "status") << "\n";
  return kExitOk;
}

int PrintDone(const Context& ctx, const Result<boost::json::value>& r, const std::string& line) {
  if (!r) return PrintError(r.error());
  if (ctx.json) {
    std::cout << PrettyJson(*r);
  } else {
    std::cout << line << "\n";
  }
  return kExitOk;
}

struct DeclareOptions {
  std::string title, severity, summary, plan;
  std::vector<std::string> services;
};

int Declare(const Context& ctx, const DeclareOptions& o) {
  boost::json::object body{{"title", o.title}, {"severity", o.severity}};
  boost::json::array services;
  for (const auto& s : o.services) services.emplace_back(s);
  body["services"] = std::move(services);
  if (!o.summary.empty()) body["summary"] = o.summary;
  if (!o.plan.empty()) body["plan"] = o.plan;
  return PrintIncident(ctx, ctx.Client().Post("/api/v1/incidents", body), "declared");
}

struct ListOptions {
  std::string status, severity, service, text;
};

int List(const Context& ctx, const ListOptions& o) {
  std::string path = "/api/v1/incidents?limit=200";
  if (!o.status.empty()) path += "&status=" + UrlEncode(o.status);
  if (!o.severity.empty()) path += "&severity=" + UrlEncode(o.severity);
  if (!o.service.empty()) path += "&service=" + UrlEncode(o.service);
  if (!o.text.empty()) path += "&q=" + UrlEncode(o.text);
  auto items = ctx.Client().GetItems(path, 1000);
  if (!items) return PrintError(items.error());
  if (ctx.json) {
    std::cout << PrettyJson(*items);
    return kExitOk;
  }
  Table table({"ID", "SEV", "STATUS", "TITLE", "DECLARED"});
  for (const auto& v : *items) {
    if (!v.is_object()) continue;
    const auto& i = v.get_object();
    table.AddRow({CellText(i, "id"), CellText(i, "severity"), CellText(i, "status"),
                  CellText(i, "title"), TimeCell(i, "declared_at")});
  }
  std::cout << table.Render();
  return kExitOk;
}

int Show(const Context& ctx, const std::string& id) {
  auto r = ctx.Client().Get(IncidentPath(id));
  if (!r) return PrintError(r.error());
  if (ctx.json) {
    std::cout << PrettyJson(*r);
    return kExitOk;
  }
  const auto& i = r->as_object();
  std::cout << CellText(i, "id") << " [" << CellText(i, "severity") << "] "
            << SanitizeForTerminal(CellText(i, "title")) << "\n  status: " << CellText(i, "status")
            << "   declared: " << TimeCell(i, "declared_at") << " by "
            << SanitizeForTerminal(CellText(i, "declared_by")) << "\n";
  if (const auto* plan = i.if_contains("plan"); plan && plan->is_object()) {
    std::cout << "  plan: " << CellText(plan->get_object(), "key") << " v"
              << CellText(plan->get_object(), "version") << "\n";
  }
  std::cout << "\nRoles 角色\n";
  Table roles({"ROLE", "NAME", "PERSON"});
  for (const auto& v : i.at("roles").as_array()) {
    const auto& r2 = v.as_object();
    std::string person = "-";
    if (const auto* p = r2.if_contains("person"); p && p->is_object()) {
      person = CellText(p->get_object(), "name") + " (" + CellText(p->get_object(), "handle") + ")";
    }
    roles.AddRow({CellText(r2, "role"), CellText(r2, "name"), person});
  }
  std::cout << roles.Render();
  if (!i.at("checklist").as_array().empty()) {
    std::cout << "\nChecklist 检查清单\n";
    Table checklist({"#", "DONE", "PHASE", "ROLE", "STEP"});
    for (const auto& v : i.at("checklist").as_array()) {
      const auto& c = v.as_object();
      checklist.AddRow({CellText(c, "position"), c.at("done").as_bool() ? "x" : " ",
                        CellText(c, "phase"), CellText(c, "role"), CellText(c, "title")});
    }
    std::cout << checklist.Render();
  }
  std::cout << "\nTimeline 时间线\n";
  Table timeline({"TIME", "WHO", "EVENT"});
  for (const auto& v : i.at("timeline").as_array()) {
    const auto& e = v.as_object();
    timeline.AddRow({TimeCell(e, "at"), CellText(e, "actor"), CellText(e, "text")});
  }
  std::cout << timeline.Render();
  return kExitOk;
}

int Move(const Context& ctx, const std::string& id, const std::string& action,
         const std::string& note) {
  boost::json::object body{{"action", action}};
  if (!note.empty()) body["note"] = note;
  return PrintIncident(ctx, ctx.Client().Post(IncidentPath(id) + "/transition", body),
                       (action + ":").c_str());
}

int Timeline(const Context& ctx, const std::string& id, const std::string& format) {
  if (format != "md" && format != "json" && format != "table") {
    return PrintError(InvalidArgument("--format must be table, md or json"));
  }
  auto r = ctx.Client().Get(IncidentPath(id) + "/timeline");
  if (!r) return PrintError(r.error());
  if (ctx.json || format == "json") {
    std::cout << PrettyJson(*r);
    return kExitOk;
  }
  const auto& events = r->as_object().at("timeline").as_array();
  if (format == "md") {
    std::cout << "| time | who | event |\n|---|---|---|\n";
    for (const auto& v : events) {
      const auto& e = v.as_object();
      std::cout << "| " << CellText(e, "at") << " | " << CellText(e, "actor") << " | "
                << CellText(e, "text") << " |\n";
    }
    return kExitOk;
  }
  Table table({"TIME", "WHO", "KIND", "EVENT"});
  for (const auto& v : events) {
    const auto& e = v.as_object();
    table.AddRow(
        {TimeCell(e, "at"), CellText(e, "actor"), CellText(e, "kind"), CellText(e, "text")});
  }
  std::cout << table.Render();
  return kExitOk;
}

struct UpdateOptions {
  std::string stage, audience = "internal", language, title, body, message, eta;
  bool preview = false;
};

int Update(const Context& ctx, const std::string& id, const UpdateOptions& o) {
  boost::json::object body{{"stage", o.stage}, {"audience", o.audience}};
  if (!o.language.empty()) body["language"] = o.language;
  if (!o.title.empty()) body["title"] = o.title;
  if (!o.body.empty()) body["body"] = o.body;
  if (!o.message.empty()) body["message"] = o.message;
  if (!o.eta.empty()) body["eta"] = o.eta;
  auto r =
      ctx.Client().Post(IncidentPath(id) + (o.preview ? "/updates/preview" : "/updates"), body);
  if (!r) return PrintError(r.error());
  if (ctx.json) {
    std::cout << PrettyJson(*r);
    return kExitOk;
  }
  if (o.preview) {  // what would go out, for a look before posting; line by line, sanitised
    std::cout << SanitizeForTerminal(CellText(r->as_object(), "title")) << "\n\n";
    const std::string text = CellText(r->as_object(), "body");
    for (size_t start = 0; start <= text.size();) {
      const size_t end = std::min(text.find('\n', start), text.size());
      std::cout << SanitizeForTerminal(std::string_view(text).substr(start, end - start)) << "\n";
      start = end + 1;
    }
    return kExitOk;
  }
  std::cout << "posted " << o.stage << " update to " << o.audience << ": "
            << SanitizeForTerminal(CellText(r->as_object(), "title")) << "\n";
  return kExitOk;
}

// Adds a subcommand taking the incident ID; `run` gets the id.
CLI::App* WithId(CLI::App* parent, const char* name, const char* help,
                 std::shared_ptr<std::string> id) {
  auto* cmd = parent->add_subcommand(name, help);
  cmd->add_option("ID", *id, "incident id (INC-2026-0042) or number")->required();
  return cmd;
}

}  // namespace

void AddIncidentCommand(CLI::App& app, Context& ctx) {
  auto* incident = app.add_subcommand("incident", "Declare and run incidents (事件)");
  incident->require_subcommand(1);
  incident->footer(kApiFooter);

  auto d = std::make_shared<DeclareOptions>();
  auto* declare = incident->add_subcommand("declare", "Declare an incident");
  declare->add_option("--title", d->title, "what is wrong, in one line")->required();
  declare->add_option("--severity", d->severity, "P1 (一级) .. P4 (四级)")->required();
  declare->add_option("--service", d->services, "affected service key (repeatable)");
  declare->add_option("--summary", d->summary, "longer description");
  declare->add_option("--plan", d->plan, "plan key to activate at once (its approved version)");
  declare->callback([&ctx, d] { ctx.run = [&ctx, d] { return Declare(ctx, *d); }; });

  auto l = std::make_shared<ListOptions>();
  auto* list = incident->add_subcommand("list", "List incidents, newest first");
  list->add_option("--status", l->status, "statuses, comma-separated, or open");
  list->add_option("--severity", l->severity, "P1..P4, comma-separated");
  list->add_option("--search", l->text,
                   "words that must all occur in the id, title or a service key");
  list->add_option("--service", l->service, "service key");
  list->callback([&ctx, l] { ctx.run = [&ctx, l] { return List(ctx, *l); }; });

  auto id = std::make_shared<std::string>();
  auto* show = WithId(incident, "show", "Show an incident: roles, checklist, timeline", id);
  show->callback([&ctx, id] { ctx.run = [&ctx, id] { return Show(ctx, *id); }; });

  auto note = std::make_shared<std::string>();
  struct Verb {
    const char* name;
    const char* action;
    const char* help;
  };
  static constexpr Verb kVerbs[] = {
      {"ack", "ack", "Acknowledge: you are on it (stops escalation)"},
      {"mitigate", "mitigate", "Mark as mitigating"},
      {"resolve", "resolve", "Service recovered (from acknowledged or mitigating)"},
      {"verify", "verify", "Recovery verified"},
      {"close", "close", "Close a verified incident"},
      {"reopen", "reopen", "Reopen an incident resolved by mistake"},
  };
  for (const Verb& v : kVerbs) {
    auto* cmd = WithId(incident, v.name, v.help, id);
    cmd->add_option("--note", *note, "a note for the timeline");
    const std::string action = v.action;
    cmd->callback([&ctx, id, note, action] {
      ctx.run = [&ctx, id, note, action] { return Move(ctx, *id, action, *note); };
    });
  }

  auto role = std::make_shared<std::string>();
  auto person = std::make_shared<std::string>();
  auto* assign = WithId(incident, "assign", "Assign a role to a person", id);
  assign->add_option("--role", *role, "commander, tech_support, business_coordinator, ...")
      ->required();
  assign->add_option("--person", *person, "the person's handle")->required();
  assign->callback([&ctx, id, role, person] {
    ctx.run = [&ctx, id, role, person] {
      return PrintDone(ctx,
                       ctx.Client().Post(IncidentPath(*id) + "/roles",
                                         boost::json::object{{"role", *role}, {"person", *person}}),
                       "assigned " + *role + " to " + *person);
    };
  });

  auto step = std::make_shared<std::string>();
  auto undo = std::make_shared<bool>(false);
  auto* check = WithId(incident, "check", "Tick a checklist step (key or number)", id);
  check->add_option("STEP", *step, "step key or 1-based number")->required();
  check->add_flag("--undo", *undo, "untick it");
  check->add_option("--note", *note, "a note on the step");
  check->callback([&ctx, id, step, undo, note] {
    ctx.run = [&ctx, id, step, undo, note] {
      boost::json::object body{{"step", *step}, {"done", !*undo}};
      if (!note->empty()) body["note"] = *note;
      return PrintDone(ctx, ctx.Client().Post(IncidentPath(*id) + "/checklist", body),
                       std::string(*undo ? "unticked " : "ticked ") + *step);
    };
  });

  auto assignee = std::make_shared<std::string>();
  auto clear = std::make_shared<bool>(false);
  auto* assign_step =
      WithId(incident, "assign-step", "Assign a checklist step to a person (or --clear)", id);
  assign_step->add_option("STEP", *step, "step key or 1-based number")->required();
  auto* person_opt = assign_step->add_option("--person", *assignee, "the person's handle");
  assign_step->add_flag("--clear", *clear, "no one in particular: whoever holds the step's role")
      ->excludes(person_opt);
  assign_step->callback([&ctx, id, step, assignee, clear] {
    ctx.run = [&ctx, id, step, assignee, clear]() -> int {
      if (assignee->empty() && !*clear) {
        return PrintError(InvalidArgument("give --person HANDLE or --clear", "person"));
      }
      boost::json::object body{
          {"assignee", *clear ? boost::json::value(nullptr) : boost::json::value(*assignee)}};
      return PrintDone(ctx, ctx.Client().Patch(IncidentPath(*id) + "/checklist/" + *step, body),
                       *clear ? "unassigned " + *step : "assigned " + *step + " to " + *assignee);
    };
  });

  auto text = std::make_shared<std::string>();
  auto* note_cmd = WithId(incident, "note", "Add a note to the timeline", id);
  note_cmd->add_option("TEXT", *text, "the note")->required();
  note_cmd->callback([&ctx, id, text] {
    ctx.run = [&ctx, id, text] {
      return PrintDone(
          ctx,
          ctx.Client().Post(IncidentPath(*id) + "/notes", boost::json::object{{"text", *text}}),
          "noted");
    };
  });

  auto u = std::make_shared<UpdateOptions>();
  auto* update = WithId(incident, "update", "Post a status update (template or free text)", id);
  update->add_option("--stage", u->stage, "investigating, identified, monitoring, resolved")
      ->required();
  update->add_option("--audience", u->audience, "internal (default), customers, leadership");
  update->add_option("--language", u->language, "zh-CN (default) or en");
  update->add_option("--title", u->title, "title (default: from the template)");
  update->add_option("--body", u->body, "free text instead of the plan's template");
  update->add_option("--message", u->message, "fills {{message}} in the template");
  update->add_option("--eta", u->eta, "fills {{eta}} in the template, e.g. \"30 min\"");
  update->add_flag("--preview", u->preview, "print the update as it would go out; post nothing");
  update->callback([&ctx, id, u] { ctx.run = [&ctx, id, u] { return Update(ctx, *id, *u); }; });

  auto plan = std::make_shared<std::string>();
  auto* plan_cmd = WithId(incident, "plan", "Activate a plan on a running incident", id);
  plan_cmd->add_option("PLAN", *plan, "plan key")->required();
  plan_cmd->callback([&ctx, id, plan] {
    ctx.run = [&ctx, id, plan] {
      return PrintIncident(
          ctx, ctx.Client().Post(IncidentPath(*id) + "/plan", boost::json::object{{"plan", *plan}}),
          "plan activated on");
    };
  });

  auto severity = std::make_shared<std::string>();
  auto* sev = WithId(incident, "severity", "Change the severity", id);
  sev->add_option("SEVERITY", *severity, "P1..P4")->required();
  sev->callback([&ctx, id, severity] {
    ctx.run = [&ctx, id, severity] {
      return PrintIncident(
          ctx, ctx.Client().Patch(IncidentPath(*id), boost::json::object{{"severity", *severity}}),
          "severity changed:");
    };
  });

  auto other = std::make_shared<std::string>();
  auto merge = std::make_shared<bool>(false);
  auto* link =
      WithId(incident, "link", "Link a related incident (or --merge it into this one)", id);
  link->add_option("OTHER", *other, "the other incident")->required();
  link->add_flag("--merge", *merge, "close OTHER as merged into ID");
  link->callback([&ctx, id, other, merge] {
    ctx.run = [&ctx, id, other, merge] {
      return PrintIncident(
          ctx,
          ctx.Client().Post(
              IncidentPath(*id) + "/links",
              boost::json::object{{"other", *other}, {"kind", *merge ? "merge" : "related"}}),
          *merge ? "merged into" : "linked with");
    };
  });

  auto format = std::make_shared<std::string>("table");
  auto* timeline = WithId(incident, "timeline", "Print the timeline", id);
  timeline->add_option("--format", *format, "table (default), md or json");
  timeline->callback(
      [&ctx, id, format] { ctx.run = [&ctx, id, format] { return Timeline(ctx, *id, *format); }; });
}

}  // namespace failsafe::cli

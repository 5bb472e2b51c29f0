// failsafe postmortem create|show|list|export|refresh|action add|action done|action list, and
// failsafe report incidents: the review after an incident and the period report.
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "cli/commands.h"
#include "cli/output.h"
#include "cli/postmortem_edits.h"

namespace failsafe::cli {
namespace {

namespace bj = boost::json;

std::string PostmortemPath(int64_t id, const std::string& rest = "") {
  return "/api/v1/postmortems/" + std::to_string(id) + rest;
}

const bj::object& AsObject(const bj::value& v) {
  static const bj::object kEmpty;
  return v.is_object() ? v.get_object() : kEmpty;
}

// The member `key` when it is an object, else an empty object. Never a temporary: the result
// must outlive the expression (a `cond ? o.at(k) : bj::value()` would dangle).
const bj::object& ObjectAt(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  return v != nullptr ? AsObject(*v) : AsObject(nullptr);
}

const bj::array& ArrayAt(const bj::object& o, std::string_view key) {
  static const bj::array kEmpty;
  const bj::value* v = o.if_contains(key);
  return v != nullptr && v->is_array() ? v->get_array() : kEmpty;
}

std::string Minutes(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_number()) return "-";
  const int64_t ms = v->to_number<int64_t>();
  const int64_t sign = ms < 0 ? -1 : 1;
  const int64_t minutes = sign * ms / 60000;
  return (sign < 0 ? "-" : "") + std::to_string(minutes / 60) + "h" +
         (minutes % 60 < 10 ? "0" : "") + std::to_string(minutes % 60) + "m";
}

// Writes `content` to `file`, or to stdout when `file` is empty.
int WriteOut(const std::string& file, const std::string& content) {
  if (file.empty()) {
    std::cout << content;
    return kExitOk;
  }
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) return PrintError(InvalidArgument("cannot write " + file, "-o"));
  return kExitOk;
}

int PrintSummary(const Context& ctx, const Result<bj::value>& r, const char* verb) {
  if (!r) return PrintError(r.error());
  if (ctx.json) {
    std::cout << PrettyJson(*r);
    return kExitOk;
  }
  const auto& p = AsObject(*r);
  std::cout << verb << " postmortem " << CellText(p, "id") << " for " << CellText(p, "incident_ref")
            << ": " << SanitizeForTerminal(CellText(p, "title")) << " — " << CellText(p, "status")
            << "\n";
  return kExitOk;
}

int Create(const Context& ctx, const std::string& incident) {
  return PrintSummary(
      ctx, ctx.Client().Post("/api/v1/postmortems", bj::object{{"incident", incident}}), "started");
}

int List(const Context& ctx, const std::string& status) {
  std::string path = "/api/v1/postmortems?limit=200";
  if (!status.empty()) path += "&status=" + UrlEncode(status);
  auto items = ctx.Client().GetItems(path, 1000);
  if (!items) return PrintError(items.error());
  if (ctx.json) {
    std::cout << PrettyJson(*items);
    return kExitOk;
  }
  Table table({"ID", "INCIDENT", "STATUS", "TITLE", "CREATED"});
  for (const auto& v : *items) {
    const auto& p = AsObject(v);
    table.AddRow({CellText(p, "id"), CellText(p, "incident_ref"), CellText(p, "status"),
                  SanitizeForTerminal(CellText(p, "title")), TimeCell(p, "created_at")});
  }
  std::cout << table.Render();
  return kExitOk;
}

void ShowMeasures(const bj::object& p) {
  std::cout << "\nMeasured times 响应时间\n";
  Table t({"MEASURE", "ACTUAL", "TARGET", "RESULT", "DIFFERENCE"});
  for (const auto& v : ArrayAt(p, "measures")) {
    const auto& m = AsObject(v);
    t.AddRow({CellText(m, "name"), Minutes(m, "duration_ms"), Minutes(m, "target_ms"),
              CellText(m, "result"), Minutes(m, "delta_ms")});
  }
  std::cout << t.Render();
}

void ShowLists(const bj::object& p) {
  if (!ArrayAt(p, "root_causes").empty()) {
    std::cout << "\nRoot causes 根本原因\n";
    for (const auto& v : ArrayAt(p, "root_causes")) {
      const auto& c = AsObject(v);
      std::cout << "  [" << CellText(c, "category") << "] "
                << SanitizeForTerminal(CellText(c, "description")) << "\n";
      int n = 0;
      for (const auto& w : ArrayAt(c, "whys")) {
        std::cout << "    why " << ++n << ": "
                  << SanitizeForTerminal(w.is_string() ? std::string(w.get_string()) : "") << "\n";
      }
    }
  }
  if (!ArrayAt(p, "proposed_revisions").empty()) {
    std::cout << "\nProposed plan revisions 预案修订建议\n";
    for (const auto& v : ArrayAt(p, "proposed_revisions")) {
      std::cout << "  - " << SanitizeForTerminal(CellText(AsObject(v), "text")) << "\n";
    }
  }
  std::cout << "\nAction items 改进措施\n";
  Table actions({"ID", "TITLE", "OWNER", "DUE", "STATUS"});
  for (const auto& v : ArrayAt(p, "actions")) {
    const auto& a = AsObject(v);
    std::string status = CellText(a, "status");
    if (const auto* o = a.if_contains("overdue"); o && o->is_bool() && o->get_bool()) {
      status += " (overdue)";
    }
    actions.AddRow({CellText(a, "id"), SanitizeForTerminal(CellText(a, "title")),
                    SanitizeForTerminal(CellText(a, "owner")), CellText(a, "due_date"), status});
  }
  std::cout << actions.Render();
}

int Show(const Context& ctx, int64_t id) {
  auto r = ctx.Client().Get(PostmortemPath(id));
  if (!r) return PrintError(r.error());
  if (ctx.json) {
    std::cout << PrettyJson(*r);
    return kExitOk;
  }
  const auto& p = AsObject(*r);
  const auto& incident = ObjectAt(p, "incident");
  const auto& impact = ObjectAt(p, "impact");
  std::cout << "postmortem " << CellText(p, "id") << " — " << CellText(p, "status") << "\n"
            << "  incident: " << CellText(incident, "ref") << " [" << CellText(incident, "severity")
            << "] " << SanitizeForTerminal(CellText(incident, "title")) << "\n"
            << "  impact: " << Minutes(impact, "duration_ms") << ", services "
            << CellText(impact, "services") << ", users "
            << SanitizeForTerminal(CellText(impact, "users_affected")) << "\n"
            << "  summary: " << SanitizeForTerminal(CellText(p, "summary")) << "\n";
  ShowMeasures(p);
  ShowLists(p);
  return kExitOk;
}

struct ExportOptions {
  int64_t id = 0;
  std::string format = "md", lang, out_file;
};

// Reads a document route (the server wraps it in JSON for this client) and writes it.
int WriteDocument(const Context& ctx, const Result<bj::value>& r, const std::string& out_file) {
  if (!r) return PrintError(r.error());
  const auto& doc = AsObject(*r);
  const bj::value* content = doc.if_contains("content");
  if (content == nullptr || !content->is_string()) {
    return PrintError(Internal("the server's answer carries no document"));
  }
  if (ctx.json && out_file.empty()) {
    std::cout << PrettyJson(*r);
    return kExitOk;
  }
  if (int rc = WriteOut(out_file, std::string(content->get_string())); rc != kExitOk) return rc;
  if (!out_file.empty()) {
    if (ctx.json) {
      bj::object summary = doc;
      summary.erase("content");
      summary["file"] = out_file;
      std::cout << PrettyJson(summary);
    } else {
      std::cout << "wrote " << out_file << "\n";
    }
  }
  return kExitOk;
}

int Export(const Context& ctx, const ExportOptions& o) {
  std::string path = PostmortemPath(o.id, "/export?format=" + UrlEncode(o.format));
  if (!o.lang.empty()) path += "&lang=" + UrlEncode(o.lang);
  return WriteDocument(ctx, ctx.Client().Get(path), o.out_file);
}

int Refresh(const Context& ctx, int64_t id) {
  return PrintSummary(ctx, ctx.Client().Post(PostmortemPath(id, "/timeline/refresh"), bj::object{}),
                      "refreshed the timeline of");
}

struct UpdateOptions {
  int64_t id = 0;
  PostmortemEdits edits;
};

int Update(const Context& ctx, const UpdateOptions& o) {
  std::optional<std::string> file_text;
  if (o.edits.from_file) {
    std::ifstream in(*o.edits.from_file, std::ios::binary);
    if (!in) return PrintError(InvalidArgument("cannot read " + *o.edits.from_file, "from_file"));
    std::stringstream text;
    text << in.rdbuf();
    file_text = text.str();
  }
  auto body = PostmortemPatchBody(o.edits, file_text);
  if (!body) return PrintError(body.error());
  return PrintSummary(ctx, ctx.Client().Patch(PostmortemPath(o.id), *body), "updated");
}

void AddUpdateCommand(CLI::App* pm, Context& ctx) {
  auto o = std::make_shared<UpdateOptions>();
  auto* cmd = pm->add_subcommand(
      "update", "Write the postmortem: summary, impact, causes with five whys, evaluation");
  cmd->add_option("ID", o->id, "postmortem id")->required()->check(CLI::PositiveNumber);
  PostmortemEdits& e = o->edits;
  cmd->add_option("--title", e.title, "title");
  cmd->add_option("--summary", e.summary, "what happened (Markdown)");
  cmd->add_option("--impact", e.impact, "who and what was affected, for how long (Markdown)");
  cmd->add_option("--users-affected", e.users_affected, "a number or a description");
  cmd->add_option("--impacted-service", e.impacted_services, "a service key (repeatable)");
  cmd->add_option("--cause", e.causes,
                  "a root cause: \"CATEGORY|description|why 1|why 2|...\" (repeatable; replaces "
                  "the causes; categories: hardware, network, software_defect, human_error, "
                  "natural_disaster, malicious_attack, other)");
  cmd->add_option("--went-well", e.went_well, "what went well (repeatable; replaces the list)");
  cmd->add_option("--went-badly", e.went_badly, "what went badly (repeatable; replaces the list)");
  cmd->add_option("--evaluate", e.evaluations,
                  "a plan step's verdict: \"STEP_KEY=worked|missing|wrong|not_used[: comment]\" "
                  "(repeatable; merged by step)");
  cmd->add_option("--revision", e.revisions, "a plan revision to propose (repeatable)");
  cmd->add_option("--status", e.status, "draft, in_review or published")
      ->check(CLI::IsMember({"draft", "in_review", "published"}));
  cmd->add_option("--from-file", e.from_file,
                  "a JSON body with any of these fields (flags given too win)");
  cmd->callback([&ctx, o] { ctx.run = [&ctx, o] { return Update(ctx, *o); }; });
}

struct ActionOptions {
  int64_t id = 0, action_id = 0;
  std::string title, owner, due;
  bool overdue = false;
};

int PrintAction(const Context& ctx, const Result<bj::value>& r, const char* verb) {
  if (!r) return PrintError(r.error());
  if (ctx.json) {
    std::cout << PrettyJson(*r);
    return kExitOk;
  }
  const auto& a = AsObject(*r);
  std::cout << verb << " action " << CellText(a, "id") << " \""
            << SanitizeForTerminal(CellText(a, "title")) << "\" (owner "
            << SanitizeForTerminal(CellText(a, "owner")) << ", due " << CellText(a, "due_date")
            << ", " << CellText(a, "status") << ")\n";
  return kExitOk;
}

int AddAction(const Context& ctx, const ActionOptions& o) {
  bj::object body{{"title", o.title}, {"owner", o.owner}, {"due_date", o.due}};
  return PrintAction(ctx, ctx.Client().Post(PostmortemPath(o.id, "/actions"), body), "added");
}

int DoneAction(const Context& ctx, const ActionOptions& o) {
  return PrintAction(
      ctx,
      ctx.Client().Patch(PostmortemPath(o.id, "/actions/" + std::to_string(o.action_id)),
                         bj::object{{"status", "done"}}),
      "done:");
}

int ListActions(const Context& ctx, bool overdue) {
  auto items = ctx.Client().GetItems(std::string("/api/v1/postmortems/actions?limit=500") +
                                     (overdue ? "&overdue=true" : ""));
  if (!items) return PrintError(items.error());
  if (ctx.json) {
    std::cout << PrettyJson(*items);
    return kExitOk;
  }
  Table table({"ID", "POSTMORTEM", "INCIDENT", "TITLE", "OWNER", "DUE", "STATUS"});
  for (const auto& v : *items) {
    const auto& a = AsObject(v);
    table.AddRow({CellText(a, "id"), CellText(a, "postmortem_id"), CellText(a, "incident_ref"),
                  SanitizeForTerminal(CellText(a, "title")),
                  SanitizeForTerminal(CellText(a, "owner")), CellText(a, "due_date"),
                  CellText(a, "status")});
  }
  std::cout << table.Render();
  return kExitOk;
}

struct ReportOptions {
  std::string from, to, lang, out_file;
  bool csv = false;
};

std::string Percent(const bj::object& share) {
  const bj::value* v = share.if_contains("share");
  if (v == nullptr || !v->is_number()) return "-";
  return std::to_string(static_cast<int>(v->to_number<double>() * 100 + 0.5)) + "% (" +
         CellText(share, "met") + " met, " + CellText(share, "missed") + " missed)";
}

int Report(const Context& ctx, const ReportOptions& o) {
  std::string path = "/api/v1/reports/incidents?format=" + std::string(o.csv ? "csv" : "json");
  if (!o.from.empty()) path += "&from=" + UrlEncode(o.from);
  if (!o.to.empty()) path += "&to=" + UrlEncode(o.to);
  if (!o.lang.empty()) path += "&lang=" + UrlEncode(o.lang);
  auto r = ctx.Client().Get(path);
  if (o.csv) return WriteDocument(ctx, r, o.out_file);
  if (!r) return PrintError(r.error());
  if (ctx.json) {
    std::cout << PrettyJson(*r);
    return kExitOk;
  }
  const auto& rep = AsObject(*r);
  std::cout << "Incidents " << TimeCell(rep, "from") << " .. " << TimeCell(rep, "to") << ": "
            << CellText(rep, "total") << "\n  MTTA " << Minutes(rep, "mtta_ms") << "   MTTR "
            << Minutes(rep, "mttr_ms")
            << "\n  acknowledge target met: " << Percent(AsObject(rep.at("ack_target")))
            << "\n  resolve target met: " << Percent(AsObject(rep.at("resolve_target"))) << "\n";
  Table sev({"SEVERITY", "NAME", "COUNT", "MTTA", "MTTR"});
  for (const auto& v : ArrayAt(rep, "by_severity")) {
    const auto& s = AsObject(v);
    sev.AddRow({CellText(s, "severity"), CellText(s, "name_zh") + " " + CellText(s, "name_en"),
                CellText(s, "count"), Minutes(s, "mtta_ms"), Minutes(s, "mttr_ms")});
  }
  std::cout << "\n" << sev.Render();
  Table svc({"SERVICE", "COUNT"});
  for (const auto& v : ArrayAt(rep, "by_service")) {
    svc.AddRow({CellText(AsObject(v), "service"), CellText(AsObject(v), "count")});
  }
  std::cout << "\n" << svc.Render();
  std::cout << "\nOverdue actions 逾期改进措施: " << ArrayAt(rep, "overdue_actions").size() << "\n";
  for (const auto& v : ArrayAt(rep, "overdue_actions")) {
    const auto& a = AsObject(v);
    std::cout << "  " << CellText(a, "incident_ref") << " #" << CellText(a, "id") << " "
              << SanitizeForTerminal(CellText(a, "title")) << " ("
              << SanitizeForTerminal(CellText(a, "owner")) << ", due " << CellText(a, "due_date")
              << ")\n";
  }
  return kExitOk;
}

void AddReportCommand(CLI::App& app, Context& ctx) {
  auto* report = app.add_subcommand("report", "Reports over a period (统计报表)");
  report->require_subcommand(1);
  report->footer(kApiFooter);
  auto o = std::make_shared<ReportOptions>();
  auto* incidents = report->add_subcommand(
      "incidents", "Incidents by severity and service, MTTA/MTTR, targets met, overdue actions");
  incidents->add_option("--from", o->from,
                        "first day (2026-01-01) or RFC 3339 time; default 30 days ago");
  incidents->add_option("--to", o->to,
                        "last day, inclusive (2026-01-31) or RFC 3339 time; default now");
  incidents->add_flag("--csv", o->csv, "one row per incident as CSV (UTF-8 with BOM, for Excel)");
  incidents->add_option("--lang", o->lang, "CSV headers: en (default) or zh-CN");
  incidents->add_option("-o,--output", o->out_file, "write the CSV to FILE");
  incidents->callback([&ctx, o] { ctx.run = [&ctx, o] { return Report(ctx, *o); }; });
}

}  // namespace

void AddPostmortemCommand(CLI::App& app, Context& ctx) {
  auto* pm = app.add_subcommand("postmortem", "Postmortems after incidents (事后复盘)");
  pm->require_subcommand(1);
  pm->footer(kApiFooter);

  auto incident = std::make_shared<std::string>();
  auto* create = pm->add_subcommand("create", "Start the postmortem of a recovered incident");
  create->add_option("INCIDENT_ID", *incident, "incident ref (INC-2026-0001) or number")
      ->required();
  create->callback(
      [&ctx, incident] { ctx.run = [&ctx, incident] { return Create(ctx, *incident); }; });

  auto id = std::make_shared<int64_t>(0);
  auto* show = pm->add_subcommand("show", "Show a postmortem: measured times, causes, actions");
  show->add_option("ID", *id, "postmortem id")->required()->check(CLI::PositiveNumber);
  show->callback([&ctx, id] { ctx.run = [&ctx, id] { return Show(ctx, *id); }; });

  auto status = std::make_shared<std::string>();
  auto* list = pm->add_subcommand("list", "List postmortems, newest first");
  list->add_option("--status", *status, "draft, in_review or published");
  list->callback([&ctx, status] { ctx.run = [&ctx, status] { return List(ctx, *status); }; });

  auto e = std::make_shared<ExportOptions>();
  auto* exp = pm->add_subcommand("export", "Export a postmortem as Markdown or HTML");
  exp->add_option("ID", e->id, "postmortem id")->required()->check(CLI::PositiveNumber);
  exp->add_option("--format", e->format, "md (default) or html")
      ->check(CLI::IsMember({"md", "html"}));
  exp->add_option("--lang", e->lang, "labels in en (default) or zh-CN");
  exp->add_option("-o,--output", e->out_file, "write to FILE instead of stdout");
  exp->callback([&ctx, e] { ctx.run = [&ctx, e] { return Export(ctx, *e); }; });

  AddUpdateCommand(pm, ctx);

  auto* refresh = pm->add_subcommand("refresh", "Pull the incident's latest timeline in");
  refresh->add_option("ID", *id, "postmortem id")->required()->check(CLI::PositiveNumber);
  refresh->callback([&ctx, id] { ctx.run = [&ctx, id] { return Refresh(ctx, *id); }; });

  auto* action = pm->add_subcommand("action", "Action items of postmortems");
  action->require_subcommand(1);
  auto a = std::make_shared<ActionOptions>();
  auto* add = action->add_subcommand("add", "Add an action item");
  add->add_option("ID", a->id, "postmortem id")->required()->check(CLI::PositiveNumber);
  add->add_option("--title", a->title, "what will be done")->required();
  add->add_option("--owner", a->owner, "a person's handle or a username")->required();
  add->add_option("--due", a->due, "due day, YYYY-MM-DD")->required();
  add->callback([&ctx, a] { ctx.run = [&ctx, a] { return AddAction(ctx, *a); }; });
  auto* done = action->add_subcommand("done", "Mark an action item done");
  done->add_option("ID", a->id, "postmortem id")->required()->check(CLI::PositiveNumber);
  done->add_option("ACTION_ID", a->action_id, "action id")->required()->check(CLI::PositiveNumber);
  done->callback([&ctx, a] { ctx.run = [&ctx, a] { return DoneAction(ctx, *a); }; });
  auto* alist = action->add_subcommand("list", "Action items across postmortems");
  alist->add_flag("--overdue", a->overdue, "only pending ones past their due day");
  alist->callback([&ctx, a] { ctx.run = [&ctx, a] { return ListActions(ctx, a->overdue); }; });

  AddReportCommand(app, ctx);
}

}  // namespace failsafe::cli

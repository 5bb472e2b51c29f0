// failsafe plan import|export|list|show|submit|approve|retire: emergency plans (预案) as code.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "cli/output.h"

namespace failsafe::cli {
namespace {

namespace bj = boost::json;

const bj::object& AsObject(const bj::value& v) {
  static const bj::object kEmpty;
  return v.is_object() ? v.get_object() : kEmpty;
}

// "English / 中文" for a {en, zh-CN} text, one of them when they agree.
std::string LocalCell(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_object()) return CellText(o, key);
  const std::string en = CellText(v->get_object(), "en");
  const std::string zh = CellText(v->get_object(), "zh-CN");
  return en == zh ? en : en + " / " + zh;
}

std::string PlanPath(const std::string& key, std::string_view rest = {}) {
  return "/api/v1/plans/" + UrlEncode(key) + std::string(rest);
}

int Import(const Context& ctx, const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return PrintError(InvalidArgument("cannot read " + file));
  std::stringstream text;
  text << in.rdbuf();
  const std::string name = std::filesystem::path(file).filename().string();
  auto v = ctx.Client().Post("/api/v1/plans/import",
                             bj::object{{"yaml", text.str()}, {"filename", name}});
  if (!v) return PrintError(v.error());
  if (ctx.json) {
    std::cout << PrettyJson(*v);
    return kExitOk;
  }
  const auto& o = AsObject(*v);
  std::cout << "imported plan " << SanitizeForTerminal(CellText(o, "key")) << " version "
            << CellText(o, "version") << " (" << CellText(o, "status")
            << "): " << SanitizeForTerminal(LocalCell(o, "title")) << "\n"
            << "next: failsafe plan approve " << SanitizeForTerminal(CellText(o, "key")) << "\n";
  return kExitOk;
}

int Export(const Context& ctx, const std::string& key, int version, const std::string& out_file) {
  std::string path = PlanPath(key, "/export?format=json");
  if (version > 0) path += "&version=" + std::to_string(version);
  auto v = ctx.Client().Get(path);
  if (!v) return PrintError(v.error());
  const auto& o = AsObject(*v);
  const bj::value* yaml = o.if_contains("yaml");
  if (yaml == nullptr || !yaml->is_string()) {
    return PrintError(Internal("the server's export answer has no yaml"));
  }
  if (!out_file.empty()) {
    std::ofstream out(out_file, std::ios::binary | std::ios::trunc);
    out << yaml->get_string().c_str();
    out.close();
    if (!out) return PrintError(InvalidArgument("cannot write " + out_file));
    if (ctx.json) {
      bj::object summary = o;
      summary.erase("yaml");
      summary["file"] = out_file;
      std::cout << PrettyJson(summary);
    } else {
      std::cout << "wrote " << out_file << " (" << SanitizeForTerminal(key) << " version "
                << CellText(o, "version") << ")\n";
    }
    return kExitOk;
  }
  if (ctx.json) {
    std::cout << PrettyJson(*v);
  } else {
    std::cout << std::string_view(yaml->get_string());  // the file itself: not sanitised
  }
  return kExitOk;
}

int List(const Context& ctx, bool overdue) {
  auto items = ctx.Client().GetItems(overdue ? "/api/v1/plans?limit=500&review=overdue"
                                             : "/api/v1/plans?limit=500");
  if (!items) return PrintError(items.error());
  if (ctx.json) {
    std::cout << PrettyJson(*items);
    return kExitOk;
  }
  Table table({"KEY", "LATEST", "STATUS", "APPROVED", "NEXT REVIEW", "OVERDUE", "TITLE"});
  for (const auto& v : *items) {
    const auto& o = AsObject(v);
    table.AddRow({SanitizeForTerminal(CellText(o, "key")), CellText(o, "latest_version"),
                  CellText(o, "latest_status"), CellText(o, "approved_version"),
                  TimeCell(o, "next_review_at"), CellText(o, "review_overdue"),
                  SanitizeForTerminal(LocalCell(o, "title"))});
  }
  std::cout << table.Render();
  return kExitOk;
}

void PrintVersionLine(const bj::object& o) {
  std::cout << SanitizeForTerminal(CellText(o, "key")) << " version " << CellText(o, "version")
            << ": " << CellText(o, "status") << "\n";
}

int Show(const Context& ctx, const std::string& key, int version) {
  std::string path = PlanPath(key);
  if (version > 0) path += "?version=" + std::to_string(version);
  auto v = ctx.Client().Get(path);
  if (!v) return PrintError(v.error());
  if (ctx.json) {
    std::cout << PrettyJson(*v);
    return kExitOk;
  }
  const auto& o = AsObject(*v);
  std::cout << SanitizeForTerminal(LocalCell(o, "title")) << "\n";
  PrintVersionLine(o);
  std::cout << "owner: " << SanitizeForTerminal(CellText(o, "owner"))
            << "   services: " << SanitizeForTerminal(CellText(o, "services"))
            << "   next review: " << TimeCell(o, "next_review_at") << "\n";
  if (!CellText(o, "approved_by").empty()) {
    std::cout << "approved by " << SanitizeForTerminal(CellText(o, "approved_by")) << " at "
              << TimeCell(o, "approved_at") << "\n";
  }
  auto list = [&](std::string_view name) -> const bj::array* {
    const bj::value* a = o.if_contains(name);
    return a != nullptr && a->is_array() ? &a->get_array() : nullptr;
  };
  if (const auto* scenarios = list("scenarios"); scenarios && !scenarios->empty()) {
    std::cout << "\nScenarios / 场景\n";
    Table t({"KEY", "TYPE", "SEVERITY", "TITLE"});
    for (const auto& s : *scenarios) {
      const auto& so = AsObject(s);
      t.AddRow({SanitizeForTerminal(CellText(so, "key")), CellText(so, "type"),
                CellText(so, "default_severity"), SanitizeForTerminal(LocalCell(so, "title"))});
    }
    std::cout << t.Render();
  }
  if (const auto* roles = list("roles")) {
    std::cout << "\nRoles / 角色\n";
    Table t({"KEY", "NAME"});
    for (const auto& r : *roles) {
      const auto& ro = AsObject(r);
      t.AddRow(
          {SanitizeForTerminal(CellText(ro, "key")), SanitizeForTerminal(LocalCell(ro, "name"))});
    }
    std::cout << t.Render();
  }
  if (const auto* steps = list("steps")) {
    std::cout << "\nSteps / 步骤\n";
    Table t({"#", "PHASE", "ROLE", "REQUIRED", "KEY", "TITLE"});
    int n = 0;
    for (const auto& s : *steps) {
      const auto& so = AsObject(s);
      t.AddRow({std::to_string(++n), CellText(so, "phase"),
                SanitizeForTerminal(CellText(so, "role")), CellText(so, "required"),
                SanitizeForTerminal(CellText(so, "key")),
                SanitizeForTerminal(LocalCell(so, "title"))});
    }
    std::cout << t.Render();
  }
  if (const auto* templates = list("templates"); templates && !templates->empty()) {
    std::cout << "\nTemplates / 通报模板\n";
    Table t({"STAGE", "AUDIENCE", "LANGUAGE", "TITLE"});
    for (const auto& x : *templates) {
      const auto& to = AsObject(x);
      t.AddRow({CellText(to, "stage"), CellText(to, "audience"), CellText(to, "language"),
                SanitizeForTerminal(CellText(to, "title"))});
    }
    std::cout << t.Render();
  }
  return kExitOk;
}

int Move(const Context& ctx, const std::string& key, int version, std::string_view verb,
         std::string_view done) {
  bj::object body;
  if (version > 0) body["version"] = version;
  auto v = ctx.Client().Post(PlanPath(key, "/" + std::string(verb)), body);
  if (!v) return PrintError(v.error());
  if (ctx.json) {
    std::cout << PrettyJson(*v);
    return kExitOk;
  }
  const auto& o = AsObject(*v);
  std::cout << done << " plan " << SanitizeForTerminal(CellText(o, "key")) << " version "
            << CellText(o, "version") << " (now " << CellText(o, "status") << ")\n";
  if (verb == "reviewed") std::cout << "next review: " << TimeCell(o, "next_review_at") << "\n";
  return kExitOk;
}

struct KeyVersion {
  std::string key;
  int version = 0;
};

// Adds `KEY [--version N]` to `cmd`.
std::shared_ptr<KeyVersion> AddKeyVersion(CLI::App* cmd, const char* version_help) {
  auto kv = std::make_shared<KeyVersion>();
  cmd->add_option("KEY", kv->key, "the plan's key, e.g. pm-system-outage")->required();
  cmd->add_option("--version", kv->version, version_help)->check(CLI::PositiveNumber);
  return kv;
}

}  // namespace

void AddPlanCommand(CLI::App& app, Context& ctx) {
  auto* plan =
      app.add_subcommand("plan", "Emergency plans (预案): import, export, review, approve");
  plan->require_subcommand(1);
  plan->footer(std::string("Plans are YAML files (docs/plans-yaml.md); each import of a key adds a "
                           "draft version.\n") +
               kApiFooter);

  auto file = std::make_shared<std::string>();
  auto* import = plan->add_subcommand("import", "Import a plan YAML file as a new draft version");
  import->add_option("FILE", *file, "the plan, e.g. examples/plans/pm-system-outage.yaml")
      ->required();
  import->callback([&ctx, file] { ctx.run = [&ctx, file] { return Import(ctx, *file);
};
}  // namespace failsafe::cli
);

auto* exp = plan->add_subcommand("export", "Print (or write) a plan version as YAML");
auto export_kv = AddKeyVersion(exp, "the version (default: the latest)");
auto out_file = std::make_shared<std::string>();
exp->add_option("-o,--output", *out_file, "write to this file instead of stdout");
exp->callback([&ctx, export_kv, out_file] {
  ctx.run = [&ctx, export_kv, out_file] {
    return Export(ctx, export_kv->key, export_kv->version, *out_file);
  };
});

auto overdue = std::make_shared<bool>(false);
auto* list = plan->add_subcommand("list", "List plans with their latest and approved versions");
list->add_flag("--overdue", *overdue, "only plans whose review date has passed");
list->callback([&ctx, overdue] { ctx.run = [&ctx, overdue] { return List(ctx, *overdue); }; });

auto* show =
    plan->add_subcommand("show", "Show a plan version: scenarios, roles, steps, templates");
auto show_kv = AddKeyVersion(show, "the version (default: the latest)");
show->callback([&ctx, show_kv] {
  ctx.run = [&ctx, show_kv] { return Show(ctx, show_kv->key, show_kv->version); };
});

struct MoveCommand {
  const char* name;
  const char* help;
  const char* version_help;
  const char* done;
};
for (const MoveCommand& m : {
         MoveCommand{"submit", "Submit a draft for review", "the version (default: the latest)",
                     "submitted"},
         MoveCommand{"approve", "Approve a version (admin); the previously approved one is retired",
                     "the version (default: the latest)", "approved"},
         MoveCommand{"retire", "Retire a version (admin)",
                     "the version (default: the approved one, else the latest)", "retired"},
         MoveCommand{"reviewed",
                     "Record that the periodic review found the approved version still right "
                     "(admin): its next review date moves on by the review interval",
                     "the version (default: the approved one)", "marked reviewed"},
     }) {
  auto* cmd = plan->add_subcommand(m.name, m.help);
  auto kv = AddKeyVersion(cmd, m.version_help);
  const std::string verb = m.name;
  const std::string done = m.done;
  cmd->callback([&ctx, kv, verb, done] {
    ctx.run = [&ctx, kv, verb, done] { return Move(ctx, kv->key, kv->version, verb, done); };
  });
}
}

}  // namespace failsafe::cli

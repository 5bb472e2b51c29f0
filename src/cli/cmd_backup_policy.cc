// failsafe backup policy list|show|apply|delete|run-now|drill-now|status: the server's backup
// policies through /api/v1/backup (docs/backup/policies.md). Unlike the other `backup`
// commands these talk to the server, not to a repository.
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/backup_cli.h"
#include "cli/output.h"

namespace failsafe::cli {
namespace {

namespace bj = boost::json;

std::string Escaped(const std::string& name) {
  std::string out;
  for (unsigned char c : name) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

int Print(const Context& ctx, const Result<bj::value>& r,
          const std::function<void(const bj::value&)>& text) {
  if (!r) return PrintError(r.error());
  if (ctx.json) {
    std::cout << PrettyJson(*r);
  } else {
    text(*r);
  }
  return kExitOk;
}

const bj::array& Items(const bj::value& v) {
  static const bj::array kEmpty;
  const auto* items = v.is_object() ? v.as_object().if_contains("items") : nullptr;
  return items && items->is_array() ? items->as_array() : kEmpty;
}

int List(const Context& ctx) {
  return Print(ctx, ctx.Client().Get("/api/v1/backup/policies"), [](const bj::value& v) {
    Table t({"NAME", "SERVICE", "SCHEDULE", "DRILLS", "DESTINATIONS", "ENABLED"});
    for (const auto& item : Items(v)) {
      const auto& p = item.as_object();
      t.AddRow({CellText(p, "name"), CellText(p, "service"), CellText(p, "schedule"),
                CellText(p, "drill_schedule"),
                std::to_string(p.at("destinations").as_array().size()), CellText(p, "enabled")});
    }
    std::cout << t.Render();
  });
}

int Show(const Context& ctx, const std::string& name) {
  // The whole policy is structured; JSON shows it best on a terminal too.
  auto r = ctx.Client().Get("/api/v1/backup/policies/" + Escaped(name));
  if (!r) return PrintError(r.error());
  std::cout << PrettyJson(*r);
  return kExitOk;
}

int Apply(const Context& ctx, const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return PrintError(InvalidArgument("cannot read " + file, "-f"));
  std::stringstream text;
  text << in.rdbuf();
  auto r = ctx.Client().Post("/api/v1/backup/policies", bj::object{{"yaml", text.str()}});
  return Print(ctx, r, [](const bj::value& v) {
    std::cout << "applied backup policy " << CellText(v.as_object(), "name") << "\n";
  });
}

int Delete(const Context& ctx, const std::string& name) {
  auto r = ctx.Client().Delete("/api/v1/backup/policies/" + Escaped(name));
  if (!r) return PrintError(r.error());
  if (!ctx.json) std::cout << "deleted backup policy " << name << "\n";
  return kExitOk;
}

int Trigger(const Context& ctx, const std::string& name, const std::string& what, bool full) {
  bj::object body;
  if (full) body["full"] = true;
  auto r = ctx.Client().Post("/api/v1/backup/policies/" + Escaped(name) + "/" + what, body);
  return Print(ctx, r, [&](const bj::value& v) {
    std::cout << (what == "run" ? "backup" : "restore drill") << " of " << name << ": "
              << CellText(v.as_object(), "detail") << "\n";
  });
}

std::string Hours(const bj::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_int64()) return "-";
  std::ostringstream out;
  out.precision(2);
  out << std::fixed << static_cast<double>(v->as_int64()) / 3'600'000.0 << "h";
  return out.str();
}

int StatusCmd(const Context& ctx, const std::string& service) {
  std::string path = "/api/v1/backup/status";
  if (!service.empty()) path += "?service=" + Escaped(service);
  return Print(ctx, ctx.Client().Get(path), [](const bj::value& v) {
    Table t({"SERVICE", "BACKUP AGE", "RPO", "RPO MET", "LAST DRILL", "RTO", "RTO MET", "3-2-1",
             "MISSING"});
    for (const auto& item : Items(v)) {
      const auto& s = item.as_object();
      const auto& t321 = s.at("three_two_one").as_object();
      std::string missing;
      for (const auto& m : t321.at("missing").as_array()) {
        missing += (missing.empty() ? "" : "; ") + std::string(m.as_string());
      }
      std::string drill = "-";
      if (const auto* d = s.if_contains("last_verified_restore"); d && d->is_object()) {
        drill = "margin " + Hours(d->as_object(), "margin_ms");
      }
      t.AddRow({CellText(s, "service"), Hours(s, "backup_age_ms"), Hours(s, "rpo_ms"),
                CellText(s, "rpo_met"), drill, Hours(s, "rto_ms"), CellText(s, "rto_met"),
                std::to_string(t321.at("copies").as_int64()) + " copies/" +
                    std::to_string(t321.at("media_kinds").as_int64()) + " media/" +
                    std::to_string(t321.at("offsite").as_int64()) + " offsite",
                missing.empty() ? "ok" : missing});
    }
    std::cout << t.Render();
  });
}

}  // namespace

void AddBackupPolicyCommand(CLI::App* backup, Context& ctx) {
  auto* policy = backup->add_subcommand(
      "policy",
      "Backup policies run by the server (list, show, apply, run-now, drill-now, status)");
  policy->require_subcommand(1);
  policy->footer(kApiFooter);

  policy->add_subcommand("list", "List the server's backup policies")->callback([&ctx] {
    ctx.run = [&ctx] { return List(ctx); };
  });
  auto name = std::make_shared<std::string>();
  auto* show = policy->add_subcommand("show", "Show a policy, its newest runs and last drill");
  show->add_option("NAME", *name, "policy name")->required();
  show->callback([&ctx, name] { ctx.run = [&ctx, name] { return Show(ctx, *name); }; });

  auto file = std::make_shared<std::string>();
  auto* apply = policy->add_subcommand("apply", "Create or replace a policy from a YAML/JSON file");
  apply->add_option("-f,--file", *file, "policy file (YAML or JSON)")->required();
  apply->callback([&ctx, file] { ctx.run = [&ctx, file] { return Apply(ctx, *file); }; });

  auto* del = policy->add_subcommand("delete", "Delete a policy (its history stays)");
  del->add_option("NAME", *name, "policy name")->required();
  del->callback([&ctx, name] { ctx.run = [&ctx, name] { return Delete(ctx, *name); }; });

  auto full = std::make_shared<bool>(false);
  auto* run = policy->add_subcommand("run-now", "Queue the policy's backup now");
  run->add_option("NAME", *name, "policy name")->required();
  run->add_flag("--full", *full, "read every file again");
  run->callback([&ctx, name, full] {
    ctx.run = [&ctx, name, full] { return Trigger(ctx, *name, "run", *full); };
  });

  auto* drill = policy->add_subcommand("drill-now", "Queue a restore drill of the policy now");
  drill->add_option("NAME", *name, "policy name")->required();
  drill->callback(
      [&ctx, name] { ctx.run = [&ctx, name] { return Trigger(ctx, *name, "drill", false); }; });

  auto service = std::make_shared<std::string>();
  auto* status = policy->add_subcommand(
      "status", "Per service: backup age vs RPO, last verified restore vs RTO, 3-2-1");
  status->add_option("--service", *service, "only this service");
  status->callback(
      [&ctx, service] { ctx.run = [&ctx, service] { return StatusCmd(ctx, *service); }; });
}

}  // namespace failsafe::cli

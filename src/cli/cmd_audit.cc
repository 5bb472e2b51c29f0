// failsafe audit list|verify: the tamper-evident audit log.
#include <filesystem>
#include <iostream>
#include <memory>

#include "auth/auth_module.h"
#include "base/env.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "store/store.h"

namespace failsafe::cli {
namespace {

struct ListOptions {
  std::string action;
  int limit = 50;
};

struct VerifyOptions {
  std::string data_dir, db;
};

int List(const Context& ctx, const ListOptions& o) {
  std::string path = "/api/v1/audit?limit=" + std::to_string(std::min(o.limit, 500));
  if (!o.action.empty()) path += "&action=" + UrlEncode(o.action);
  auto entries = ctx.Client().GetItems(path, static_cast<size_t>(o.limit));
  if (!entries) return PrintError(entries.error());
  if (ctx.json) {
    std::cout << PrettyJson(*entries);
    return kExitOk;
  }
  Table table({"SEQ", "TIME", "ACTOR", "ACTION", "TARGET", "REMOTE", "DETAIL"});
  for (const auto& v : *entries) {
    if (!v.is_object()) continue;
    const auto& e = v.get_object();
    std::string target = CellText(e, "target_type");
    if (std::string id = CellText(e, "target_id"); id != "-" && !id.empty()) target += ":" + id;
    table.AddRow({CellText(e, "seq"), TimeCell(e, "at"), CellText(e, "actor"),
                  CellText(e, "action"), target, CellText(e, "remote_addr"),
                  CellText(e, "detail")});
  }
  std::cout << table.Render();
  return kExitOk;
}

// Reads the store directly, so the server should be stopped (SQLite) or the database
// quiescent; it only reads.
int Verify(const Context& ctx, const VerifyOptions& o) {
  std::string url = o.db;
  if (url.empty()) {
    std::string file = o.data_dir + "/failsafe.db";
    // OpenStore would create a missing SQLite file: a forensic command must not.
    if (!std::filesystem::exists(file)) {
      return PrintError(NotFound("no database at " + file + " (use --db for another store)"));
    }
    url = "sqlite:" + file;
  }
  auto keys = auth::LoadKeys(*Env::Default(), o.data_dir);
  if (!keys) return PrintError(keys.error().WithContext("reading keys from " + o.data_dir));
  auto store = store::OpenStore(url);
  if (!store) return PrintError(store.error().WithContext("opening the store"));
  auto report = auth::VerifyAuditChain(**store, keys->audit_key);
  if (!report) return PrintError(report.error().WithContext("reading the audit log"));

  if (ctx.json) {
    boost::json::object out{{"ok", report->ok}, {"entries_checked", report->entries_checked}};
    out["first_bad_seq"] = report->first_bad_seq ? boost::json::value(*report->first_bad_seq)
                                                 : boost::json::value(nullptr);
    out["reason"] = report->reason;
    std::cout << PrettyJson(out);
  } else if (report->ok) {
    std::cout << "audit chain OK: " << report->entries_checked << " entries verified\n";
  } else {
    std::cerr << "failsafe: audit chain BROKEN";
    if (report->first_bad_seq) std::cerr << " at entry seq " << *report->first_bad_seq;
    std::cerr << ": " << report->reason << " (" << report->entries_checked << " entries checked)\n";
  }
  return report->ok ? kExitOk : kExitError;
}

}  // namespace

void AddAuditCommand(CLI::App& app, Context& ctx) {
  auto* audit = app.add_subcommand("audit", "Read and verify the tamper-evident audit log");
  audit->require_subcommand(1);
  audit->footer(kApiFooter);

  auto list_opts = std::make_shared<ListOptions>();
  auto* list = audit->add_subcommand("list", "List audit entries, newest first (admin)");
  list->add_option("--action", list_opts->action, "only this action, e.g. user.create");
  list->add_option("--limit", list_opts->limit, "at most this many entries")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  list->callback(
      [&ctx, list_opts] { ctx.run = [&ctx, list_opts] { return List(ctx, *list_opts); }; });

  auto verify_opts = std::make_shared<VerifyOptions>();
  auto* verify = audit->add_subcommand(
      "verify", "Check the audit hash chain directly in the store (run with the server stopped)");
  verify->add_option("--data", verify_opts->data_dir, "the server's data directory (audit.key)")
      ->required()
      ->type_name("DIR");
  verify->add_option("--db", verify_opts->db, "database URL; default sqlite:DIR/failsafe.db")
      ->type_name("URL");
  verify->footer(
      "Exit status 0 when every entry and the chain head verify; 1 naming the first altered,\n"
      "removed or truncated entry otherwise.");
  verify->callback(
      [&ctx, verify_opts] { ctx.run = [&ctx, verify_opts] { return Verify(ctx, *verify_opts); }; });
}

}  // namespace failsafe::cli

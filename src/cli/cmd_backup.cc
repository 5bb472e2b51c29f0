// failsafe backup ...: the backup engine's command line (docs/backup/cli.md), restic-like:
// init, run, snapshots, restore, check, forget, prune, diff, ls, copy, key, unlock.
#include <iostream>

#include "backup/backend/open_backend.h"
#include "backup/format/snapshot.h"
#include "cli/backup_cli.h"
#include "cli/commands.h"
#include "cli/output.h"

namespace failsafe::cli {
namespace {

struct InitArgs {
  RepoArgs repo;
  RepoArgs from;
  std::string compression = "default";
};

int RunInit(const Context& ctx, const InitArgs& args) {
  auto credentials = CredentialsFrom(args.repo, /*confirm=*/true);
  if (!credentials) return PrintError(credentials.error());
  backup::InitOptions options;
  if (args.compression == "off") {
    options.config.compression_level = 0;
  } else if (args.compression == "fast") {
    options.config.compression_level = 1;
  } else if (args.compression == "max") {
    options.config.compression_level = 19;
  } else if (args.compression != "default") {
    return PrintError(
        InvalidArgument("--compression is off, fast, default or max", "--compression"));
  }
  std::unique_ptr<backup::Repository> from;
  if (!args.from.repo.empty()) {
    auto opened = OpenRepository(args.from);
    if (!opened) return PrintError(opened.error().WithContext("--from-repo"));
    from = std::move(*opened);
    options.from = from.get();
  }
  auto backend = backup::OpenBackend(args.repo.repo, BackendOptionsFrom(args.repo));
  if (!backend) return PrintError(backend.error());
  auto repo = backup::Repository::Init(std::move(*backend), *credentials, options);
  if (!repo) return PrintError(repo.error());
  if (ctx.json) {
    std::cout << PrettyJson({{"repository", args.repo.repo}, {"id", (*repo)->config().id.Hex()}});
  } else {
    std::cout << "created repository " << ShortId((*repo)->config().id) << " at " << args.repo.repo
              << "\nKeep the password safe: without it the data cannot be restored.\n";
  }
  return kExitOk;
}

int RunSnapshots(const Context& ctx, const RepoArgs& args) {
  auto repo = OpenRepository(args);
  if (!repo) return PrintError(repo.error());
  auto ids = (*repo)->ListSnapshots();
  if (!ids) return PrintError(ids.error());
  std::vector<std::pair<backup::Id, backup::Snapshot>> snapshots;
  for (const auto& id : *ids) {
    auto json = (*repo)->LoadSnapshotJson(id);
    if (!json) return PrintError(json.error());
    auto s = backup::DecodeSnapshot(*json);
    if (!s) return PrintError(s.error().WithContext("snapshot " + id.Hex()));
    snapshots.emplace_back(id, std::move(*s));
  }
  std::sort(snapshots.begin(), snapshots.end(),
            [](const auto& a, const auto& b) { return a.second.time_ns < b.second.time_ns; });
  if (ctx.json) {
    boost::json::array out;
    for (const auto& [id, s] : snapshots) {
      auto value = boost::json::parse(backup::EncodeSnapshot(s)).as_object();
      value["id"] = id.Hex();
      value["short_id"] = ShortId(id);
      out.push_back(std::move(value));
    }
    std::cout << PrettyJson(out);
    return kExitOk;
  }
  Table table({"ID", "Time", "Host", "Tags", "Paths", "Files", "Size"});
  for (const auto& [id, s] : snapshots) {
    std::string tags, paths;
    for (const auto& t : s.tags) tags += (tags.empty() ? "" : ",") + t;
    for (const auto& p : s.paths) paths += (paths.empty() ? "" : " ") + p;
    std::string time = backup::FormatTimeNs(s.time_ns).substr(0, 19);
    time[10] = ' ';
    table.AddRow({ShortId(id), time, SanitizeForTerminal(s.host), SanitizeForTerminal(tags),
                  SanitizeForTerminal(paths), std::to_string(s.summary.total_files),
                  backup::FormatBytes(s.summary.total_bytes)});
  }
  std::cout << table.Render() << snapshots.size()
            << (snapshots.size() == 1 ? " snapshot\n" : " snapshots\n");
  return kExitOk;
}

}  // namespace

void AddBackupCommand(CLI::App& app, Context& ctx) {
  auto* backup = app.add_subcommand(
      "backup",
      "Deduplicated, compressed, encrypted backups and restores (docs/backup/cli.md). The "
      "password comes from FAILSAFE_BACKUP_PASSWORD, --password-file or --key-file.");
  backup->require_subcommand(1);

  auto init_args = std::make_shared<InitArgs>();
  auto* init = backup->add_subcommand("init", "Create a repository");
  AddRepoOptions(init, init_args->repo);
  init->add_option("--from-repo", init_args->from.repo,
                   "share chunking and ids with this repository, so `backup copy` between "
                   "them moves blobs without re-hashing");
  init->add_option("--compression", init_args->compression, "off, fast, default or max");
  init->callback(
      [&ctx, init_args] { ctx.run = [&ctx, init_args] { return RunInit(ctx, *init_args); }; });

  auto snapshots_args = std::make_shared<RepoArgs>();
  auto* snapshots = backup->add_subcommand("snapshots", "List snapshots, oldest first");
  AddRepoOptions(snapshots, *snapshots_args);
  snapshots->callback([&ctx, snapshots_args] {
    ctx.run = [&ctx, snapshots_args] { return RunSnapshots(ctx, *snapshots_args); };
  });

  AddBackupRunCommand(backup, ctx);
  AddBackupRestoreCommand(backup, ctx);
  AddBackupMaintainCommands(backup, ctx);
  AddBackupInspectCommands(backup, ctx);
  AddBackupKeyCommand(backup, ctx);
  AddBackupPolicyCommand(backup, ctx);
  AddBackupCopyCommands(backup, ctx);
}

}  // namespace failsafe::cli

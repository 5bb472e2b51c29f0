// failsafe backup restore: writes a snapshot (or parts of it) into a directory.
#include <iostream>

#include "backup/ops/restore.h"
#include "cli/backup_cli.h"
#include "cli/output.h"

namespace failsafe::cli {
namespace {

struct RestoreArgs {
  RepoArgs repo;
  std::string snapshot;
  std::string target;
  std::vector<std::string> includes;
  bool verify = false;
};

int RunRestoreCommand(const Context& ctx, const RestoreArgs& args) {
  auto repo = OpenRepository(args.repo);
  if (!repo) return PrintError(repo.error());
  if (Status s = (*repo)->LoadIndex(); !s.ok()) return PrintError(s);
  auto snapshot = backup::ResolveSnapshot(**repo, args.snapshot);
  if (!snapshot) return PrintError(snapshot.error());
  backup::Progress progress;
  backup::RestoreOptions options;
  options.target = args.target;
  options.includes = args.includes;
  options.verify = args.verify;
  options.progress = &progress;
  options.warn = [](const std::string& message) {
    std::cerr << "\r\033[Kwarning: " << SanitizeForTerminal(message) << "\n";
  };
  Result<backup::RestoreResult> result = [&] {
    TerminalProgress shown(progress, "restore");
    return backup::RunRestore(**repo, snapshot->second, options);
  }();
  if (!result) return PrintError(result.error());
  auto sample = progress.Sample();
  if (ctx.json) {
    std::cout << PrettyJson({{"snapshot", snapshot->first.Hex()},
                             {"target", args.target},
                             {"files", result->files},
                             {"dirs", result->dirs},
                             {"bytes", sample.bytes_done},
                             {"verified_bytes", result->verified_bytes},
                             {"seconds", sample.elapsed_seconds},
                             {"errors", boost::json::value_from(result->errors)}});
  } else {
    std::cout << "restored snapshot " << ShortId(snapshot->first) << " to " << args.target << ": "
              << result->files << " files, " << result->dirs << " directories, "
              << backup::FormatBytes(sample.bytes_done) << " in " << sample.elapsed_seconds
              << " s\n";
    if (args.verify)
      std::cout << "verified " << backup::FormatBytes(result->verified_bytes)
                << " against the chunk ids\n";
  }
  if (!result->errors.empty()) {
    std::cerr << "failsafe: " << result->errors.size() << " errors during the restore\n";
    return kExitError;
  }
  return kExitOk;
}

}  // namespace

void AddBackupRestoreCommand(CLI::App* backup, Context& ctx) {
  auto args = std::make_shared<RestoreArgs>();
  auto* restore = backup->add_subcommand(
      "restore", "Restore a snapshot (an id, a unique prefix of 8+ hex digits, or latest)");
  AddRepoOptions(restore, args->repo);
  restore->add_option("SNAPSHOT", args->snapshot, "snapshot id or latest")->required();
  restore->add_option("--target", args->target, "directory to restore into")->required();
  restore->add_option("--include", args->includes,
                      "restore only this path of the snapshot (and what is below it); "
                      "repeatable");
  restore->add_flag("--verify", args->verify,
                    "read every restored file back and check it against the chunk ids");
  restore->callback(
      [&ctx, args] { ctx.run = [&ctx, args] { return RunRestoreCommand(ctx, *args); }; });
}

}  // namespace failsafe::cli

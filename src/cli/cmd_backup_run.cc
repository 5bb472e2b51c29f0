// failsafe backup run: saves paths (or a command's output) as a new snapshot.
#include <iostream>

#include "backup/ops/backup_run.h"
#include "cli/backup_cli.h"
#include "cli/output.h"

namespace failsafe::cli {
namespace {

struct RunArgs {
  RepoArgs repo;
  std::vector<std::string> paths;
  std::vector<std::string> excludes;
  std::vector<std::string> tags;
  std::string host;
  std::string parent;
  bool full = false;
  bool one_file_system = false;
  StreamArgs stream;
};

int RunBackupCommand(const Context& ctx, const RunArgs& args) {
  if (args.stream.any())
    return RunStreamBackupCommand(ctx, args.stream, args.repo, args.paths, args.tags, args.host);
  if (args.paths.empty())
    return PrintError(InvalidArgument("name the paths to back up, or a stream source", "PATH"));
  backup::BackupOptions options;
  options.paths = args.paths;
  options.excludes = args.excludes;
  options.tags = args.tags;
  options.host = args.host;
  options.full = args.full;
  options.one_file_system = args.one_file_system;
  // First, so the paths' metadata is read from disk while the key is derived.
  options.counter = backup::StartCounting(options);
  auto repo = OpenRepository(args.repo);
  if (!repo) return PrintError(repo.error());
  backup::Progress progress;
  {
    TerminalProgress shown(progress, "loading index");
    // A backup reads trees, never data blobs: their ids are enough (docs/backup-format.md).
    if (Status s = (*repo)->LoadIndex({}, backup::Repository::IndexDetail::kDataPresence); !s.ok())
      return PrintError(s);
  }
  options.progress = &progress;
  if (!args.parent.empty()) {
    auto id = backup::Id::FromHex(args.parent);
    if (!id) return PrintError(InvalidArgument("--parent needs a full snapshot id", "--parent"));
    options.parent = *id;
  }
  options.warn = [](const std::string& message) {
    std::cerr << "\r\033[Kwarning: " << SanitizeForTerminal(message) << "\n";
  };
  Result<backup::BackupResult> result = [&] {
    TerminalProgress shown(progress, "backup");
    return backup::RunBackup(**repo, options);
  }();
  if (!result) return PrintError(result.error());
  const backup::SnapshotSummary& s = result->snapshot.summary;
  if (ctx.json) {
    std::cout << PrettyJson({{"snapshot", result->snapshot_id.Hex()},
                             {"files_new", s.files_new},
                             {"files_changed", s.files_changed},
                             {"files_unmodified", s.files_unmodified},
                             {"dirs", s.dirs},
                             {"bytes_read", s.bytes_read},
                             {"data_added", s.data_added},
                             {"data_added_stored", s.data_added_stored},
                             {"total_files", s.total_files},
                             {"total_bytes", s.total_bytes},
                             {"duration_ms", s.duration_ms},
                             {"errors", boost::json::value_from(result->errors)}});
  } else {
    std::cout << "Files: " << s.files_new << " new, " << s.files_changed << " changed, "
              << s.files_unmodified << " unmodified\n"
              << "Added to the repository: " << backup::FormatBytes(s.data_added) << " ("
              << backup::FormatBytes(s.data_added_stored) << " stored)\n"
              << "Processed " << s.total_files << " files, " << backup::FormatBytes(s.total_bytes)
              << " in " << s.duration_ms / 1000.0 << " s\nsnapshot " << ShortId(result->snapshot_id)
              << " saved\n";
  }
  if (!result->errors.empty()) {
    std::cerr << "failsafe: " << result->errors.size()
              << " files or directories could not be read and are not in the snapshot\n";
    return kExitIncomplete;
  }
  return kExitOk;
}

}  // namespace

void AddBackupRunCommand(CLI::App* backup, Context& ctx) {
  auto args = std::make_shared<RunArgs>();
  auto* run = backup->add_subcommand(
      "run",
      "Back up files and directories. Unchanged files (same size, times and inode as in the "
      "parent snapshot) are not read again unless --full. Exit 3: saved, but some files "
      "could not be read.");
  AddRepoOptions(run, args->repo);
  run->add_option("PATH", args->paths,
                  "files and directories to back up (with --command: the command and its "
                  "arguments, after --)");
  AddStreamOptions(run, args->stream);
  run->add_option("--exclude", args->excludes,
                  "leave out matching entries (*.tmp, /abs/path, **/node_modules, dir/, "
                  "!negation); repeatable");
  run->add_option("--tag", args->tags, "tag the snapshot; repeatable");
  run->add_option("--host", args->host, "host name to record (default: this machine's)");
  run->add_option("--parent", args->parent,
                  "snapshot to compare with (default: the newest "
                  "of this host and these paths)");
  run->add_flag("--full", args->full, "read every file again (the weekly full backup)");
  run->add_flag("--one-file-system,-x", args->one_file_system,
                "do not cross into other file systems");
  run->callback([&ctx, args] { ctx.run = [&ctx, args] { return RunBackupCommand(ctx, *args); }; });
}

}  // namespace failsafe::cli

// failsafe backup run with a stream source (--stdin, --command, --sqlite, --postgres,
// --failsafe-store): one snapshot holding the stream as a file (docs/backup/cli.md).
#include <unistd.h>

#include <iostream>

#include "app/config.h"
#include "backup/ops/stream_backup.h"
#include "cli/backup_cli.h"
#include "cli/output.h"

namespace failsafe::cli {
namespace {

// The store's database as the server would open it: its config file (--store-config, else
// FAILSAFE_CONFIG), FAILSAFE_* environment, and the data directory given.
Result<std::string> StoreDatabase(const StreamArgs& args) {
  app::ConfigSources sources;
  if (!args.store_config.empty()) sources.config_file = args.store_config;
  sources.env = app::ProcessEnvLookup();
  sources.flags.data_dir = args.failsafe_store;
  FS_ASSIGN_OR_RETURN(app::ServerConfig config, app::LoadServerConfig(sources));
  return config.db;
}

}  // namespace

bool StreamArgs::any() const {
  return stdin_source || command || !sqlite.empty() || !postgres.empty() || !failsafe_store.empty();
}

void AddStreamOptions(CLI::App* run, StreamArgs& args) {
  run->add_flag("--stdin", args.stdin_source, "back up standard input as one file");
  run->add_option("--stdin-filename", args.filename,
                  "the file name the stream is stored under (--stdin: default stdin; "
                  "--command: default <command>.out)");
  run->add_flag("--command", args.command,
                "back up a command's standard output: the arguments after -- are the command "
                "and its arguments, run without a shell (`--command -- pg_dump -Fc erp`); a "
                "non-zero exit saves no snapshot");
  run->add_option("--sqlite", args.sqlite,
                  "back up a SQLite database through the online backup API (consistent while "
                  "it is written to)");
  run->add_option("--postgres", args.postgres,
                  "back up a PostgreSQL database with pg_dump -Fc: postgresql://user@host:port/db "
                  "(a password in the URL or PGPASSWORD goes to pg_dump's environment)");
  run->add_option("--failsafe-store", args.failsafe_store,
                  "back up failsafe's own store: its database (SQLite copied online, or "
                  "pg_dump) and the key files of this data directory");
  run->add_option("--store-config", args.store_config,
                  "--failsafe-store: the server's config file, to find its database "
                  "(default FAILSAFE_CONFIG)");
}

int RunStreamBackupCommand(const Context& ctx, const StreamArgs& stream, const RepoArgs& repo_args,
                           const std::vector<std::string>& rest,
                           const std::vector<std::string>& tags, const std::string& host) {
  int sources = (stream.stdin_source ? 1 : 0) + (stream.command ? 1 : 0) +
                (!stream.sqlite.empty() ? 1 : 0) + (!stream.postgres.empty() ? 1 : 0) +
                (!stream.failsafe_store.empty() ? 1 : 0);
  if (sources != 1)
    return PrintError(InvalidArgument(
        "give one source: --stdin, --command, --sqlite, --postgres or --failsafe-store", "run"));
  if (stream.command != !rest.empty())
    return PrintError(InvalidArgument(
        stream.command ? "--command needs the command after --: --command -- pg_dump -Fc erp"
                       : "paths cannot be combined with a stream source",
        "run"));
  if (stream.stdin_source && ::isatty(STDIN_FILENO))
    return PrintError(
        InvalidArgument("--stdin: standard input is a terminal, not a stream", "--stdin"));
  auto repo = OpenRepository(repo_args);
  if (!repo) return PrintError(repo.error());
  backup::Progress progress;
  {
    TerminalProgress shown(progress, "loading index");
    if (Status s = (*repo)->LoadIndex({}, backup::Repository::IndexDetail::kDataPresence); !s.ok())
      return PrintError(s);
  }
  backup::StreamOptions options;
  options.tags = tags;
  options.host = host;
  options.progress = &progress;
  Result<backup::BackupResult> result = [&]() -> Result<backup::BackupResult> {
    TerminalProgress shown(progress, "backup");
    if (stream.stdin_source)
      return backup::BackupStream(**repo, options, STDIN_FILENO,
                                  stream.filename.empty() ? "stdin" : stream.filename);
    if (stream.command) return backup::BackupCommandOutput(**repo, options, rest, stream.filename);
    if (!stream.sqlite.empty()) return backup::BackupSqlite(**repo, options, stream.sqlite);
    if (!stream.postgres.empty()) return backup::BackupPostgres(**repo, options, stream.postgres);
    FS_ASSIGN_OR_RETURN(std::string db, StoreDatabase(stream));
    return backup::BackupFailsafeStore(**repo, options, stream.failsafe_store, db);
  }();
  if (!result) return PrintError(result.error());
  const backup::Snapshot& s = result->snapshot;
  if (ctx.json) {
    std::cout << PrettyJson({{"snapshot", result->snapshot_id.Hex()},
                             {"source", std::string(backup::NameOf(s.source.kind))},
                             {"filename", s.source.filename},
                             {"bytes", s.summary.total_bytes},
                             {"data_added", s.summary.data_added},
                             {"data_added_stored", s.summary.data_added_stored},
                             {"duration_ms", s.summary.duration_ms}});
  } else {
    std::cout << "Saved " << backup::NameOf(s.source.kind) << " as " << s.source.filename << ": "
              << backup::FormatBytes(s.summary.total_bytes) << ", added "
              << backup::FormatBytes(s.summary.data_added) << " ("
              << backup::FormatBytes(s.summary.data_added_stored) << " stored) in "
              << s.summary.duration_ms / 1000.0 << " s\nsnapshot " << ShortId(result->snapshot_id)
              << " saved\n";
  }
  return kExitOk;
}

}  // namespace failsafe::cli

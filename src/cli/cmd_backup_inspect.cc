// failsafe backup ls | diff: what a snapshot holds, and what changed between two.
#include <iostream>

#include "backup/ops/inspect.h"
#include "backup/ops/restore.h"
#include "cli/backup_cli.h"
#include "cli/output.h"

namespace failsafe::cli {
namespace {

struct LsArgs {
  RepoArgs repo;
  std::string snapshot;
  std::string path;
  bool long_format = false;
};

std::string ModeString(const backup::Node& n) {
  static const char kTypes[] = "-dlpcbs";
  std::string s(1, kTypes[static_cast<int>(n.type)]);
  const char* rwx = "rwxrwxrwx";
  for (int i = 0; i < 9; ++i) s += (n.mode & (0400u >> i)) ? rwx[i] : '-';
  return s;
}

int RunLs(const Context& ctx, const LsArgs& args) {
  auto repo = OpenRepository(args.repo);
  if (!repo) return PrintError(repo.error());
  if (Status s = (*repo)->LoadIndex(); !s.ok()) return PrintError(s);
  auto snapshot = backup::ResolveSnapshot(**repo, args.snapshot);
  if (!snapshot) return PrintError(snapshot.error());
  boost::json::array out;
  Status walked = backup::WalkSnapshotTree(
      **repo, snapshot->second.tree, args.path,
      [&](const std::string& path, const backup::Node& n) {
        if (ctx.json) {
          out.push_back({{"path", SanitizeForTerminal(path)},
                         {"type", std::string(backup::NameOf(n.type))},
                         {"size", n.size},
                         {"mode", n.mode},
                         {"uid", n.uid},
                         {"gid", n.gid},
                         {"mtime", backup::FormatTimeNs(n.mtime_ns)}});
        } else if (args.long_format) {
          std::cout << ModeString(n) << "  "
                    << SanitizeForTerminal(n.user.empty() ? std::to_string(n.uid) : n.user) << "  "
                    << n.size << "  " << backup::FormatTimeNs(n.mtime_ns).substr(0, 19) << "  "
                    << SanitizeForTerminal(path) << "\n";
        } else {
          std::cout << SanitizeForTerminal(path) << "\n";
        }
      });
  if (!walked.ok()) return PrintError(walked);
  if (ctx.json) std::cout << PrettyJson(out);
  return kExitOk;
}

struct DiffArgs {
  RepoArgs repo;
  std::string before;
  std::string after;
};

int RunDiff(const Context& ctx, const DiffArgs& args) {
  auto repo = OpenRepository(args.repo);
  if (!repo) return PrintError(repo.error());
  if (Status s = (*repo)->LoadIndex(); !s.ok()) return PrintError(s);
  auto a = backup::ResolveSnapshot(**repo, args.before);
  if (!a) return PrintError(a.error());
  auto b = backup::ResolveSnapshot(**repo, args.after);
  if (!b) return PrintError(b.error());
  boost::json::array changes;
  auto stats =
      backup::DiffTrees(**repo, a->second.tree, b->second.tree, [&](const backup::Change& c) {
        if (ctx.json) {
          changes.push_back({{"change", std::string(1, backup::ChangeSymbol(c.kind))},
                             {"path", SanitizeForTerminal(c.path)}});
        } else {
          std::cout << backup::ChangeSymbol(c.kind) << "    " << SanitizeForTerminal(c.path)
                    << "\n";
        }
      });
  if (!stats) return PrintError(stats.error());
  if (ctx.json) {
    std::cout << PrettyJson({{"changes", std::move(changes)},
                             {"added", stats->added},
                             {"removed", stats->removed},
                             {"modified", stats->modified},
                             {"type_changed", stats->type_changed},
                             {"metadata", stats->metadata},
                             {"bytes_added", stats->bytes_added},
                             {"bytes_removed", stats->bytes_removed}});
  } else {
    std::cout << "\nAdded: " << stats->added << ", removed: " << stats->removed
              << ", modified: " << stats->modified << ", type changed: " << stats->type_changed
              << ", metadata: " << stats->metadata << "\n"
              << "Bytes added: " << backup::FormatBytes(stats->bytes_added)
              << ", removed: " << backup::FormatBytes(stats->bytes_removed) << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddBackupInspectCommands(CLI::App* backup, Context& ctx) {
  auto ls_args = std::make_shared<LsArgs>();
  auto* ls = backup->add_subcommand("ls", "List what a snapshot holds (below PATH, if given)");
  AddRepoOptions(ls, ls_args->repo);
  ls->add_option("SNAPSHOT", ls_args->snapshot, "snapshot id or latest")->required();
  ls->add_option("PATH", ls_args->path, "a path in the snapshot, e.g. /srv/erp");
  ls->add_flag("--long,-l", ls_args->long_format, "mode, owner, size and time too");
  ls->callback([&ctx, ls_args] { ctx.run = [&ctx, ls_args] { return RunLs(ctx, *ls_args); }; });

  auto diff_args = std::make_shared<DiffArgs>();
  auto* diff = backup->add_subcommand(
      "diff",
      "What changed between two snapshots: + added, - removed, M modified, T type, U metadata");
  AddRepoOptions(diff, diff_args->repo);
  diff->add_option("BEFORE", diff_args->before, "snapshot id")->required();
  diff->add_option("AFTER", diff_args->after, "snapshot id or latest")->required();
  diff->callback(
      [&ctx, diff_args] { ctx.run = [&ctx, diff_args] { return RunDiff(ctx, *diff_args); }; });
}

}  // namespace failsafe::cli

// failsafe backup check | forget | unlock: keeping a repository whole and its history short.
#include <iostream>

#include "backup/ops/check.h"
#include "backup/ops/forget.h"
#include "backup/ops/progress.h"
#include "backup/ops/prune.h"
#include "base/duration.h"
#include "cli/backup_cli.h"
#include "cli/output.h"

namespace failsafe::cli {
namespace {

struct CheckArgs {
  RepoArgs repo;
  bool read_data = false;
};

int RunCheckCommand(const Context& ctx, const CheckArgs& args) {
  auto repo = OpenRepository(args.repo);
  if (!repo) return PrintError(repo.error());
  auto lock = (*repo)->Lock(/*exclusive=*/false);
  if (!lock) return PrintError(lock.error());
  backup::Progress progress;
  backup::CheckOptions options;
  options.read_data = args.read_data;
  options.progress = &progress;
  Result<backup::CheckResult> result = [&] {
    TerminalProgress shown(progress, "check");
    return backup::RunCheck(**repo, options);
  }();
  if (!result) return PrintError(result.error());
  if (ctx.json) {
    std::cout << PrettyJson({{"ok", result->ok()},
                             {"errors", boost::json::value_from(result->errors)},
                             {"warnings", boost::json::value_from(result->warnings)},
                             {"snapshots", result->snapshots},
                             {"trees", result->trees},
                             {"packs", result->packs},
                             {"blobs_verified", result->blobs_verified},
                             {"bytes_read", result->bytes_read}});
  } else {
    for (const auto& w : result->warnings) std::cout << "warning: " << w << "\n";
    for (const auto& e : result->errors) std::cout << "error: " << e << "\n";
    std::cout << result->snapshots << " snapshots, " << result->trees << " trees, " << result->packs
              << " packs checked";
    if (args.read_data)
      std::cout << "; " << result->blobs_verified << " blobs ("
                << backup::FormatBytes(result->bytes_read) << ") read and verified";
    std::cout << "\n"
              << (result->ok() ? "no errors were found\n"
                               : std::to_string(result->errors.size()) +
                                     " errors: the repository is damaged\n");
  }
  return result->ok() ? kExitOk : kExitError;
}

int RunPruneOn(const Context& ctx, backup::Repository& repo, bool dry_run) {
  auto lock = repo.Lock(/*exclusive=*/true);
  if (!lock) return PrintError(lock.error());
  backup::Progress progress;
  backup::PruneOptions options;
  options.dry_run = dry_run;
  options.progress = &progress;
  Result<backup::PruneResult> result = [&] {
    TerminalProgress shown(progress, "prune");
    return backup::RunPrune(repo, options);
  }();
  if (!result) return PrintError(result.error());
  if (ctx.json) {
    std::cout << PrettyJson({{"dry_run", dry_run},
                             {"packs_before", result->packs_before},
                             {"packs_deleted", result->packs_deleted},
                             {"packs_repacked", result->packs_repacked},
                             {"bytes_freed", result->bytes_freed},
                             {"bytes_repacked", result->bytes_repacked},
                             {"blobs_unused", result->blobs_unused}});
  } else {
    std::cout << (dry_run ? "would delete " : "deleted ") << result->packs_deleted << " of "
              << result->packs_before << " packs, " << (dry_run ? "would repack " : "repacked ")
              << result->packs_repacked << " (" << backup::FormatBytes(result->bytes_repacked)
              << " moved); " << backup::FormatBytes(result->bytes_freed)
              << (dry_run ? " would be freed\n" : " freed\n");
  }
  return kExitOk;
}

struct ForgetArgs {
  RepoArgs repo;
  backup::ForgetOptions options;
  std::string within;
  bool prune = false;
};

int RunForgetCommand(const Context& ctx, ForgetArgs args) {
  if (!args.within.empty()) {
    auto within = ParseDuration(args.within);
    if (!within || within->count() <= 0)
      return PrintError(
          InvalidArgument("--keep-within takes a duration like 7d, 12h or 30m, "
                          "not '" +
                              args.within + "'",
                          "--keep-within"));
    args.options.policy.within = std::chrono::duration_cast<std::chrono::seconds>(*within);
  }
  auto repo = OpenRepository(args.repo);
  if (!repo) return PrintError(repo.error());
  auto lock = (*repo)->Lock(/*exclusive=*/false);
  if (!lock) return PrintError(lock.error());
  auto groups = backup::RunForget(**repo, args.options);
  if (!groups) return PrintError(groups.error());
  size_t removed = 0;
  boost::json::array out;
  for (const auto& g : *groups) {
    removed += g.remove.size();
    std::string paths;
    for (const auto& p : g.paths) paths += (paths.empty() ? "" : " ") + p;
    if (ctx.json) {
      boost::json::array keep, remove;
      for (const auto& [k, s] : g.keep)
        keep.push_back({{"id", k.snapshot.id.Hex()},
                        {"time", backup::FormatTimeNs(s.time_ns)},
                        {"reasons", boost::json::value_from(k.reasons)}});
      for (const auto& [r, s] : g.remove)
        remove.push_back({{"id", r.id.Hex()}, {"time", backup::FormatTimeNs(s.time_ns)}});
      out.push_back({{"host", g.host},
                     {"paths", boost::json::value_from(g.paths)},
                     {"keep", std::move(keep)},
                     {"remove", std::move(remove)}});
      continue;
    }
    std::cout << "host " << SanitizeForTerminal(g.host) << ", paths " << SanitizeForTerminal(paths)
              << ":\n";
    Table table({"", "ID", "Time", "Reasons"});
    for (const auto& [k, s] : g.keep) {
      std::string reasons;
      for (const auto& r : k.reasons) reasons += (reasons.empty() ? "" : ", ") + r;
      table.AddRow(
          {"keep", ShortId(k.snapshot.id), backup::FormatTimeNs(s.time_ns).substr(0, 19), reasons});
    }
    for (const auto& [r, s] : g.remove)
      table.AddRow({args.options.dry_run ? "would remove" : "removed", ShortId(r.id),
                    backup::FormatTimeNs(s.time_ns).substr(0, 19), ""});
    std::cout << table.Render();
  }
  if (ctx.json) {
    std::cout << PrettyJson({{"groups", std::move(out)}, {"dry_run", args.options.dry_run}});
  } else {
    std::cout << removed
              << (args.options.dry_run ? " snapshots would be removed\n" : " snapshots removed\n");
  }
  if (args.prune && !args.options.dry_run) {
    lock->reset();  // prune takes the exclusive lock itself
    return RunPruneOn(ctx, **repo, false);
  }
  return kExitOk;
}

int RunUnlockCommand(const Context& ctx, const RepoArgs& args, bool all) {
  auto repo = OpenRepository(args);
  if (!repo) return PrintError(repo.error());
  auto locks = (*repo)->ListLocks();
  if (!locks) return PrintError(locks.error());
  auto removed = (*repo)->RemoveLocks(all);
  if (!removed) return PrintError(removed.error());
  if (ctx.json) {
    std::cout << PrettyJson({{"removed", *removed}});
  } else {
    for (const auto& l : *locks)
      if (all || l.stale) std::cout << "removed: " << SanitizeForTerminal(l.Describe()) << "\n";
    std::cout << *removed << " locks removed\n";
  }
  return kExitOk;
}

}  // namespace

void AddBackupMaintainCommands(CLI::App* backup, Context& ctx) {
  auto prune_args = std::make_shared<RepoArgs>();
  auto prune_dry = std::make_shared<bool>(false);
  auto* prune = backup->add_subcommand(
      "prune",
      "Remove data no snapshot needs: delete unneeded packs, repack packs over 10 % unneeded "
      "(takes the exclusive lock)");
  AddRepoOptions(prune, *prune_args);
  prune->add_flag("--dry-run,-n", *prune_dry, "show what would be removed");
  prune->callback([&ctx, prune_args, prune_dry] {
    ctx.run = [&ctx, prune_args, prune_dry] {
      auto repo = OpenRepository(*prune_args);
      if (!repo) return PrintError(repo.error());
      return RunPruneOn(ctx, **repo, *prune_dry);
    };
  });

  auto check_args = std::make_shared<CheckArgs>();
  auto* check = backup->add_subcommand(
      "check",
      "Verify the repository's structure; with --read-data decrypt and verify every byte and "
      "name the snapshots and files a damaged pack affects. Exit 1 when damaged.");
  AddRepoOptions(check, check_args->repo);
  check->add_flag("--read-data", check_args->read_data, "read and verify all data");
  check->callback([&ctx, check_args] {
    ctx.run = [&ctx, check_args] { return RunCheckCommand(ctx, *check_args); };
  });

  auto forget_args = std::make_shared<ForgetArgs>();
  auto* forget = backup->add_subcommand(
      "forget",
      "Remove snapshots no keep rule keeps, per host and paths (at least one --keep-* rule)");
  AddRepoOptions(forget, forget_args->repo);
  auto& policy = forget_args->options.policy;
  forget->add_option("--keep-last", policy.last, "keep the N newest");
  forget->add_option("--keep-hourly", policy.hourly, "keep the newest of each of N hours");
  forget->add_option("--keep-daily", policy.daily, "keep the newest of each of N days");
  forget->add_option("--keep-weekly", policy.weekly, "keep the newest of each of N ISO weeks");
  forget->add_option("--keep-monthly", policy.monthly, "keep the newest of each of N months");
  forget->add_option("--keep-yearly", policy.yearly, "keep the newest of each of N years");
  forget->add_option("--keep-within", forget_args->within,
                     "keep everything within this duration of the newest (7d, 12h)");
  forget->add_option("--time-zone", forget_args->options.time_zone,
                     "time zone of days and weeks (default UTC)");
  forget->add_option("--host", forget_args->options.host, "only this host's snapshots");
  forget->add_option("--tag", forget_args->options.tags, "only snapshots with this tag");
  forget->add_flag("--dry-run,-n", forget_args->options.dry_run, "show, remove nothing");
  forget->add_flag("--prune", forget_args->prune, "then remove the data no snapshot needs");
  forget->callback([&ctx, forget_args] {
    ctx.run = [&ctx, forget_args] { return RunForgetCommand(ctx, *forget_args); };
  });

  auto unlock_args = std::make_shared<RepoArgs>();
  auto unlock_all = std::make_shared<bool>(false);
  auto* unlock = backup->add_subcommand("unlock", "Remove stale locks (--remove-all: every lock)");
  AddRepoOptions(unlock, *unlock_args);
  unlock->add_flag("--remove-all", *unlock_all, "remove locks that are not stale too");
  unlock->callback([&ctx, unlock_args, unlock_all] {
    ctx.run = [&ctx, unlock_args, unlock_all] {
      return RunUnlockCommand(ctx, *unlock_args, *unlock_all);
    };
  });
}

}  // namespace failsafe::cli

// failsafe backup copy | report-321: replicating snapshots to a second repository and judging
// a set of repositories against the 3-2-1 rule (docs/backup/cli.md).
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "backup/backend/open_backend.h"
#include "backup/format/snapshot.h"
#include "backup/ops/copy.h"
#include "backup/ops/restore.h"
#include "backup/ops/three_two_one.h"
#include "base/duration.h"
#include "cli/backup_cli.h"
#include "cli/output.h"
#include "cli/secret_input.h"

namespace failsafe::cli {
namespace {

struct CopyArgs {
  RepoArgs repo;
  RepoArgs to;
  std::vector<std::string> snapshots;
};

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

// The destination's own credentials: --to-key-file, FAILSAFE_BACKUP_TO_PASSWORD,
// --to-password-file, else a prompt. Never the source's password: two repositories with one
// password is a choice to make explicitly (give the same file twice).
Result<backup::Credentials> DestinationCredentials(const RepoArgs& to) {
  backup::Credentials c;
  if (!to.key_file.empty()) {
    c.key_file = to.key_file;
    return c;
  }
  if (std::string env = Env("FAILSAFE_BACKUP_TO_PASSWORD"); !env.empty()) {
    c.password = env;
    return c;
  }
  if (!to.password_file.empty()) {
    FS_ASSIGN_OR_RETURN(c.password, ReadSecretFile(to.password_file, "--to-password-file"));
    return c;
  }
  if (!::isatty(STDIN_FILENO))
    return Err(InvalidArgument(
        "no destination password: set FAILSAFE_BACKUP_TO_PASSWORD, or use --to-password-file "
        "or --to-key-file",
        "--to-password-file"));
  FS_ASSIGN_OR_RETURN(std::string pw, PromptPassword("Destination repository password: "));
  c.password = std::move(pw);
  return c;
}

Result<std::unique_ptr<backup::Repository>> OpenDestination(const RepoArgs& to) {
  FS_ASSIGN_OR_RETURN(auto credentials, DestinationCredentials(to));
  backup::BackendOptions options = BackendOptionsFrom(to);
  // An object store of another account: its own keys, else the shared AWS_* ones.
  options.s3.access_key_id = Env("FAILSAFE_BACKUP_TO_AWS_ACCESS_KEY_ID");
  options.s3.secret_access_key = Env("FAILSAFE_BACKUP_TO_AWS_SECRET_ACCESS_KEY");
  FS_ASSIGN_OR_RETURN(auto backend, backup::OpenBackend(to.repo, options));
  auto repo = backup::Repository::Open(std::move(backend), credentials);
  if (!repo) return Err(repo.error().WithContext("--to " + to.repo));
  return repo;
}

int RunCopy(const Context& ctx, const CopyArgs& args) {
  auto src = OpenRepository(args.repo);
  if (!src) return PrintError(src.error());
  auto dst = OpenDestination(args.to);
  if (!dst) return PrintError(dst.error());
  backup::Progress progress;
  {
    TerminalProgress shown(progress, "loading index");
    if (Status s = (*src)->LoadIndex(); !s.ok()) return PrintError(s);
    if (Status s = (*dst)->LoadIndex(); !s.ok()) return PrintError(s.WithContext("--to"));
  }
  backup::CopyOptions options;
  for (const std::string& spec : args.snapshots) {
    auto found = backup::ResolveSnapshot(**src, spec);
    if (!found) return PrintError(found.error());
    options.snapshots.push_back(found->first);
  }
  options.progress = &progress;
  options.note = [&](const std::string& line) {
    if (!ctx.json && ::isatty(STDERR_FILENO)) std::cerr << "\r\033[K" << line << "\n";
  };
  Result<backup::CopyResult> result = [&] {
    TerminalProgress shown(progress, "copy");
    return backup::CopySnapshots(**src, **dst, options);
  }();
  if (!result) return PrintError(result.error());
  if (ctx.json) {
    boost::json::array copied;
    for (const auto& c : result->copied)
      copied.push_back({{"source", c.source.Hex()}, {"copy", c.copy.Hex()}});
    std::cout << PrettyJson({{"copied", copied},
                             {"already_there", result->already_there},
                             {"same_keys", result->same_keys},
                             {"blobs_added", result->blobs_added},
                             {"bytes_read", result->bytes_read},
                             {"bytes_stored", result->bytes_stored}});
    return kExitOk;
  }
  for (const auto& c : result->copied)
    std::cout << "snapshot " << ShortId(c.source) << " copied as " << ShortId(c.copy) << "\n";
  std::cout << result->copied.size() << " copied, " << result->already_there
            << " already in the destination; read " << backup::FormatBytes(result->bytes_read)
            << ", stored " << backup::FormatBytes(result->bytes_stored)
            << (result->same_keys ? " (same keys: ids kept)\n" : "\n");
  return kExitOk;
}

struct ReportArgs {
  std::vector<std::string> repos;
  std::vector<std::string> offsite;
  RepoArgs credentials;  // --password-file / --key-file for every repository
  std::string max_age = "48h";
  int copies = 3;
  int media = 2;
  int offsite_copies = 1;
  bool backups_only = false;
};

backup::RepoFacts GatherFacts(const std::string& location, const ReportArgs& args) {
  backup::RepoFacts facts;
  facts.location = location;
  facts.offsite =
      std::find(args.offsite.begin(), args.offsite.end(), location) != args.offsite.end();
  RepoArgs one = args.credentials;
  one.repo = location;
  auto repo = OpenRepository(one);
  if (!repo) {
    facts.error = repo.error().message();
    return facts;
  }
  facts.location = (*repo)->backend().Location();
  facts.media = (*repo)->backend().Media();
  auto ids = (*repo)->ListSnapshots();
  if (!ids) {
    facts.error = ids.error().message();
    return facts;
  }
  for (const auto& id : *ids) {
    auto json = (*repo)->LoadSnapshotJson(id);
    auto s = json ? backup::DecodeSnapshot(*json) : Result<backup::Snapshot>(Err(json.error()));
    if (!s) {
      facts.error = "snapshot " + id.Hex() + ": " + s.error().message();
      return facts;
    }
    facts.snapshots.push_back({s->host, s->paths, s->time_ns});
  }
  return facts;
}

int RunReport(const Context& ctx, const ReportArgs& args) {
  auto max_age = ParseDuration(args.max_age);
  if (!max_age) return PrintError(max_age.error().WithContext("--max-age"));
  for (const std::string& o : args.offsite)
    if (std::find(args.repos.begin(), args.repos.end(), o) == args.repos.end())
      return PrintError(
          InvalidArgument("--offsite " + o + " is not one of the --repo values", "--offsite"));
  std::vector<backup::RepoFacts> facts;
  for (const std::string& r : args.repos) facts.push_back(GatherFacts(r, args));
  backup::Rule321 rule;
  rule.copies = args.copies;
  rule.media = args.media;
  rule.offsite = args.offsite_copies;
  rule.count_original = !args.backups_only;
  rule.max_age = std::chrono::duration_cast<std::chrono::hours>(*max_age);
  if (rule.max_age.count() < 1) rule.max_age = std::chrono::hours(1);
  const int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  backup::Report321 report = backup::Evaluate321(facts, rule, now);
  if (ctx.json) {
    boost::json::array sources;
    for (const auto& s : report.sources)
      sources.push_back({{"host", s.host},
                         {"paths", boost::json::value_from(s.paths)},
                         {"copies", s.copies},
                         {"media_kinds", s.media_kinds},
                         {"offsite", s.offsite},
                         {"newest", backup::FormatTimeNs(s.newest_ns)},
                         {"holders", boost::json::value_from(s.holders)},
                         {"stale", boost::json::value_from(s.stale)},
                         {"missing", boost::json::value_from(s.missing)},
                         {"ok", s.ok()}});
    std::cout << PrettyJson({{"ok", report.ok()},
                             {"sources", sources},
                             {"unreadable", boost::json::value_from(report.unreadable)}});
  } else {
    Table table({"Host", "Paths", "Copies", "Media", "Offsite", "Newest", "3-2-1"});
    for (const auto& s : report.sources) {
      std::string paths;
      for (const auto& p : s.paths) paths += (paths.empty() ? "" : " ") + p;
      std::string newest = backup::FormatTimeNs(s.newest_ns).substr(0, 16);
      newest[10] = ' ';
      table.AddRow({SanitizeForTerminal(s.host), SanitizeForTerminal(paths),
                    std::to_string(s.copies), std::to_string(s.media_kinds),
                    std::to_string(s.offsite), newest, s.ok() ? "met" : "NOT met"});
    }
    std::cout << table.Render();
    for (const auto& s : report.sources)
      for (const auto& m : s.missing) std::cout << SanitizeForTerminal(s.host) << ": " << m << "\n";
    for (const auto& u : report.unreadable) std::cout << "unreadable: " << u << "\n";
  }
  return report.ok() ? kExitOk : kExitIncomplete;
}

}  // namespace

void AddBackupCopyCommands(CLI::App* backup, Context& ctx) {
  auto args = std::make_shared<CopyArgs>();
  auto* copy = backup->add_subcommand(
      "copy",
      "Copy snapshots to another repository (default: every snapshot it has no copy of yet). "
      "The destination is written like a backup, snapshot last, so an interrupted copy "
      "leaves it consistent.");
  AddRepoOptions(copy, args->repo);
  copy->add_option("--to", args->to.repo,
                   "destination repository: a directory, sftp://... or s3://...")
      ->required();
  copy->add_option("--to-password-file", args->to.password_file,
                   "destination password file (else FAILSAFE_BACKUP_TO_PASSWORD, else a prompt)");
  copy->add_option("--to-key-file", args->to.key_file, "open the destination with a key file");
  copy->add_option("--to-sftp-identity", args->to.sftp_identity, "destination SFTP private key");
  copy->add_option("--to-sftp-known-hosts", args->to.sftp_known_hosts,
                   "destination SFTP known_hosts file");
  copy->add_option("--to-sftp-accept-fingerprint", args->to.sftp_accept_fingerprint,
                   "destination SFTP: accept this host key (SHA256:...)");
  copy->add_flag("--to-sftp-insecure-new-host", args->to.sftp_insecure_new_host,
                 "destination SFTP: accept an unknown host key");
  copy->add_option("SNAPSHOT", args->snapshots, "snapshots to copy: ids, prefixes or latest");
  copy->callback([&ctx, args] { ctx.run = [&ctx, args] { return RunCopy(ctx, *args); }; });

  auto report = std::make_shared<ReportArgs>();
  auto* r321 = backup->add_subcommand(
      "report-321",
      "For a set of repositories: how many hold a recent copy of each source (host and "
      "paths), on how many kinds of media, how many offsite, and what the 3-2-1 rule still "
      "needs. Exit 3 when the rule is not met.");
  r321->add_option("--repo", report->repos, "a repository; repeat for each")->required();
  r321->add_option("--offsite", report->offsite,
                   "this --repo is offsite (another building or provider); repeatable");
  r321->add_option("--password-file", report->credentials.password_file,
                   "password for every repository (else FAILSAFE_BACKUP_PASSWORD)");
  r321->add_option("--key-file", report->credentials.key_file, "key file for every repository");
  r321->add_option("--sftp-identity", report->credentials.sftp_identity, "SFTP: private key file");
  r321->add_option("--sftp-known-hosts", report->credentials.sftp_known_hosts,
                   "SFTP: known_hosts file");
  r321->add_option("--max-age", report->max_age,
                   "a copy older than this does not count (default 48h)");
  r321->add_option("--copies", report->copies, "copies the rule asks for (default 3)");
  r321->add_option("--media", report->media, "kinds of media the rule asks for (default 2)");
  r321->add_option("--offsite-copies", report->offsite_copies,
                   "offsite copies the rule asks for (default 1)");
  r321->add_flag("--backups-only", report->backups_only,
                 "do not count the original data as one of the copies");
  r321->callback([&ctx, report] { ctx.run = [&ctx, report] { return RunReport(ctx, *report); }; });
}

}  // namespace failsafe::cli

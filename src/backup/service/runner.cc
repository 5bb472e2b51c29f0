#include "backup/service/runner.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "backup/backend/open_backend.h"
#include "backup/format/snapshot.h"
#include "backup/ops/backup_run.h"
#include "backup/ops/forget.h"
#include "backup/ops/progress.h"
#include "backup/ops/prune.h"
#include "backup/ops/restore.h"
#include "backup/sources/command_source.h"
#include "backup/sources/sqlite_source.h"

namespace failsafe::backup::service {
namespace {

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

const Clock& ClockOf(const RunnerSettings& s) {
  return s.clock ? *s.clock : SystemClock::Instance();
}

int64_t MillisSince(SteadyClock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - start).count();
}

BackendOptions BackendOptionsFor(const Destination& d) {
  BackendOptions o;
  o.s3.access_key_id = d.secrets.s3_access_key_id;
  o.s3.secret_access_key = d.secrets.s3_secret_access_key;
  o.sftp.identity_file = d.sftp_identity_file;
  o.sftp.identity_passphrase = d.secrets.sftp_identity_passphrase;
  o.sftp.known_hosts_file = d.sftp_known_hosts;
  o.sftp.accept_fingerprint = d.sftp_accept_fingerprint;
  // The scheduler retries at the next run; a few quick attempts cover a blip.
  o.retry.max_attempts = 3;
  return o;
}

Credentials CredentialsFor(const Destination& d) {
  Credentials c;
  if (!d.secrets.password.empty()) c.password = d.secrets.password;
  if (!d.secrets.key_file.empty()) c.key_file = d.secrets.key_file;
  return c;
}

// Copies a command's standard output into `file`.
Status StageCommand(const Source& s, const std::string& file) {
  FS_ASSIGN_OR_RETURN_STATUS(auto cmd, CommandSource::Start(s.command));
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) return Internal("cannot write " + file);
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(cmd->stdout_fd(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Internal("reading the output of " + cmd->Describe() + " failed");
    if (n == 0) break;
    out.write(buf, n);
  }
  out.close();
  if (!out) return Internal("writing " + file + " failed (disk full?)");
  return cmd->Finish().WithContext("source " + cmd->Describe());
}

// The paths one run backs up: path sources as given, the other sources staged as files in
// `staging` (a directory whose name stays the same between runs, so parents match).
Result<std::pair<std::vector<std::string>, std::vector<std::string>>> StageSources(
    const Policy& policy, const RunnerSettings& settings, const std::string& staging) {
  std::vector<std::string> paths, excludes;
  bool staged = false;
  std::error_code ec;
  fs::remove_all(staging, ec);
  for (const Source& s : policy.sources) {
    if (s.kind == "paths") {
      paths.insert(paths.end(), s.paths.begin(), s.paths.end());
      excludes.insert(excludes.end(), s.excludes.begin(), s.excludes.end());
      continue;
    }
    if (!staged) {
      fs::create_directories(staging, ec);
      if (ec) return Err(Internal("cannot create " + staging + ": " + ec.message()));
      staged = true;
    }
    if (s.kind == "command") {
      FS_RETURN_IF_ERROR(StageCommand(s, staging + "/" + s.filename));
    } else if (s.kind == "sqlite") {
      const std::string name = fs::path(s.path).filename().string();
      FS_RETURN_IF_ERROR(
          CopySqliteOnline(s.path, staging + "/" + name).WithContext("source sqlite " + s.path));
    } else if (s.kind == "store") {
      if (settings.store_sqlite_path.empty()) {
        return Err(FailedPrecondition(
            "the store is PostgreSQL: back it up with a command source running pg_dump"));
      }
      FS_RETURN_IF_ERROR(
          CopySqliteOnline(settings.store_sqlite_path, staging + "/failsafe-store.db")
              .WithContext("source store"));
    }
  }
  if (staged) paths.push_back(staging);
  return std::pair{paths, excludes};
}

std::string Joined(const std::vector<std::string>& lines, size_t max_bytes = 4096) {
  std::string out;
  for (const auto& l : lines) {
    if (out.size() + l.size() + 1 > max_bytes) {
      out += "...";
      break;
    }
    out += l + "\n";
  }
  return out;
}

std::string ApplyRetention(Repository& repo, const Policy& policy, size_t* forgotten) {
  ForgetOptions options;
  options.policy = policy.retention;
  options.time_zone = policy.time_zone;
  options.tags = {PolicyTag(policy.name)};
  auto groups = RunForget(repo, options);
  if (!groups) return "retention failed: " + groups.error().message();
  size_t kept = 0, removed = 0;
  for (const auto& g : *groups) {
    kept += g.keep.size();
    removed += g.remove.size();
  }
  *forgotten = removed;
  return "kept " + std::to_string(kept) + ", forgot " + std::to_string(removed) + " snapshots";
}

// Removes the data of forgotten snapshots under the exclusive lock, through a repository
// opened afresh (the one that just backed up holds this session's new blobs in its index).
std::string PruneAfterForget(const Destination& d, const RunnerSettings& settings) {
  auto repo = OpenDestination(d, settings);
  if (!repo) return "; prune skipped: " + repo.error().message();
  auto lock = (*repo)->Lock(true);
  if (!lock) return "; prune skipped (will run after a later backup): " + lock.error().message();
  auto pruned = RunPrune(**repo, PruneOptions{});
  (void)(*lock)->Release();
  if (!pruned) return "; prune failed: " + pruned.error().message();
  return "; pruned " + std::to_string(pruned->packs_deleted + pruned->packs_repacked) +
         " packs, freed " + FormatBytes(pruned->bytes_freed);
}

void BackupTo(const Policy& policy, const Destination& d, const RunnerSettings& settings,
              const std::vector<std::string>& paths, const std::vector<std::string>& excludes,
              bool full, const ProgressHook& hook, RunRecord& rec) {
  const auto start = SteadyClock::now();
  auto finish = [&](const std::string& status, const std::string& error) {
    rec.status = status;
    if (!error.empty()) {
      rec.errors += error;
      ++rec.error_count;
    }
    rec.duration_ms = MillisSince(start);
  };
  auto repo = OpenDestination(d, settings);
  if (!repo) return finish(kRunFailed, repo.error().message());
  Progress progress;
  if (hook) hook(d.url, &progress);
  auto lock = (*repo)->Lock(false);
  if (!lock) {
    if (hook) hook(d.url, nullptr);
    return finish(kRunFailed, lock.error().message());
  }
  BackupOptions options;
  options.paths = paths;
  options.excludes = excludes;
  options.full = full;
  options.tags = {PolicyTag(policy.name)};
  options.progress = &progress;
  Status loaded = (*repo)->LoadIndex({}, Repository::IndexDetail::kDataPresence);
  Result<BackupResult> result =
      loaded.ok() ? RunBackup(**repo, options) : Result<BackupResult>(Err(loaded));
  if (hook) hook(d.url, nullptr);
  if (!result) return finish(kRunFailed, result.error().message());
  const SnapshotSummary& s = result->snapshot.summary;
  rec.snapshot_id = result->snapshot_id.Hex();
  rec.bytes_read = static_cast<int64_t>(s.bytes_read);
  rec.data_added = static_cast<int64_t>(s.data_added);
  rec.files = static_cast<int64_t>(s.total_files);
  rec.error_count = static_cast<int64_t>(result->errors.size());
  rec.errors = Joined(result->errors);
  finish(result->errors.empty() ? kRunOk : kRunIncomplete, "");
  // Forget under the same shared lock, as `backup forget` does; prune needs it exclusive.
  size_t forgotten = 0;
  rec.retention = ApplyRetention(**repo, policy, &forgotten);
  (void)(*lock)->Release();
  if (forgotten > 0) rec.retention += PruneAfterForget(d, settings);
  rec.duration_ms = MillisSince(start);
}

// The newest snapshot carrying the policy's tag.
Result<std::optional<std::pair<Id, Snapshot>>> LatestOfPolicy(Repository& repo,
                                                              const std::string& tag) {
  FS_ASSIGN_OR_RETURN(auto ids, repo.ListSnapshots());
  std::optional<std::pair<Id, Snapshot>> best;
  for (const Id& id : ids) {
    FS_ASSIGN_OR_RETURN(std::string json, repo.LoadSnapshotJson(id));
    FS_ASSIGN_OR_RETURN(Snapshot snap, DecodeSnapshot(json));
    if (std::find(snap.tags.begin(), snap.tags.end(), tag) == snap.tags.end()) continue;
    if (!best || snap.time_ns > best->second.time_ns) best = std::pair{id, std::move(snap)};
  }
  return best;
}

// Restore time at the measured rate for the whole snapshot.
int64_t ProjectMillis(int64_t duration_ms, uint64_t restored, uint64_t total) {
  if (restored == 0 || total <= restored) return duration_ms;
  return static_cast<int64_t>(static_cast<double>(duration_ms) * static_cast<double>(total) /
                              static_cast<double>(restored));
}

}  // namespace

Result<std::unique_ptr<Repository>> OpenDestination(const Destination& d,
                                                    const RunnerSettings& settings) {
  const Credentials credentials = CredentialsFor(d);
  if (!credentials.password && !credentials.key_file) {
    return Err(FailedPrecondition("destination " + d.url + " has no password or key file"));
  }
  FS_ASSIGN_OR_RETURN(auto backend, OpenBackend(d.url, BackendOptionsFor(d)));
  auto opened = Repository::Open(std::move(backend), credentials);
  if (opened || !d.init || opened.error().code() != ErrorCode::kNotFound) return opened;
  FS_ASSIGN_OR_RETURN(auto fresh, OpenBackend(d.url, BackendOptionsFor(d)));
  InitOptions init;
  init.argon2_opslimit = settings.argon2_opslimit;
  init.argon2_memlimit = settings.argon2_memlimit;
  return Repository::Init(std::move(fresh), credentials, init);
}

std::vector<RunRecord> RunPolicyBackup(const Policy& policy, const RunnerSettings& settings,
                                       bool full, const std::string& trigger, int64_t scheduled_for,
                                       const ProgressHook& hook) {
  const std::string staging = settings.work_dir + "/staging/" + policy.name;
  auto staged = StageSources(policy, settings, staging);
  std::vector<RunRecord> out;
  for (const Destination& d : policy.destinations) {
    RunRecord rec;
    rec.policy_id = policy.id;
    rec.policy_name = policy.name;
    rec.service_key = policy.service;
    rec.destination = d.url;
    rec.trigger = trigger;
    rec.full = full;
    rec.scheduled_for = scheduled_for;
    rec.started_at = ClockOf(settings).NowMillis();
    if (!staged) {
      rec.status = kRunFailed;
      rec.errors = staged.error().message();
      rec.error_count = 1;
    } else {
      BackupTo(policy, d, settings, staged->first, staged->second, full, hook, rec);
    }
    out.push_back(std::move(rec));
  }
  std::error_code ec;
  fs::remove_all(staging, ec);
  return out;
}

DrillRecord RunPolicyDrill(const Policy& policy, const RunnerSettings& settings, int64_t rto_ms,
                           const std::string& trigger, const ProgressHook& hook) {
  DrillRecord rec;
  rec.policy_id = policy.id;
  rec.policy_name = policy.name;
  rec.service_key = policy.service;
  rec.trigger = trigger;
  rec.rto_ms = rto_ms;
  rec.started_at = ClockOf(settings).NowMillis();
  rec.status = kDrillFail;
  std::vector<std::string> tried;
  for (const Destination& d : policy.destinations) {
    const auto start = SteadyClock::now();
    auto repo = OpenDestination(d, settings);
    if (!repo) {
      tried.push_back(d.url + ": " + repo.error().message());
      continue;
    }
    auto lock = (*repo)->Lock(false);
    if (!lock) {
      tried.push_back(d.url + ": " + lock.error().message());
      continue;
    }
    Status loaded = (*repo)->LoadIndex();
    auto latest = loaded.ok() ? LatestOfPolicy(**repo, PolicyTag(policy.name))
                              : Result<std::optional<std::pair<Id, Snapshot>>>(Err(loaded));
    if (!latest || !*latest) {
      tried.push_back(
          d.url + ": " +
          (latest ? std::string("no snapshot of this policy") : latest.error().message()));
      continue;
    }
    const std::string scratch =
        settings.work_dir + "/drills/" + policy.name + "-" + std::to_string(rec.started_at);
    std::error_code ec;
    fs::create_directories(scratch, ec);
    Progress progress;
    if (hook) hook(d.url, &progress);
    RestoreOptions options;
    options.target = scratch;
    options.verify = true;
    options.owners = false;
    options.owners_set = true;
    options.progress = &progress;
    auto restored = RunRestore(**repo, (*latest)->second, options);
    if (hook) hook(d.url, nullptr);
    (void)(*lock)->Release();
    fs::remove_all(scratch, ec);
    rec.destination = d.url;
    rec.snapshot_id = (*latest)->first.Hex();
    rec.duration_ms = MillisSince(start);
    rec.snapshot_bytes = static_cast<int64_t>((*latest)->second.summary.total_bytes);
    if (!restored) {
      rec.detail = "restore failed: " + restored.error().message();
      return rec;
    }
    // RestoreResult::bytes is not filled by every engine version; the progress counter is.
    const uint64_t restored_bytes =
        std::max<uint64_t>(restored->bytes, progress.Sample().bytes_done);
    rec.restored_bytes = static_cast<int64_t>(restored_bytes);
    rec.verified_bytes = static_cast<int64_t>(restored->verified_bytes);
    rec.files = static_cast<int64_t>(restored->files);
    rec.projected_ms =
        ProjectMillis(rec.duration_ms, restored_bytes, (*latest)->second.summary.total_bytes);
    if (!restored->errors.empty()) {
      rec.detail =
          std::to_string(restored->errors.size()) + " errors: " + Joined(restored->errors, 2048);
      return rec;
    }
    if (restored->verified_bytes < restored_bytes) {
      rec.detail = "only " + std::to_string(restored->verified_bytes) + " of " +
                   std::to_string(restored_bytes) + " bytes were verified";
      return rec;
    }
    if (rto_ms <= 0) {
      rec.status = kDrillPass;
      rec.detail = "verified; the service has no RTO to compare with";
      return rec;
    }
    rec.margin_ms = rto_ms - rec.projected_ms;
    rec.status = *rec.margin_ms >= 0 ? kDrillPass : kDrillFail;
    rec.detail = *rec.margin_ms >= 0 ? "verified; projected restore within the RTO"
                                     : "verified, but the projected restore exceeds the RTO";
    return rec;
  }
  rec.destination = policy.destinations.empty() ? "" : policy.destinations.front().url;
  rec.detail = "no destination could be restored from: " + Joined(tried, 2048);
  return rec;
}

}  // namespace failsafe::backup::service

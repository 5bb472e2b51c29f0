// backup_engine_run: what `failsafe backup run` and `failsafe backup check` do, without the
// rest of the CLI: Repository::Open with the password (Argon2id), a shared lock, LoadIndex
// as the command loads it, then RunBackup or RunCheck, under the same allocator (jemalloc).
// For big_index.py: it links the backup libraries alone, so it builds in minutes where the
// whole failsafe binary takes most of an hour on a shared machine. Prints one JSON line with
// the index load's wall and CPU time and resident memory after it.
//
//   FAILSAFE_BACKUP_PASSWORD=... backup_engine_run --repo DIR backup [--with-locations]
//       [--readers N] [--small-readers N] [--workers N] [--in-flight-mib N] [--pack-mib N]
//       PATH...
//   FAILSAFE_BACKUP_PASSWORD=... backup_engine_run --repo DIR check
// --with-locations loads data blob locations too (what `backup run` did before it loaded
// ids alone), to measure the difference. --readers, --small-readers, --workers and
// --in-flight-mib override the pipeline's defaults and --pack-mib the repository's pack size,
// to tune them (bench/backup/README.md, "Tuning the pipeline").
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "backup/backend/local_backend.h"
#include "backup/ops/backup_run.h"
#include "backup/ops/check.h"
#include "backup/repo/repository.h"
#include "proc_status.h"

namespace failsafe::backup {
namespace {

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

struct Args {
  std::string repo, command;
  bool with_locations = false;
  int readers = 0, small_readers = 0, workers = 0;  // 0: BackupOptions' defaults
  size_t in_flight_mib = 0;
  uint64_t pack_mib = 0;  // 0: the repository's pack size
  std::vector<std::string> paths;
};

Status Run(const Args& a, const Credentials& credentials) {
  RepoOptions repo_options;
  repo_options.pack_size_override = a.pack_mib << 20;
  FS_ASSIGN_OR_RETURN_STATUS(auto repo, Repository::Open(std::make_unique<LocalBackend>(a.repo),
                                                         credentials, repo_options));
  FS_ASSIGN_OR_RETURN_STATUS(auto lock, repo->Lock(/*exclusive=*/false));
  const bool backup = a.command == "backup";
  const double cpu0 = CpuSeconds();
  const auto t0 = std::chrono::steady_clock::now();
  std::string outcome;
  double load_wall = 0, load_cpu = 0;
  long rss_loaded = 0;
  if (backup) {
    FS_RETURN_STATUS_IF_ERROR(repo->LoadIndex({}, a.with_locations
                                                      ? Repository::IndexDetail::kLocations
                                                      : Repository::IndexDetail::kDataPresence));
    load_wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    load_cpu = CpuSeconds() - cpu0;
    rss_loaded = bench::ProcStatusKiB("VmRSS:");
    BackupOptions options;
    options.paths = a.paths;
    if (a.readers > 0) options.readers = a.readers;
    if (a.small_readers > 0) options.small_readers = a.small_readers;
    if (a.workers > 0) options.workers = a.workers;
    if (a.in_flight_mib > 0) options.bytes_in_flight = a.in_flight_mib << 20;
    FS_ASSIGN_OR_RETURN_STATUS(BackupResult result, RunBackup(*repo, options));
    outcome = "\"snapshot\": \"" + result.snapshot_id.Hex().substr(0, 8) +
              "\", \"files_new\": " + std::to_string(result.snapshot.summary.files_new) +
              ", \"data_added\": " + std::to_string(result.snapshot.summary.data_added);
  } else {
    FS_ASSIGN_OR_RETURN_STATUS(CheckResult result, RunCheck(*repo, CheckOptions{}));
    outcome = "\"check_errors\": " + std::to_string(result.errors.size()) +
              ", \"trees\": " + std::to_string(result.trees) +
              ", \"packs\": " + std::to_string(result.packs);
    if (!result.ok()) return DataLoss("check: " + result.errors.front());
  }
  FS_RETURN_STATUS_IF_ERROR(lock->Release());
  std::printf(
      "{\"load_wall_s\": %.3f, \"load_cpu_s\": %.3f, \"rss_after_load_kib\": %ld, "
      "\"peak_kib\": %ld, %s}\n",
      load_wall, load_cpu, rss_loaded, bench::ProcStatusKiB("VmHWM:"), outcome.c_str());
  return Status::Ok();
}

}  // namespace
}  // namespace failsafe::backup

int main(int argc, char** argv) {
  failsafe::backup::Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--repo" && i + 1 < argc)
      a.repo = argv[++i];
    else if (arg == "--with-locations")
      a.with_locations = true;
    else if (arg == "--readers" && i + 1 < argc)
      a.readers = std::atoi(argv[++i]);
    else if (arg == "--small-readers" && i + 1 < argc)
      a.small_readers = std::atoi(argv[++i]);
    else if (arg == "--workers" && i + 1 < argc)
      a.workers = std::atoi(argv[++i]);
    else if (arg == "--pack-mib" && i + 1 < argc)
      a.pack_mib = static_cast<uint64_t>(std::atoi(argv[++i]));
    else if (arg == "--in-flight-mib" && i + 1 < argc)
      a.in_flight_mib = static_cast<size_t>(std::atoi(argv[++i]));
    else if (a.command.empty())
      a.command = arg;
    else
      a.paths.push_back(arg);
  }
  const char* password = std::getenv("FAILSAFE_BACKUP_PASSWORD");
  if (a.repo.empty() || password == nullptr || (a.command != "backup" && a.command != "check") ||
      (a.command == "backup") == a.paths.empty()) {
    std::fprintf(stderr,
                 "usage: backup_engine_run --repo DIR (backup [--with-locations] [--readers N] "
                 "[--small-readers N] [--workers N] [--in-flight-mib N] [--pack-mib N] PATH... | "
                 "check)\nthe password comes from FAILSAFE_BACKUP_PASSWORD\n");
    return 2;
  }
  failsafe::backup::Credentials credentials;
  credentials.password = password;
  failsafe::Status s = failsafe::backup::Run(a, credentials);
  if (!s.ok()) {
    std::fprintf(stderr, "backup_engine_run: %s\n", s.message().c_str());
    return 1;
  }
  return 0;
}

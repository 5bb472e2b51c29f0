#pragma once
// RunBackup: one snapshot of files and directories (docs/backup-format.md). The paths are
// stored under their absolute names, as restic does: /srv/erp becomes tree "srv" holding
// "erp". Files whose size, mtime, ctime and inode match the parent snapshot are not read
// again; --full reads everything. Files that cannot be read are reported, counted and left
// out (the snapshot says so in its summary and the caller exits non-zero), never silently.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "backup/archive/background_counter.h"
#include "backup/format/snapshot.h"
#include "backup/ops/progress.h"
#include "backup/repo/repository.h"

namespace failsafe::backup {

struct BackupOptions {
  std::vector<std::string> paths;
  std::vector<std::string> excludes;
  bool one_file_system = false;
  bool full = false;         // ignore the parent: read every file (the weekly full)
  std::optional<Id> parent;  // else the newest snapshot of the same host and paths
  std::vector<std::string> tags;
  std::string host;                   // default: this machine's name
  int walkers = 8;                    // threads listing directories (they mostly wait on the disk)
  int readers = 2;                    // threads opening and chunking files of several chunks
  int small_readers = 4;              // threads reading files smaller than a chunk (disk-bound)
  int workers = 0;                    // threads hashing, compressing, encrypting; 0: one per core
  size_t bytes_in_flight = 16 << 20;  // chunks read, not yet saved: bounds peak memory
  Progress* progress = nullptr;       // optional
  std::function<void(const std::string&)> warn;  // a file or directory that could not be read
  // Already counting `paths` (StartCounting); null: RunBackup starts one.
  std::shared_ptr<archive::BackgroundCounter> counter;
};

struct BackupResult {
  Id snapshot_id;
  Snapshot snapshot;
  std::vector<std::string> errors;  // what was left out, one line each
};

Result<BackupResult> RunBackup(Repository& repo, const BackupOptions& options);

// Starts counting what a backup with `options` will read, for its progress totals. Called
// before the repository is opened, the counter's threads read the paths' directories and
// inodes while the key is derived, so the backup's own walk then finds them cached (with a
// cold cache that walk is bound by the disk's latency). Null when the options are invalid
// (RunBackup then says why).
std::shared_ptr<archive::BackgroundCounter> StartCounting(const BackupOptions& options);

// The newest snapshot of `host` with exactly `paths`, for the parent of the next backup.
Result<std::optional<std::pair<Id, Snapshot>>> FindParent(Repository& repo, const std::string& host,
                                                          const std::vector<std::string>& paths);

// Absolute, normalised paths without a trailing '/', sorted and without duplicates; a path
// inside another given path is dropped (the outer one contains it).
std::vector<std::string> NormalisePaths(const std::vector<std::string>& paths);

std::string ThisHostName();

}  // namespace failsafe::backup

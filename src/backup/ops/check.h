#pragma once
// RunCheck: is the repository whole? (docs/backup-format.md, "What check verifies"). Always:
// index files decode, every indexed pack exists with the size its index implies, every
// snapshot decodes, every tree reachable from a snapshot loads and decodes, every chunk a file
// needs is indexed. With read_data: every pack is read whole, its SHA-256 compared with its
// name, its header with the index, every blob decrypted and its id verified. Damage is named
// down to the snapshots and files it affects. Unreferenced packs (left by an interrupted
// backup) are reported for prune, not as damage.
#include <functional>
#include <string>
#include <vector>

#include "backup/ops/progress.h"
#include "backup/repo/repository.h"

namespace failsafe::backup {

struct CheckOptions {
  bool read_data = false;
  int workers = 0;  // 0: two per core
  Progress* progress = nullptr;
};

struct CheckResult {
  std::vector<std::string> errors;    // damage: the repository is not whole
  std::vector<std::string> warnings;  // not damage (unreferenced packs, stale locks)
  uint64_t snapshots = 0;
  uint64_t trees = 0;
  uint64_t packs = 0;
  uint64_t blobs_verified = 0;
  uint64_t bytes_read = 0;
  bool ok() const { return errors.empty(); }
};

Result<CheckResult> RunCheck(Repository& repo, const CheckOptions& options);

}  // namespace failsafe::backup

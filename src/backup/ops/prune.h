#pragma once
// Prune: removes the data no snapshot needs (docs/backup-format.md, "Crash safety"). Runs
// under the exclusive lock. Packs no snapshot needs anything from are deleted; packs with more
// than `repack_threshold` unneeded bytes have their needed blobs copied (still encrypted, as
// stored) into new packs; everything else is left alone, so prune rewrites only what it must.
// Order: new packs, then one index file superseding every old one, then the old index files,
// then the old packs. A crash at any point leaves a repository check passes.
#include <cstdint>
#include <functional>

#include "backup/ops/progress.h"
#include "backup/repo/repository.h"

namespace failsafe::backup {

struct PruneOptions {
  double repack_threshold = 0.10;  // share of a pack's bytes that may be unneeded
  bool dry_run = false;
  Progress* progress = nullptr;
};

struct PruneResult {
  uint64_t packs_before = 0;
  uint64_t packs_deleted = 0;   // nothing in them was needed (or in no index)
  uint64_t packs_repacked = 0;  // their needed blobs were moved
  uint64_t bytes_freed = 0;
  uint64_t bytes_repacked = 0;
  uint64_t blobs_unused = 0;
};

Result<PruneResult> RunPrune(Repository& repo, const PruneOptions& options);

}  // namespace failsafe::backup

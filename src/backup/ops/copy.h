#pragma once
// CopySnapshots: `failsafe backup copy` (docs/backup-format.md, "Crash safety"; docs/backup/
// cli.md). Replicates snapshots into a second repository for 3-2-1, writing there like a
// backup: blobs into packs, the index, and each snapshot last, so a copy killed at any point
// leaves the destination consistent (at worst with unreferenced packs that prune removes).
//
// Blob ids are keyed per repository. When both repositories share the id key (`init
// --from-repo`), blobs keep their ids and are only decrypted and re-encrypted; otherwise each
// data blob is re-identified under the destination's key and every tree is rewritten bottom-up
// with the new ids. Chunk boundaries stay as they were (a copy never re-chunks).
//
// Every copy records `copied_from` (source repository and snapshot id), so a later copy skips
// what the destination already has. Between repositories with different keys, the id mapping
// of earlier copies is recovered by walking each earlier copy's trees beside the source's,
// so unchanged data is not read again.
#include <functional>
#include <string>
#include <vector>

#include "backup/format/ids.h"
#include "backup/ops/progress.h"
#include "backup/repo/repository.h"

namespace failsafe::backup {

struct CopyOptions {
  std::vector<Id> snapshots;  // empty: every source snapshot the destination has no copy of
  Progress* progress = nullptr;
  std::function<void(const std::string&)> note;  // one line per snapshot, for the terminal
};

struct CopiedSnapshot {
  Id source;
  Id copy;
};

struct CopyResult {
  bool same_keys = false;  // the destination was made with `init --from-repo SRC`
  std::vector<CopiedSnapshot> copied;
  size_t already_there = 0;   // selected snapshots the destination already had
  uint64_t blobs_added = 0;   // data and tree blobs written to the destination
  uint64_t bytes_read = 0;    // plaintext bytes read from the source
  uint64_t bytes_stored = 0;  // bytes the destination stored (after compression, encryption)
};

// Both repositories must be open with their indexes loaded. Takes a shared lock on each.
Result<CopyResult> CopySnapshots(Repository& src, Repository& dst, const CopyOptions& options);

}  // namespace failsafe::backup

#pragma once
// RunRestore: writes a snapshot (or the parts named by --include) into a target directory.
// Trees are read first to plan the work; then the needed blobs are fetched pack by pack,
// each pack range read once, decrypted and verified (every chunk's id is checked against its
// content), and written at the offsets the trees give, by several threads at once. File
// metadata is applied when a file's last chunk is written, directories' at the end.
#include <functional>
#include <string>
#include <vector>

#include "backup/format/snapshot.h"
#include "backup/ops/progress.h"
#include "backup/repo/repository.h"

namespace failsafe::backup {

struct RestoreOptions {
  std::string target;
  // Snapshot paths ("/srv/erp/config") to restore with everything below them; empty: all.
  std::vector<std::string> includes;
  bool owners = false;  // chown to the stored owners (root only); default: when root
  bool owners_set = false;
  // After writing, read every restored file back and check each chunk against its id: what a
  // restore drill needs to say "every byte came back".
  bool verify = false;
  int workers = 0;  // 0: two per core (reads wait on storage while others decrypt)
  Progress* progress = nullptr;
  std::function<void(const std::string&)> warn;
};

struct RestoreResult {
  uint64_t files = 0;
  uint64_t dirs = 0;
  uint64_t bytes = 0;
  uint64_t verified_bytes = 0;
  std::vector<std::string> errors;
};

Result<RestoreResult> RunRestore(Repository& repo, const Snapshot& snapshot,
                                 const RestoreOptions& options);

// "latest", a full id or a unique prefix of at least 8 hex digits.
Result<std::pair<Id, Snapshot>> ResolveSnapshot(Repository& repo, const std::string& spec);

}  // namespace failsafe::backup

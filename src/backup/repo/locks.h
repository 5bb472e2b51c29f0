#pragma once
// Repository locks (docs/backup-format.md, "Locks"): encrypted lock files in locks/, shared
// or exclusive, refreshed by writing a new file and removing the old one, stale when not
// refreshed for a while or when they name this host and a process that is gone.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "backup/backend/backend.h"
#include "backup/crypto/secret_key.h"
#include "backup/repo/repository.h"
#include "base/clock.h"

namespace failsafe::backup {

struct LockContext {
  Backend* backend = nullptr;
  const crypto::SecretKey* data_key = nullptr;
  const Clock* clock = nullptr;
  std::string host;
  std::string user;
  int64_t pid = 0;
  std::chrono::milliseconds refresh{std::chrono::minutes(5)};
  std::chrono::milliseconds stale_after{std::chrono::minutes(30)};
};

// Takes a lock: writes it, lists locks/, and if a conflicting lock that is not stale exists,
// removes its own and fails with Conflict naming the holder.
Result<std::unique_ptr<RepoLock>> AcquireLock(const LockContext& ctx, bool exclusive);
// Every readable lock with its staleness. A lock file that does not decrypt is DataLoss
// naming it (`unlock --remove-all` clears it).
Result<std::vector<LockStatus>> ListLockStatuses(const LockContext& ctx);
Result<size_t> RemoveLockFiles(const LockContext& ctx, bool all);

// Whether a process with this pid exists on this machine.
bool ProcessAlive(int64_t pid);

}  // namespace failsafe::backup

#include "backup/repo/locks.h"

#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "backup/crypto/aead.h"
#include "backup/crypto/hash.h"
#include "backup/format/aad.h"
#include "base/duration.h"

namespace failsafe::backup {
namespace {

std::string Age(std::chrono::milliseconds d) {
  return FormatDuration(std::chrono::duration_cast<std::chrono::seconds>(d));
}

Result<Id> WriteLock(const LockContext& ctx, const LockInfo& info) {
  std::string sealed = crypto::Seal(*ctx.data_key, EncodeLockInfo(info), aad::kLock);
  Id id = Id::FromBytes(crypto::Sha256(sealed).data());
  Status s = ctx.backend->Save(FileType::kLock, id.Hex(), sealed);
  if (!s.ok()) return Err(s.WithContext("writing lock"));
  return id;
}

LockStatus Judge(const LockContext& ctx, const Id& id, const LockInfo& info) {
  LockStatus st{id, info, false, {}, ctx.clock->NowMillis() - info.refreshed_ms};
  const auto idle = std::chrono::milliseconds(st.idle_ms);
  if (idle > ctx.stale_after) {
    st.stale = true;
    st.reason = "not refreshed for " + Age(idle);
  }
  if (info.host == ctx.host && !ProcessAlive(info.pid)) {
    st.stale = true;
    st.reason += std::string(st.reason.empty() ? "" : ": ") + "the process is gone";
  }
  return st;
}

class HeldLock final : public RepoLock {
 public:
  HeldLock(const LockContext& ctx, LockInfo info, Id id)
      : ctx_(ctx), info_(std::move(info)), id_(id) {
    refresher_ = std::thread([this] { RefreshLoop(); });
  }
  ~HeldLock() override { (void)Release(); }

  Status Release() override {
    {
      std::lock_guard lock(mu_);
      if (released_) return Status::Ok();
      released_ = true;
    }
    wake_.notify_all();
    if (refresher_.joinable()) refresher_.join();
    Status s = ctx_.backend->Remove(FileType::kLock, id_.Hex());
    return s.code() == ErrorCode::kNotFound ? Status::Ok() : s;
  }

  Status health() const override {
    std::lock_guard lock(mu_);
    return health_;
  }
  Id id() const override {
    std::lock_guard lock(mu_);
    return id_;
  }

 private:
  void RefreshLoop() {
    std::unique_lock lock(mu_);
    while (!released_) {
      if (wake_.wait_for(lock, ctx_.refresh, [&] { return released_; })) return;
      lock.unlock();
      Status s = RefreshOnce();
      lock.lock();
      if (!s.ok() && health_.ok()) health_ = s;
    }
  }

  // A new file first, then the old one removed: at every moment one of them exists.
  Status RefreshOnce() {
    LockInfo next = info_;
    next.refreshed_ms = ctx_.clock->NowMillis();
    auto written = WriteLock(ctx_, next);
    if (!written) return written.error();
    Status removed = ctx_.backend->Remove(FileType::kLock, id_.Hex());
    std::lock_guard lock(mu_);
    info_ = next;
    id_ = *written;
    return removed.code() == ErrorCode::kNotFound ? Status::Ok() : removed;
  }

  LockContext ctx_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  LockInfo info_;
  Id id_;
  bool released_ = false;
  Status health_;
  std::thread refresher_;
};

}  // namespace

bool ProcessAlive(int64_t pid) {
  if (pid <= 0 || pid > INT32_MAX) return false;
  return kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

std::string LockStatus::Describe() const {
  std::string out = std::string(info.exclusive ? "exclusive" : "shared") + " lock held by pid " +
                    std::to_string(info.pid) + " on " + info.host;
  if (!info.user.empty()) out += " (user " + info.user + ")";
  out += " since " + FormatRfc3339(info.created_ms);
  if (stale)
    out += ", stale: " + reason;
  else
    out += ", refreshed " + Age(std::chrono::milliseconds(std::max<int64_t>(idle_ms, 0))) + " ago";
  return out;
}

Result<std::vector<LockStatus>> ListLockStatuses(const LockContext& ctx) {
  FS_ASSIGN_OR_RETURN(auto files, ctx.backend->List(FileType::kLock));
  std::vector<LockStatus> out;
  for (const FileInfo& f : files) {
    auto id = Id::FromHex(f.name);
    if (!id) continue;  // not ours (a temporary file of a backend): never a lock
    auto sealed = ctx.backend->Load(FileType::kLock, f.name);
    if (!sealed && sealed.error().code() == ErrorCode::kNotFound) continue;  // released meanwhile
    if (!sealed) return Err(sealed.error());
    std::string plain;
    FS_RETURN_IF_ERROR(
        crypto::Open(*ctx.data_key, *sealed, aad::kLock, &plain,
                     "lock " + f.name + " (remove it with `failsafe backup unlock --remove-all`)"));
    FS_ASSIGN_OR_RETURN(LockInfo info, DecodeLockInfo(plain, f.name));
    out.push_back(Judge(ctx, *id, info));
  }
  return out;
}

Result<std::unique_ptr<RepoLock>> AcquireLock(const LockContext& ctx, bool exclusive) {
  const int64_t now = ctx.clock->NowMillis();
  LockInfo info{ctx.host, ctx.pid, ctx.user, exclusive, now, now};
  FS_ASSIGN_OR_RETURN(Id ours, WriteLock(ctx, info));
  auto locks = ListLockStatuses(ctx);
  const LockStatus* conflict = nullptr;
  if (locks) {
    for (const LockStatus& l : *locks)
      if (l.id != ours && !l.stale && (exclusive || l.info.exclusive)) {
        conflict = &l;
        break;
      }
  }
  if (!locks || conflict != nullptr) {
    (void)ctx.backend->Remove(FileType::kLock, ours.Hex());
    if (!locks) return Err(locks.error());
    return Err(Conflict("the repository is locked: " + conflict->Describe() +
                        (exclusive ? "; this operation needs it alone" : "")));
  }
  return std::unique_ptr<RepoLock>(new HeldLock(ctx, info, ours));
}

Result<size_t> RemoveLockFiles(const LockContext& ctx, bool all) {
  size_t removed = 0;
  if (all) {
    FS_ASSIGN_OR_RETURN(auto files, ctx.backend->List(FileType::kLock));
    for (const FileInfo& f : files) {
      Status s = ctx.backend->Remove(FileType::kLock, f.name);
      if (s.ok())
        ++removed;
      else if (s.code() != ErrorCode::kNotFound)
        return Err(s);
    }
    return removed;
  }
  FS_ASSIGN_OR_RETURN(auto locks, ListLockStatuses(ctx));
  for (const LockStatus& l : locks) {
    if (!l.stale) continue;
    Status s = ctx.backend->Remove(FileType::kLock, l.id.Hex());
    if (s.ok())
      ++removed;
    else if (s.code() != ErrorCode::kNotFound)
      return Err(s);
  }
  return removed;
}

}  // namespace failsafe::backup

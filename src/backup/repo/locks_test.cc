#include "backup/repo/locks.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "backup/backend/mem_backend.h"
#include "backup/crypto/master_key.h"

namespace failsafe::backup {
namespace {

class LocksTest : public ::testing::Test {
 protected:
  LockContext Ctx(std::string host = "db-01", int64_t pid = getpid()) {
    LockContext c;
    c.backend = &mem_;
    c.data_key = &key_.data_key;
    c.clock = &clock_;
    c.host = std::move(host);
    c.user = "ops";
    c.pid = pid;
    c.refresh = std::chrono::hours(1);
    c.stale_after = std::chrono::minutes(30);
    return c;
  }
  size_t LockFiles() { return mem_.List(FileType::kLock)->size(); }

  MemBackend mem_;
  crypto::MasterKey key_ = crypto::MasterKey::Generate();
  FakeClock clock_;
};

TEST_F(LocksTest, SharedLocksCoexistExclusiveConflicts) {
  auto a = AcquireLock(Ctx(), false);
  auto b = AcquireLock(Ctx("app-02"), false);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(LockFiles(), 2u);
  auto x = AcquireLock(Ctx("app-03"), true);
  ASSERT_FALSE(x);
  EXPECT_EQ(x.error().code(), ErrorCode::kConflict);
  EXPECT_NE(x.error().message().find("shared lock held by pid " + std::to_string(getpid())),
            std::string::npos)
      << x.error().ToString();
  EXPECT_EQ(LockFiles(), 2u);  // the failed attempt removed its own file
  ASSERT_TRUE((*a)->Release().ok());
  ASSERT_TRUE((*b)->Release().ok());
  EXPECT_EQ(LockFiles(), 0u);

  auto ex = AcquireLock(Ctx(), true);
  ASSERT_TRUE(ex);
  auto s = AcquireLock(Ctx("app-02"), false);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message().find("exclusive lock held by pid"), std::string::npos);
  EXPECT_NE(s.error().message().find("on db-01 (user ops) since"), std::string::npos);
  EXPECT_NE(s.error().message().find("refreshed 0s ago"), std::string::npos)
      << s.error().ToString();
}

TEST_F(LocksTest, StaleByAge) {
  auto old = AcquireLock(Ctx("other-host"), true);
  ASSERT_TRUE(old);
  clock_.Advance(std::chrono::minutes(31));
  auto locks = ListLockStatuses(Ctx());
  ASSERT_TRUE(locks);
  ASSERT_EQ(locks->size(), 1u);
  EXPECT_TRUE((*locks)[0].stale);
  EXPECT_EQ((*locks)[0].reason, "not refreshed for 31m");
  EXPECT_NE((*locks)[0].Describe().find("stale: not refreshed for 31m"), std::string::npos);
  // A stale lock does not block, and unlock removes it.
  auto mine = AcquireLock(Ctx(), true);
  ASSERT_TRUE(mine) << mine.error().ToString();
  auto removed = RemoveLockFiles(Ctx(), false);
  ASSERT_TRUE(removed);
  EXPECT_EQ(*removed, 1u);
  EXPECT_EQ(LockFiles(), 1u);  // ours, fresh, stays
}

TEST_F(LocksTest, StaleByDeadPidOnThisHost) {
  pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_GT(child, 0);
  waitpid(child, nullptr, 0);
  ASSERT_FALSE(ProcessAlive(child));
  ASSERT_TRUE(ProcessAlive(getpid()));
  auto dead = AcquireLock(Ctx("db-01", child), true);
  ASSERT_TRUE(dead);
  auto locks = *ListLockStatuses(Ctx("db-01"));
  ASSERT_EQ(locks.size(), 1u);
  EXPECT_TRUE(locks[0].stale);
  EXPECT_EQ(locks[0].reason, "the process is gone");
  // On another host the same lock is not judged by pid (it cannot be checked from here).
  EXPECT_FALSE((*ListLockStatuses(Ctx("elsewhere")))[0].stale);
  auto alive = AcquireLock(Ctx("db-01"), false);
  EXPECT_TRUE(alive);
  EXPECT_EQ(*RemoveLockFiles(Ctx("db-01"), true), 2u);
  (void)(*dead)->Release();  // already gone: not an error
}

TEST_F(LocksTest, RefreshReplacesTheFile) {
  LockContext c = Ctx();
  c.refresh = std::chrono::milliseconds(20);
  auto lock = AcquireLock(c, false);
  ASSERT_TRUE(lock);
  const Id first = (*lock)->id();
  clock_.Advance(std::chrono::minutes(10));
  for (int i = 0; i < 100 && (*lock)->id() == first; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_NE((*lock)->id(), first);
  EXPECT_TRUE((*lock)->health().ok());
  auto locks = *ListLockStatuses(c);
  ASSERT_EQ(locks.size(), 1u);
  EXPECT_EQ(locks[0].info.refreshed_ms, clock_.NowMillis());
  EXPECT_EQ(locks[0].info.created_ms, clock_.NowMillis() - 600000);
  ASSERT_TRUE((*lock)->Release().ok());
  EXPECT_EQ(LockFiles(), 0u);
}

TEST_F(LocksTest, DamagedLockIsNamed) {
  Id bogus;
  bogus.bytes.fill(0x42);
  mem_.Put(FileType::kLock, bogus.Hex(), "garbage that is long enough to be sealed data");
  auto r = AcquireLock(Ctx(), false);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kDataLoss);
  EXPECT_NE(r.error().message().find("lock " + bogus.Hex()), std::string::npos);
  EXPECT_EQ(LockFiles(), 1u);  // ours was removed again
  EXPECT_EQ(*RemoveLockFiles(Ctx(), true), 1u);
}

}  // namespace
}  // namespace failsafe::backup

// SQLite specifics: file creation, pragmas, locking and damaged files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "store/engine_fixture.h"
#include "store/testing/temp_dir.h"

namespace failsafe::store {
namespace {

TEST(SqliteStoreTest, CreatesFileAndParentDirectories) {
  testing::TempDir dir;
  std::string path = dir.Join("a/b/failsafe.db");
  auto store = OpenStore("sqlite:" + path);
  ASSERT_TRUE(store) << store.error().ToString();
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_EQ((*store)->Describe(), "sqlite:" + path);
  EXPECT_EQ((*store)->engine(), Engine::kSqlite);
}

TEST(SqliteStoreTest, UsesWalFullSyncAndForeignKeys) {
  testing::TempDir dir;
  auto store = OpenStore("sqlite:" + dir.Join("f.db"));
  ASSERT_TRUE(store);
  using Method = Status (Store::*)(const std::function<Status(Tx&)>&);
  for (Method method : {&Store::Read, &Store::Write}) {
    ASSERT_OK(((**store).*method)([](Tx& tx) -> Status {
      EXPECT_EQ((*tx.QueryOne("PRAGMA journal_mode"))->Text(0), "wal");
      EXPECT_EQ((*tx.QueryOne("PRAGMA synchronous"))->Int(0), 2) << "FULL";
      EXPECT_EQ((*tx.QueryOne("PRAGMA foreign_keys"))->Int(0), 1);
      return Status::Ok();
    }));
  }
}

TEST(SqliteStoreTest, UnopenablePathIsUnavailable) {
  testing::TempDir dir;
  std::ofstream(dir.Join("file")) << "x";
  auto store = OpenStore("sqlite:" + dir.Join("file/sub/f.db"));
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code(), ErrorCode::kUnavailable) << store.error().ToString();
  EXPECT_NE(store.error().message().find("file/sub"), std::string::npos);
}

TEST(SqliteStoreTest, DamagedFileIsDataLoss) {
  testing::TempDir dir;
  std::ofstream(dir.Join("junk.db")) << std::string(8192, 'j');
  auto store = OpenStore("sqlite:" + dir.Join("junk.db"));
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code(), ErrorCode::kDataLoss) << store.error().ToString();
}

TEST(SqliteStoreTest, LockHeldByAnotherWriterIsUnavailableAfterBusyTimeout) {
  testing::TempDir dir;
  std::string url = "sqlite:" + dir.Join("lock.db");
  auto holder = OpenStore(url);
  StoreOptions impatient;
  impatient.busy_timeout_ms = 100;
  auto waiter = OpenStore(url, impatient);
  ASSERT_TRUE(holder && waiter);
  std::promise<void> locked, release;
  std::thread t([&] {
    (void)(*holder)->Write([&](Tx& tx) -> Status {
      locked.set_value();
      release.get_future().wait();
      return StatusOf(tx.Exec("CREATE TABLE t (x INTEGER)"));
    });
  });
  locked.get_future().wait();
  auto start = std::chrono::steady_clock::now();
  Status s = (*waiter)->Write([](Tx&) { return Status::Ok(); });
  auto waited = std::chrono::steady_clock::now() - start;
  release.set_value();
  t.join();
  EXPECT_EQ(s.code(), ErrorCode::kUnavailable) << s.ToString();
  EXPECT_GE(waited, std::chrono::milliseconds(90));
  // Once released, the other writer gets through.
  EXPECT_TRUE(
      (*waiter)->Write([](Tx& tx) { return StatusOf(tx.Exec("INSERT INTO t VALUES (1)")); }).ok());
}

TEST(SqliteStoreTest, MoreThanOneStatementPerCallIsABug) {
  testing::TempDir dir;
  auto store = OpenStore("sqlite:" + dir.Join("m.db"));
  ASSERT_TRUE(store);
  Status s = (*store)->Write([](Tx& tx) {
    return StatusOf(tx.Exec("CREATE TABLE a (x INTEGER); CREATE TABLE b (x INTEGER)"));
  });
  EXPECT_EQ(s.code(), ErrorCode::kInternal) << s.ToString();
  EXPECT_TRUE(
      (*store)->Write([](Tx& tx) { return StatusOf(tx.Exec("CREATE TABLE a (x INTEGER);")); }).ok())
      << "a trailing ';' is fine";
}

}  // namespace
}  // namespace failsafe::store

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "backup/sources/command_source.h"
#include "backup/sources/sqlite_source.h"

namespace failsafe::backup {
namespace {

std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

TEST(CommandSource, StreamsStdoutAndSucceedsOnExitZero) {
  auto source = CommandSource::Start({"sh", "-c", "printf 'hello %s' \"$WHO\"; echo noise >&2"},
                                     {{"WHO", "erp"}});
  ASSERT_TRUE(source.has_value()) << source.error().ToString();
  EXPECT_EQ(ReadAll((*source)->stdout_fd()), "hello erp");
  EXPECT_TRUE((*source)->Finish().ok());
}

TEST(CommandSource, AFailingCommandIsAnErrorWithItsStderr) {
  auto source = CommandSource::Start(
      {"sh", "-c", "echo partial; echo 'pg_dump: connection refused' >&2; exit 2"});
  ASSERT_TRUE(source.has_value());
  EXPECT_EQ(ReadAll((*source)->stdout_fd()), "partial\n");
  Status s = (*source)->Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("exited with status 2"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("connection refused"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("no snapshot was saved"), std::string::npos);
}

TEST(CommandSource, AMissingProgramIsAClearError) {
  auto source = CommandSource::Start({"no-such-program-failsafe"});
  ASSERT_FALSE(source.has_value());
  EXPECT_NE(source.error().message().find("no-such-program-failsafe"), std::string::npos);
}

class SqliteCopyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sqlite_source_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

int64_t CountRows(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "SELECT count(*), coalesce(sum(v), 0) FROM t", -1, &stmt, nullptr);
  int64_t count = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    count = sqlite3_column_int64(stmt, 0);
    // Each transaction inserts rows summing to zero: a torn copy would show a non-zero sum.
    EXPECT_EQ(sqlite3_column_int64(stmt, 1), 0);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return count;
}

TEST_F(SqliteCopyTest, ACopyTakenWhileWritersRunIsConsistent) {
  std::string src = (dir_ / "live.db").string();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(src.c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; CREATE TABLE t(v INTEGER);", nullptr, nullptr,
               nullptr);
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    while (!stop) {
      sqlite3_exec(db, "BEGIN; INSERT INTO t VALUES (5); INSERT INTO t VALUES (-5); COMMIT;",
                   nullptr, nullptr, nullptr);
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::string copy = (dir_ / "copy.db").string();
  Status s = CopySqliteOnline(src, copy);
  stop = true;
  writer.join();
  sqlite3_close(db);
  ASSERT_TRUE(s.ok()) << s.ToString();
  int64_t rows = CountRows(copy);
  EXPECT_GT(rows, 0);
  EXPECT_EQ(rows % 2, 0);
}

TEST_F(SqliteCopyTest, NotADatabaseAndExistingTargetAreRefused) {
  std::string junk = (dir_ / "junk.db").string();
  FILE* f = std::fopen(junk.c_str(), "w");
  std::fputs("this is not a database, just text that is long enough to have a header", f);
  std::fclose(f);
  Status s = CopySqliteOnline(junk, (dir_ / "c1.db").string());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("not a usable SQLite database"), std::string::npos) << s.message();
  EXPECT_FALSE(CopySqliteOnline((dir_ / "missing.db").string(), (dir_ / "c2.db").string()).ok());
  EXPECT_EQ(CopySqliteOnline(junk, junk).code(), ErrorCode::kAlreadyExists);
}

}  // namespace
}  // namespace failsafe::backup

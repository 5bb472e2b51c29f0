// Stream sources on a real pipe, a real command, a real SQLite database being written to, and
// a failsafe data directory, into an in-memory repository; each restored and compared.
#include "backup/ops/stream_backup.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "backup/archive/test_util.h"
#include "backup/backend/mem_backend.h"
#include "backup/ops/check.h"
#include "backup/ops/restore.h"
#include "backup/repo/test_util.h"

namespace failsafe::backup {
namespace {

namespace fs = std::filesystem;
using archive::testing::ReadWhole;
using archive::testing::WriteFile;

class StreamBackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_ = repo_testing::InitRepo(mem_);
    ASSERT_TRUE(repo_);
    options_.host = "db-01";
    options_.scratch_dir = tmp_.path();
  }

  // Restores `s` into a new directory and returns it.
  std::string Restore(const Snapshot& s) {
    std::string target =
        (fs::path(tmp_.path()) / ("restore" + std::to_string(++restores_))).string();
    RestoreOptions o;
    o.target = target;
    o.verify = true;
    auto r = RunRestore(*repo_, s, o);
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    return target;
  }

  size_t SnapshotCount() { return repo_->ListSnapshots()->size(); }

  archive::testing::TempDir tmp_;
  MemBackend mem_;
  std::unique_ptr<Repository> repo_;
  StreamOptions options_;
  int restores_ = 0;
};

TEST_F(StreamBackupTest, StdinIsSavedAsOneFileAndRestoresByteForByte) {
  std::string data = repo_testing::RandomBlob(300000) + repo_testing::TextBlob(200000, 1);
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::thread writer([&] {
    size_t off = 0;
    while (off < data.size())
      off += static_cast<size_t>(
          ::write(fds[1], data.data() + off, std::min<size_t>(65536, data.size() - off)));
    ::close(fds[1]);
  });
  auto r = BackupStream(*repo_, options_, fds[0], "erp.sql");
  writer.join();
  ::close(fds[0]);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->snapshot.source.kind, SourceKind::kStdin);
  EXPECT_EQ(r->snapshot.source.filename, "erp.sql");
  EXPECT_EQ(r->snapshot.paths, std::vector<std::string>{"/erp.sql"});
  EXPECT_EQ(r->snapshot.summary.total_bytes, data.size());
  EXPECT_EQ(ReadWhole(Restore(r->snapshot) + "/erp.sql"), data);
  auto check = RunCheck(*repo_, CheckOptions{.read_data = true});
  ASSERT_TRUE(check.has_value());
  EXPECT_TRUE(check->ok()) << check->errors.front();
}

TEST_F(StreamBackupTest, ABadFileNameIsRefused) {
  auto r = BackupStream(*repo_, options_, 0, "a/b");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().ToString().find("--stdin-filename"), std::string::npos);
}

TEST_F(StreamBackupTest, CommandOutputIsSavedWithTheCommand) {
  auto r = BackupCommandOutput(*repo_, options_, {"seq", "1", "100000"}, "numbers.txt");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->snapshot.source.command, "seq 1 100000");
  std::string expected;
  for (int i = 1; i <= 100000; ++i) expected += std::to_string(i) + "\n";
  EXPECT_EQ(ReadWhole(Restore(r->snapshot) + "/numbers.txt"), expected);
}

TEST_F(StreamBackupTest, AFailedCommandSavesNoSnapshotAndShowsItsStderr) {
  auto r = BackupCommandOutput(
      *repo_, options_,
      {"sh", "-c", "echo partial; echo 'pg_dump: connection refused' >&2; exit 3"});
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().ToString().find("exited with status 3"), std::string::npos)
      << r.error().ToString();
  EXPECT_NE(r.error().ToString().find("connection refused"), std::string::npos);
  EXPECT_EQ(SnapshotCount(), 0u);

  auto missing = BackupCommandOutput(*repo_, options_, {"no-such-command-failsafe"});
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(SnapshotCount(), 0u);
}

// A writer keeps moving money between two accounts (the sum never changes) while the
// database is backed up: the restored copy must be one consistent state.
TEST_F(StreamBackupTest, SqliteWrittenToDuringTheBackupRestoresConsistent) {
  std::string db = tmp_.path() + "/ledger.db";
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(h,
                         "PRAGMA journal_mode=WAL; CREATE TABLE acct(id INTEGER PRIMARY KEY, "
                         "balance INTEGER, pad BLOB); INSERT INTO acct(balance, pad) "
                         "VALUES (1000, randomblob(2000));",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  for (int i = 0; i < 9; ++i)
    sqlite3_exec(h, "INSERT INTO acct(balance, pad) SELECT balance, randomblob(2000) FROM acct;",
                 nullptr, nullptr, nullptr);  // 512 rows, ~1 MiB
  std::atomic<bool> stop{false};
  std::atomic<int> transfers{0};
  std::thread writer([&] {
    while (!stop) {
      sqlite3_exec(h,
                   "BEGIN IMMEDIATE; UPDATE acct SET balance = balance - 7 WHERE id = "
                   "abs(random()) % 512 + 1; UPDATE acct SET balance = balance + 7 WHERE id = 1; "
                   "COMMIT;",
                   nullptr, nullptr, nullptr);
      ++transfers;
    }
  });
  while (transfers < 20) std::this_thread::yield();
  auto r = BackupSqlite(*repo_, options_, db);
  stop = true;
  writer.join();
  sqlite3_close(h);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->snapshot.source.kind, SourceKind::kSqlite);
  EXPECT_EQ(r->snapshot.paths, std::vector<std::string>{db});

  std::string restored = Restore(r->snapshot) + "/ledger.db";
  sqlite3* back = nullptr;
  ASSERT_EQ(sqlite3_open_v2(restored.c_str(), &back, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  auto scalar = [&](const char* sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(back, sql, -1, &st, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_step(st), SQLITE_ROW);
    std::string v = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return v;
  };
  EXPECT_EQ(scalar("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(scalar("SELECT count(*) FROM acct"), "512");
  EXPECT_EQ(scalar("SELECT sum(balance) FROM acct"), "512000");
  sqlite3_close(back);
  // The scratch copy is gone.
  for (const auto& e : fs::directory_iterator(tmp_.path()))
    EXPECT_EQ(e.path().filename().string().find("failsafe-backup-"), std::string::npos);
}

TEST_F(StreamBackupTest, ANonSqliteFileSavesNoSnapshot) {
  WriteFile(tmp_.path() + "/notes.db", "this is not a database, just text long enough to read");
  auto r = BackupSqlite(*repo_, options_, tmp_.path() + "/notes.db");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().ToString().find("notes.db"), std::string::npos) << r.error().ToString();
  EXPECT_EQ(SnapshotCount(), 0u);
}

TEST_F(StreamBackupTest, FailsafeStoreKeepsTheDatabaseAndTheKeyFiles) {
  std::string data_dir = tmp_.path() + "/var";
  fs::create_directories(data_dir);
  WriteFile(data_dir + "/secret.key", std::string(32, 's'));
  WriteFile(data_dir + "/audit.key", std::string(32, 'a'));
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open((data_dir + "/failsafe.db").c_str(), &h), SQLITE_OK);
  sqlite3_exec(h, "CREATE TABLE users(name TEXT); INSERT INTO users VALUES ('admin');", nullptr,
               nullptr, nullptr);
  sqlite3_close(h);

  auto r = BackupFailsafeStore(*repo_, options_, data_dir, "sqlite:" + data_dir + "/failsafe.db");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->snapshot.source.kind, SourceKind::kFailsafeStore);
  EXPECT_EQ(r->snapshot.paths, std::vector<std::string>{data_dir});
  std::string out = Restore(r->snapshot);
  EXPECT_EQ(ReadWhole(out + "/secret.key"), std::string(32, 's'));
  EXPECT_EQ(ReadWhole(out + "/audit.key"), std::string(32, 'a'));
  EXPECT_EQ(fs::status(out + "/secret.key").permissions() & fs::perms::others_read,
            fs::perms::none);
  ASSERT_EQ(sqlite3_open((out + "/failsafe.db").c_str(), &h), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(h, "SELECT name FROM users", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "admin");
  sqlite3_finalize(st);
  sqlite3_close(h);

  fs::remove(data_dir + "/audit.key");
  auto no_keys =
      BackupFailsafeStore(*repo_, options_, data_dir, "sqlite:" + data_dir + "/failsafe.db");
  ASSERT_FALSE(no_keys.has_value());
  EXPECT_NE(no_keys.error().ToString().find("audit.key"), std::string::npos);
}

TEST(PostgresUrl, PasswordIsSplitOffAndNeverKept) {
  auto t = ParsePostgresUrl("postgresql://erp:s%40cret@db.internal:5433/erp_prod?sslmode=require");
  ASSERT_TRUE(t.has_value()) << t.error().ToString();
  EXPECT_EQ(t->password, "s@cret");
  EXPECT_EQ(t->database, "erp_prod");
  EXPECT_EQ(t->host, "db.internal:5433");
  EXPECT_EQ(t->url_without_password, "postgresql://erp@db.internal:5433/erp_prod?sslmode=require");

  auto plain = ParsePostgresUrl("postgres://127.0.0.1/erp");
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->password, "");
  EXPECT_EQ(plain->url_without_password, "postgres://127.0.0.1/erp");

  for (const char* bad : {"mysql://x/db", "postgresql://host", "postgresql://host/",
                          "postgresql://u:p%zz@h/db", "postgresql://h/db?password=x"}) {
    auto r = ParsePostgresUrl(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().ToString().find("p%zz"), std::string::npos);  // never echoed
  }
}

}  // namespace
}  // namespace failsafe::backup

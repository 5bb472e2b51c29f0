// `failsafe backup run` with stream sources, `backup copy` and `backup report-321`, as users
// run them: the real binary, a real PostgreSQL (pg_dump, then pg_restore into a fresh
// database), a real failsafe server's data directory, a second local repository and s3rver.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "store/testing/pg_test_server.h"
#include "tests/backup/shared_peers.h"
#include "tests/support/process.h"

namespace failsafe::backup::testing {
namespace {

namespace fs = std::filesystem;
using failsafe::testing::CommandResult;
using failsafe::testing::FailsafeBinary;
using failsafe::testing::RunCommand;
using failsafe::testing::TempDir;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void WriteAll(const std::string& path, const std::string& data) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << data;
}

std::string Random(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

class StreamCopyCli : public ::testing::Test {
 protected:
  void SetUp() override {
    env_["FAILSAFE_BACKUP_PASSWORD"] = "source password";
    env_["FAILSAFE_BACKUP_TO_PASSWORD"] = "destination password";
    repo_ = tmp_.path() + "/repo";
    ASSERT_EQ(Run({"init", "--repo", repo_}).exit_code, 0);
  }

  CommandResult Run(std::vector<std::string> args, const std::string& stdin_text = "",
                    int timeout_ms = 120'000) {
    args.insert(args.begin(), "backup");
    return RunCommand(FailsafeBinary(), args, env_, stdin_text, timeout_ms);
  }

  boost::json::value Json(const CommandResult& r) {
    EXPECT_EQ(r.exit_code, 0) << r.err;
    try {
      return boost::json::parse(r.out);
    } catch (const std::exception&) {
      ADD_FAILURE() << "not JSON: " << r.out << r.err;
      return {};
    }
  }

  size_t SnapshotCount(const std::string& repo) {
    return Json(Run({"snapshots", "--json", "--repo", repo})).as_array().size();
  }

  // Restores `snapshot` of `repo` (opened with the source password) into a new directory.
  std::string Restore(const std::string& repo, const std::string& snapshot = "latest") {
    std::string target = tmp_.path() + "/restore" + std::to_string(++restores_);
    auto r = Run({"restore", snapshot, "--repo", repo, "--target", target, "--verify"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return target;
  }

  TempDir tmp_;
  std::map<std::string, std::string> env_;
  std::string repo_;
  int restores_ = 0;
};

TEST_F(StreamCopyCli, StdinAndCommandOutputAreSnapshotsAndAFailedCommandSavesNothing) {
  std::string data = Random(2 << 20, 1);
  auto saved = Json(
      Run({"run", "--repo", repo_, "--stdin", "--stdin-filename", "erp.dump", "--json"}, data));
  EXPECT_EQ(saved.at("source").as_string(), "stdin");
  EXPECT_EQ(ReadAll(Restore(repo_) + "/erp.dump"), data);

  auto seq = Run(
      {"run", "--repo", repo_, "--command", "--stdin-filename", "n.txt", "--", "seq", "1", "5000"});
  ASSERT_EQ(seq.exit_code, 0) << seq.err;
  std::string expected;
  for (int i = 1; i <= 5000; ++i) expected += std::to_string(i) + "\n";
  EXPECT_EQ(ReadAll(Restore(repo_) + "/n.txt"), expected);
  auto list = Json(Run({"snapshots", "--json", "--repo", repo_})).as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[1].at("source").at("command").as_string(), "seq 1 5000");

  auto failed = Run({"run", "--repo", repo_, "--command", "--", "sh", "-c",
                     "head -c 100000 /dev/zero; echo 'dump: disk quota exceeded' >&2; exit 4"});
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_NE(failed.err.find("exited with status 4"), std::string::npos) << failed.err;
  EXPECT_NE(failed.err.find("disk quota exceeded"), std::string::npos) << failed.err;
  EXPECT_EQ(SnapshotCount(repo_), 2u);
  EXPECT_NE(Run({"run", "--repo", repo_, "--stdin", "--sqlite", "x.db"}).exit_code, 0)
      << "two sources at once must refuse";
}

// A writer in this process keeps moving amounts between rows (the sum never changes) while
// the binary backs the database up: the restored database is one consistent state.
TEST_F(StreamCopyCli, SqliteWrittenToDuringTheBackupRestoresConsistent) {
  std::string path = tmp_.path() + "/ledger.db";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "PRAGMA journal_mode=WAL; CREATE TABLE acct(id INTEGER PRIMARY KEY, "
                         "balance INTEGER, pad BLOB); INSERT INTO acct(balance, pad) "
                         "VALUES (100, randomblob(4000));",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  for (int i = 0; i < 11; ++i)  // 2048 rows, ~8 MiB
    sqlite3_exec(db, "INSERT INTO acct(balance, pad) SELECT balance, randomblob(4000) FROM acct;",
                 nullptr, nullptr, nullptr);
  std::atomic<bool> stop{false};
  std::atomic<int> writes{0};
  std::thread writer([&] {
    while (!stop) {
      sqlite3_exec(db,
                   "BEGIN IMMEDIATE; UPDATE acct SET balance = balance - 3 WHERE id = "
                   "abs(random()) % 2048 + 1; UPDATE acct SET balance = balance + 3, pad = "
                   "randomblob(4000) WHERE id = abs(random()) % 2048 + 1; COMMIT;",
                   nullptr, nullptr, nullptr);
      ++writes;
    }
  });
  while (writes < 10) std::this_thread::yield();
  int before = writes;
  auto saved = Run({"run", "--repo", repo_, "--sqlite", path, "--json"});
  int during = writes - before;
  stop = true;
  writer.join();
  sqlite3_close(db);
  ASSERT_EQ(saved.exit_code, 0) << saved.err;
  EXPECT_GT(during, 0) << "the writer should have written during the backup";

  std::string restored = Restore(repo_) + "/ledger.db";
  ASSERT_EQ(sqlite3_open_v2(restored.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  auto scalar = [&](const char* sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_step(st), SQLITE_ROW);
    std::string v = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return v;
  };
  EXPECT_EQ(scalar("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(scalar("SELECT count(*) FROM acct"), "2048");
  EXPECT_EQ(scalar("SELECT sum(balance) FROM acct"), "204800");
  sqlite3_close(db);
}

TEST_F(StreamCopyCli, PostgresIsDumpedAndRestoresIntoAFreshDatabase) {
  auto server = store::testing::PgTestServer::Shared();
  ASSERT_TRUE(server.has_value()) << server.error().ToString();
  auto url = (*server)->CreateUniqueDatabase("erp");
  ASSERT_TRUE(url.has_value()) << url.error().ToString();
  auto psql = [&](const std::string& db_url, const std::string& sql) {
    return RunCommand("/usr/bin/psql",
                      {"-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", db_url, "-c", sql});
  };
  auto made = psql(*url,
                   "CREATE TABLE orders(id serial PRIMARY KEY, customer text, amount numeric);"
                   "INSERT INTO orders(customer, amount) SELECT '客户 ' || g, g * 1.5 "
                   "FROM generate_series(1, 20000) g;");
  ASSERT_EQ(made.exit_code, 0) << made.err;

  auto saved = Json(Run({"run", "--repo", repo_, "--postgres", *url, "--json"}));
  EXPECT_EQ(saved.at("source").as_string(), "postgres");
  std::string dump = Restore(repo_) + "/" + std::string(saved.at("filename").as_string());
  ASSERT_TRUE(fs::exists(dump)) << dump;

  auto fresh = (*server)->CreateUniqueDatabase("restored");
  ASSERT_TRUE(fresh.has_value());
  auto restored = RunCommand("/usr/bin/pg_restore", {"--no-owner", "-d", *fresh, dump});
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  const std::string summary = "SELECT count(*), sum(amount), max(customer) FROM orders";
  auto before = psql(*url, summary);
  auto after = psql(*fresh, summary);
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(after.out, before.out);
  EXPECT_NE(after.out.find("20000|"), std::string::npos) << after.out;

  // A database that does not exist: pg_dump fails, no snapshot.
  size_t count = SnapshotCount(repo_);
  std::string missing = (*server)->UrlFor("no_such_db");
  auto failed = Run({"run", "--repo", repo_, "--postgres", missing});
  EXPECT_NE(failed.exit_code, 0);
  EXPECT_NE(failed.err.find("no_such_db"), std::string::npos) << failed.err;
  EXPECT_EQ(SnapshotCount(repo_), count);
}

TEST_F(StreamCopyCli, FailsafeStoreOfARunningServerRestoresAndStartsAgain) {
  std::string data_dir = tmp_.path() + "/var";
  failsafe::testing::ServerProcess server(failsafe::testing::OptionsFor(data_dir));
  ASSERT_TRUE(server.Start()) << server.log();
  // Backed up while the server runs: the database is copied online.
  auto saved = Json(Run({"run", "--repo", repo_, "--failsafe-store", data_dir, "--json"}));
  EXPECT_EQ(saved.at("source").as_string(), "failsafe-store");
  EXPECT_EQ(server.Terminate(), 0);

  std::string restored = Restore(repo_);
  for (const char* key : {"secret.key", "audit.key"})
    EXPECT_EQ(ReadAll(restored + "/" + key), ReadAll(data_dir + "/" + key)) << key;
  sqlite3* db = nullptr;
  ASSERT_EQ(
      sqlite3_open_v2((restored + "/failsafe.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
      SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "ok");
  sqlite3_finalize(st);
  sqlite3_close(db);

  // The restored directory is a working data directory.
  failsafe::testing::ServerProcess again(failsafe::testing::OptionsFor(restored));
  EXPECT_TRUE(again.Start()) << again.log();
  EXPECT_EQ(again.Terminate(), 0);
  EXPECT_EQ(saved.at("bytes").as_int64() > 0, true);
}

// A store on PostgreSQL (the config's db, here FAILSAFE_DB): dumped with pg_dump beside the
// key files, and the dump restores into a fresh database.
TEST_F(StreamCopyCli, FailsafeStoreOnPostgresIsDumped) {
  auto pg = store::testing::PgTestServer::Shared();
  ASSERT_TRUE(pg.has_value()) << pg.error().ToString();
  auto url = (*pg)->CreateUniqueDatabase("store");
  ASSERT_TRUE(url.has_value());
  std::string data_dir = tmp_.path() + "/var-pg";
  auto options = failsafe::testing::OptionsFor(data_dir);
  options.db_url = *url;
  failsafe::testing::ServerProcess server(options);
  ASSERT_TRUE(server.Start()) << server.log();
  EXPECT_EQ(server.Terminate(), 0);

  env_["FAILSAFE_DB"] = *url;
  auto saved = Json(Run({"run", "--repo", repo_, "--failsafe-store", data_dir, "--json"}));
  EXPECT_EQ(saved.at("filename").as_string(), "failsafe.pgdump");
  std::string restored = Restore(repo_);
  EXPECT_EQ(ReadAll(restored + "/secret.key"), ReadAll(data_dir + "/secret.key"));
  auto fresh = (*pg)->CreateUniqueDatabase("store_restored");
  ASSERT_TRUE(fresh.has_value());
  auto r = RunCommand("/usr/bin/pg_restore",
                      {"--no-owner", "-d", *fresh, restored + "/failsafe.pgdump"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto tables = RunCommand("/usr/bin/psql", {"-X", "-A", "-t", "-d", *fresh, "-c",
                                             "SELECT count(*) > 0 FROM information_schema.tables "
                                             "WHERE table_schema = 'public'"});
  EXPECT_EQ(tables.out, "t\n") << tables.err;
}

// Copy to a second local repository and to s3rver; restore from each byte for byte; a
// second copy copies nothing; a copy killed with SIGKILL leaves the destination passing check.
TEST_F(StreamCopyCli, CopyToLocalAndS3RestoresAndIsIncremental) {
  std::string src_dir = tmp_.path() + "/src";
  WriteAll(src_dir + "/erp/ledger.bin", Random(3 << 20, 2));
  WriteAll(src_dir + "/erp/notes.txt", "应急预案 v1\n");
  ASSERT_EQ(Run({"run", "--repo", repo_, src_dir}).exit_code, 0);
  WriteAll(src_dir + "/erp/notes.txt", "应急预案 v2\n");
  ASSERT_EQ(Run({"run", "--repo", repo_, src_dir}).exit_code, 0);

  std::string local = tmp_.path() + "/copy";
  {
    auto saved_env = env_;
    env_["FAILSAFE_BACKUP_PASSWORD"] = env_["FAILSAFE_BACKUP_TO_PASSWORD"];
    ASSERT_EQ(Run({"init", "--repo", local}).exit_code, 0);
    env_ = saved_env;
  }
  auto copied = Json(Run({"copy", "--repo", repo_, "--to", local, "--json"}));
  EXPECT_EQ(copied.at("copied").as_array().size(), 2u);
  EXPECT_FALSE(copied.at("same_keys").as_bool());
  auto again = Json(Run({"copy", "--repo", repo_, "--to", local, "--json"}));
  EXPECT_EQ(again.at("copied").as_array().size(), 0u);
  EXPECT_EQ(again.at("already_there").as_int64(), 2);

  {
    auto saved_env = env_;
    env_["FAILSAFE_BACKUP_PASSWORD"] = env_["FAILSAFE_BACKUP_TO_PASSWORD"];
    std::string out = Restore(local);
    EXPECT_EQ(ReadAll(out + src_dir + "/erp/ledger.bin"), ReadAll(src_dir + "/erp/ledger.bin"));
    EXPECT_EQ(ReadAll(out + src_dir + "/erp/notes.txt"), "应急预案 v2\n");
    auto check = Json(Run({"check", "--read-data", "--json", "--repo", local}));
    EXPECT_TRUE(check.at("ok").as_bool()) << check;
    env_ = saved_env;
  }

  // To s3rver, in a repository made with --from-repo: ids kept, only re-encrypted.
  S3rverPeer& s3 = SharedS3rver();
  ASSERT_TRUE(s3.ok()) << "s3rver did not start (make test-peers installs it): " << s3.error();
  env_["AWS_ACCESS_KEY_ID"] = "S3RVER";
  env_["AWS_SECRET_ACCESS_KEY"] = "S3RVER";
  std::string bucket = s3.Url("copy-bucket/erp");
  ASSERT_EQ(Run({"init", "--repo", bucket, "--from-repo", repo_}).exit_code, 0);
  // Made with the source's password; the environment would win over --to-password-file.
  env_.erase("FAILSAFE_BACKUP_TO_PASSWORD");
  auto to_s3 = Json(Run({"copy", "--repo", repo_, "--to", bucket, "--to-password-file",
                         [&] {
                           std::string f = tmp_.path() + "/s3.pw";
                           WriteAll(f, env_["FAILSAFE_BACKUP_PASSWORD"] + "\n");
                           return f;
                         }(),
                         "--json"}));
  EXPECT_TRUE(to_s3.at("same_keys").as_bool());
  EXPECT_EQ(to_s3.at("copied").as_array().size(), 2u);
  std::string from_s3 = Restore(bucket);
  EXPECT_EQ(ReadAll(from_s3 + src_dir + "/erp/ledger.bin"), ReadAll(src_dir + "/erp/ledger.bin"));

  // 3-2-1 over the three: local disk twice and object storage offsite.
  auto report =
      Run({"report-321", "--repo", repo_, "--repo", bucket, "--offsite", bucket, "--json"});
  EXPECT_EQ(report.exit_code, 0) << report.out << report.err;
  auto r = boost::json::parse(report.out);
  ASSERT_EQ(r.at("sources").as_array().size(), 1u);
  const auto& source = r.at("sources").as_array()[0];
  EXPECT_EQ(source.at("copies").as_int64(), 3);
  EXPECT_EQ(source.at("media_kinds").as_int64(), 2);
  EXPECT_EQ(source.at("offsite").as_int64(), 1);
  auto alone = Run({"report-321", "--repo", repo_, "--json"});
  EXPECT_EQ(alone.exit_code, 3);
  EXPECT_NE(alone.out.find("1 more offsite copy needed"), std::string::npos) << alone.out;
}

TEST_F(StreamCopyCli, ACopyKilledWithSigkillLeavesTheDestinationPassingCheck) {
  std::string src_dir = tmp_.path() + "/src";
  for (int i = 0; i < 4; ++i) WriteAll(src_dir + "/f" + std::to_string(i), Random(6 << 20, 10 + i));
  ASSERT_EQ(Run({"run", "--repo", repo_, src_dir}).exit_code, 0);
  WriteAll(src_dir + "/g", Random(6 << 20, 99));
  ASSERT_EQ(Run({"run", "--repo", repo_, src_dir}).exit_code, 0);
  std::string dst = tmp_.path() + "/dst";
  auto saved_env = env_;
  env_["FAILSAFE_BACKUP_PASSWORD"] = env_["FAILSAFE_BACKUP_TO_PASSWORD"];
  ASSERT_EQ(Run({"init", "--repo", dst}).exit_code, 0);
  env_ = saved_env;

  std::mt19937 rng(6);
  int killed = 0;
  for (int round = 0; round < 5; ++round) {
    int after_ms = 30 + static_cast<int>(rng() % 400);
    auto r = Run({"copy", "--repo", repo_, "--to", dst}, "", after_ms);
    if (r.exit_code == -1) ++killed;
    env_["FAILSAFE_BACKUP_PASSWORD"] = env_["FAILSAFE_BACKUP_TO_PASSWORD"];
    auto check = Run({"check", "--read-data", "--repo", dst});
    env_ = saved_env;
    ASSERT_EQ(check.exit_code, 0) << "round " << round << " killed after " << after_ms
                                  << " ms: " << check.out << check.err;
  }
  EXPECT_GE(killed, 1);
  // Finished without interruption: both snapshots, restorable.
  auto done = Run({"copy", "--repo", repo_, "--to", dst});
  ASSERT_EQ(done.exit_code, 0) << done.err;
  env_["FAILSAFE_BACKUP_PASSWORD"] = env_["FAILSAFE_BACKUP_TO_PASSWORD"];
  EXPECT_EQ(SnapshotCount(dst), 2u);
  std::string out = Restore(dst);
  EXPECT_EQ(ReadAll(out + src_dir + "/g"), ReadAll(src_dir + "/g"));
}

}  // namespace
}  // namespace failsafe::backup::testing

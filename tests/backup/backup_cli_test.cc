// `failsafe backup` as users run it: the real binary against a local directory, a real sshd
// (SFTP) and a real s3rver (S3), the same script on each: init, run, snapshots, restore byte
// for byte, a no-change run, diff, ls, check --read-data, forget, keys. Then the crash test:
// backups killed with SIGKILL at random moments leave a repository that check passes and whose
// earlier snapshot restores byte for byte.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>

#include "tests/backup/shared_peers.h"
#include "tests/support/process.h"

namespace failsafe::backup::testing {
namespace {

namespace fs = std::filesystem;
using failsafe::testing::CommandResult;
using failsafe::testing::FailsafeBinary;
using failsafe::testing::RunCommand;
using failsafe::testing::TempDir;

void WriteFile(const std::string& path, const std::string& data) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << data;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

// Every regular file below `root` with its content, relative path first.
std::map<std::string, std::string> Contents(const std::string& root) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file() && !e.is_symlink())
      out[fs::relative(e.path(), root).string()] = ReadFile(e.path().string());
  return out;
}

enum class Kind { kLocal, kSftp, kS3 };

class BackupCli : public ::testing::TestWithParam<Kind> {
 protected:
  void SetUp() override {
    env_["FAILSAFE_BACKUP_PASSWORD"] = "correct horse battery staple";
    switch (GetParam()) {
      case Kind::kLocal: repo_ = tmp_.path() + "/repo"; break;
      case Kind::kSftp: {
        SshdPeer& sshd = SharedSshd();
        ASSERT_TRUE(sshd.ok()) << "sshd did not start: " << sshd.error();
        static int n = 0;
        repo_ = sshd.Url("cli-repo-" + std::to_string(++n));
        auto o = sshd.Options();
        repo_flags_ = {"--sftp-identity", o.identity_file, "--sftp-known-hosts",
                       o.known_hosts_file};
        break;
      }
      case Kind::kS3: {
        S3rverPeer& s3 = SharedS3rver();
        ASSERT_TRUE(s3.ok()) << "s3rver did not start (make test-peers installs it): "
                             << s3.error();
        static int n = 0;
        repo_ = s3.Url("cli-bucket/repo-" + std::to_string(++n));
        env_["AWS_ACCESS_KEY_ID"] = "S3RVER";
        env_["AWS_SECRET_ACCESS_KEY"] = "S3RVER";
        break;
      }
    }
    src_ = tmp_.path() + "/src";
    WriteFile(src_ + "/erp/orders.csv", std::string(300000, 'x') + "end\n");
    WriteFile(src_ + "/erp/blob.bin", RandomBytes(3 << 20, 7));
    WriteFile(src_ + "/notes/中文.txt", "应急预案\n");
    WriteFile(src_ + "/empty", "");
  }

  CommandResult Backup(std::vector<std::string> args, int timeout_ms = 120'000) {
    std::vector<std::string> full = {"backup"};
    full.insert(full.end(), args.begin(), args.end());
    full.push_back("--repo");
    full.push_back(repo_);
    full.insert(full.end(), repo_flags_.begin(), repo_flags_.end());
    return RunCommand(FailsafeBinary(), full, env_, "", timeout_ms);
  }

  boost::json::value Json(const CommandResult& r) {
    EXPECT_EQ(r.exit_code, 0) << r.err;
    try {
      return boost::json::parse(r.out);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "not JSON: " << r.out;
      return {};
    }
  }

  TempDir tmp_;
  std::string repo_;
  std::string src_;
  std::vector<std::string> repo_flags_;
  std::map<std::string, std::string> env_;
};

TEST_P(BackupCli, TheWholeCycleWorksOnThisDestination) {
  auto init = Backup({"init"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_NE(init.out.find("created repository"), std::string::npos);
  EXPECT_NE(Backup({"init"}).exit_code, 0) << "a second init must refuse";

  auto first = Json(Backup({"run", src_, "--json"}));
  EXPECT_EQ(first.at("files_new").as_int64(), 4);
  auto again = Json(Backup({"run", src_, "--json"}));
  EXPECT_EQ(again.at("files_unmodified").as_int64(), 4);
  EXPECT_EQ(again.at("bytes_read").as_int64(), 0);

  auto list = Json(Backup({"snapshots", "--json"}));
  ASSERT_EQ(list.as_array().size(), 2u);
  std::string first_id = std::string(list.as_array()[0].at("id").as_string());

  std::string target = tmp_.path() + "/restored";
  auto restored = Backup({"restore", "latest", "--target", target, "--verify"});
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_EQ(Contents(target + src_), Contents(src_));

  WriteFile(src_ + "/erp/orders.csv", "changed\n");
  ASSERT_EQ(Backup({"run", src_}).exit_code, 0);
  auto diff = Backup({"diff", first_id.substr(0, 8), "latest"});
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  EXPECT_NE(diff.out.find("M    " + src_ + "/erp/orders.csv"), std::string::npos) << diff.out;

  auto ls = Backup({"ls", "latest", src_ + "/notes"});
  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  EXPECT_NE(ls.out.find("中文.txt"), std::string::npos) << ls.out;

  auto check = Json(Backup({"check", "--read-data", "--json"}));
  EXPECT_TRUE(check.at("ok").as_bool()) << check;

  // The forms: --exclude on run, --include on restore, forget with --prune.
  auto excluded = Json(Backup({"run", "--exclude", "*.bin", "--json", src_}));
  EXPECT_EQ(excluded.at("total_files").as_int64(), 3);
  auto listing = Backup({"ls", "latest", src_});
  ASSERT_EQ(listing.exit_code, 0) << listing.err;
  EXPECT_EQ(listing.out.find("blob.bin"), std::string::npos) << listing.out;
  std::string only_notes = tmp_.path() + "/only-notes";
  ASSERT_EQ(
      Backup({"restore", "latest", "--target", only_notes, "--include", src_ + "/notes"}).exit_code,
      0);
  EXPECT_EQ(Contents(only_notes + src_),
            (std::map<std::string, std::string>{{"notes/中文.txt", "应急预案\n"}}));

  auto forget = Backup({"forget", "--keep-daily", "1", "--keep-weekly", "1", "--prune"});
  ASSERT_EQ(forget.exit_code, 0) << forget.err;
  EXPECT_NE(forget.out.find("freed"), std::string::npos) << forget.out;
  EXPECT_EQ(Json(Backup({"snapshots", "--json"})).as_array().size(), 1u);
  auto after_prune = Json(Backup({"check", "--read-data", "--json"}));
  EXPECT_TRUE(after_prune.at("ok").as_bool()) << after_prune;
  EXPECT_TRUE(after_prune.at("warnings").as_array().empty()) << after_prune;
  EXPECT_NE(Backup({"forget"}).exit_code, 0) << "forget without a keep rule must refuse";
  EXPECT_NE(Backup({"forget", "--keep-within", "7dx"}).exit_code, 0);

  // A key file for unattended servers opens the repository without the password; opened with
  // it, the password key can be removed, and then the password no longer opens anything.
  std::string key_file = tmp_.path() + "/server.key";
  auto added = Backup({"key", "add", "--new-key-file", key_file});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  struct stat st {};
  ASSERT_EQ(::stat(key_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::string password_file = tmp_.path() + "/password";
  WriteFile(password_file, env_["FAILSAFE_BACKUP_PASSWORD"] + "\n");
  auto saved_env = env_;
  env_.erase("FAILSAFE_BACKUP_PASSWORD");
  EXPECT_EQ(Backup({"snapshots", "--password-file", password_file}).exit_code, 0);
  auto keys = Json(Backup({"key", "list", "--json", "--key-file", key_file}));
  ASSERT_EQ(keys.as_array().size(), 2u);
  std::string password_key;
  for (const auto& k : keys.as_array())
    if (!k.at("current").as_bool()) password_key = std::string(k.at("id").as_string());
  auto removed = Backup({"key", "remove", password_key.substr(0, 8), "--key-file", key_file});
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_NE(Backup({"snapshots", "--password-file", password_file}).exit_code, 0);
  EXPECT_EQ(Backup({"snapshots", "--key-file", key_file}).exit_code, 0);
  env_ = saved_env;

  env_["FAILSAFE_BACKUP_PASSWORD"] = "wrong password";
  auto wrong = Backup({"snapshots"});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.err.find("key"), std::string::npos) << wrong.err;
}

INSTANTIATE_TEST_SUITE_P(Destinations, BackupCli,
                         ::testing::Values(Kind::kLocal, Kind::kSftp, Kind::kS3),
                         [](const auto& param_info) {
                           switch (param_info.param) {
                             case Kind::kLocal: return "Local";
                             case Kind::kSftp: return "Sftp";
                             case Kind::kS3: return "S3";
                           }
                           return "Unknown";
                         });

// A damaged repository: flipped bits, a truncated pack, a missing pack, a foreign file. Each
// gives a clear error naming what is damaged (and, with --read-data, the files it affects),
// exit 1, never a crash or a hang.
TEST(BackupDamage, CheckNamesWhatIsDamaged) {
  TempDir tmp;
  std::map<std::string, std::string> env = {{"FAILSAFE_BACKUP_PASSWORD", "pw"}};
  std::string repo = tmp.path() + "/repo";
  std::string src = tmp.path() + "/src";
  WriteFile(src + "/ledger.db", RandomBytes(2 << 20, 1));
  WriteFile(src + "/notes.txt", "keep me\n");
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), "backup");
    args.push_back("--repo");
    args.push_back(repo);
    return RunCommand(FailsafeBinary(), args, env, "", 120'000);
  };
  ASSERT_EQ(run({"init"}).exit_code, 0);
  ASSERT_EQ(run({"run", src}).exit_code, 0);

  // The data pack holding ledger.db: the largest file under data/.
  std::string biggest;
  uintmax_t size = 0;
  for (const auto& e : fs::recursive_directory_iterator(repo + "/data"))
    if (e.is_regular_file() && e.file_size() > size) {
      size = e.file_size();
      biggest = e.path().string();
    }
  ASSERT_FALSE(biggest.empty());
  std::string pack_name = fs::path(biggest).filename().string();
  std::string original = ReadFile(biggest);

  auto flip = original;
  flip[1000] = static_cast<char>(flip[1000] ^ 0x10);
  fs::permissions(biggest, fs::perms::owner_write, fs::perm_options::add);
  WriteFile(biggest, flip);
  auto structure = run({"check"});
  EXPECT_EQ(structure.exit_code, 0) << "a flipped bit inside a blob is only seen by reading data";
  auto flipped = run({"check", "--read-data"});
  EXPECT_EQ(flipped.exit_code, 1);
  EXPECT_NE(flipped.out.find(pack_name), std::string::npos) << flipped.out;
  EXPECT_NE(flipped.out.find(src + "/ledger.db"), std::string::npos) << flipped.out;
  auto restore = run({"restore", "latest", "--target", tmp.path() + "/out"});
  EXPECT_EQ(restore.exit_code, 1);
  EXPECT_NE(restore.err.find("ledger.db"), std::string::npos) << restore.err;
  EXPECT_EQ(ReadFile(tmp.path() + "/out" + src + "/notes.txt"), "keep me\n")
      << "undamaged files are still restored";

  WriteFile(biggest, original.substr(0, original.size() / 2));
  auto truncated = run({"check"});
  EXPECT_EQ(truncated.exit_code, 1);
  EXPECT_NE(truncated.out.find(pack_name), std::string::npos) << truncated.out;
  EXPECT_NE(truncated.out.find("truncated"), std::string::npos) << truncated.out;

  fs::remove(biggest);
  auto missing = run({"check"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.out.find(pack_name + " is missing"), std::string::npos) << missing.out;
  WriteFile(biggest, original);

  // A foreign file in place of the pack, and a directory that is not a repository at all.
  WriteFile(biggest, "GIF89a this is somebody's picture, not a pack" + std::string(4000, 'x'));
  auto foreign = run({"check", "--read-data"});
  EXPECT_EQ(foreign.exit_code, 1);
  EXPECT_NE(foreign.out.find(pack_name), std::string::npos) << foreign.out;
  WriteFile(biggest, original);
  auto not_repo = RunCommand(FailsafeBinary(), {"backup", "snapshots", "--repo", src}, env);
  EXPECT_EQ(not_repo.exit_code, 1);
  EXPECT_NE(not_repo.err.find("is not a failsafe repository"), std::string::npos) << not_repo.err;
  EXPECT_EQ(run({"check", "--read-data"}).exit_code, 0) << "the original pack is whole again";

  std::string config = ReadFile(repo + "/config");
  config[config.size() / 2] = static_cast<char>(config[config.size() / 2] ^ 1);
  fs::permissions(repo + "/config", fs::perms::owner_write, fs::perm_options::add);
  WriteFile(repo + "/config", config);
  auto bad_config = run({"snapshots"});
  EXPECT_EQ(bad_config.exit_code, 1);
  EXPECT_NE(bad_config.err.find("config"), std::string::npos) << bad_config.err;
}

// SIGKILL at random moments of a backup, many times: every time the repository must pass
// check, and the first snapshot must restore byte for byte.
TEST(BackupCrash, KilledBackupsLeaveARepositoryThatChecksAndRestores) {
  TempDir tmp;
  std::map<std::string, std::string> env = {{"FAILSAFE_BACKUP_PASSWORD", "pw"}};
  std::string repo = tmp.path() + "/repo";
  std::string src = tmp.path() + "/src";
  for (int i = 0; i < 6; ++i) WriteFile(src + "/f" + std::to_string(i), RandomBytes(6 << 20, i));
  auto run = [&](std::vector<std::string> args, int timeout_ms = 120'000) {
    args.insert(args.begin(), "backup");
    args.push_back("--repo");
    args.push_back(repo);
    return RunCommand(FailsafeBinary(), args, env, "", timeout_ms);
  };
  ASSERT_EQ(run({"init"}).exit_code, 0);
  ASSERT_EQ(run({"run", src}).exit_code, 0);
  auto baseline = Contents(src);

  // How long a whole --full run takes on this machine and build: the kills below fall inside
  // it, so the test does not depend on how fast the engine (or a sanitizer build) is.
  auto timed_start = std::chrono::steady_clock::now();
  ASSERT_EQ(run({"run", "--full", src}).exit_code, 0);
  int full_ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::steady_clock::now() - timed_start)
                                     .count());

  std::mt19937 rng(2026);
  int killed = 0;
  for (int round = 0; round < 12; ++round) {
    // New data each round, so the killed backup has something to write.
    WriteFile(src + "/new" + std::to_string(round), RandomBytes(8 << 20, 100 + round));
    int after_ms =
        5 + static_cast<int>(rng() % static_cast<unsigned>(std::max(10, full_ms * 8 / 10)));
    auto r = run({"run", "--full", src}, after_ms);
    if (r.exit_code == -1) ++killed;
    auto check = run({"check", "--read-data"});
    ASSERT_EQ(check.exit_code, 0) << "round " << round << " (killed after " << after_ms
                                  << " ms): " << check.out << check.err;
  }
  EXPECT_GE(killed, 6) << "most rounds should have been killed mid-way";
  auto unlock = run({"unlock"});
  EXPECT_EQ(unlock.exit_code, 0) << unlock.err;

  auto snapshots = boost::json::parse(run({"snapshots", "--json"}).out).as_array();
  ASSERT_FALSE(snapshots.empty());
  std::string first = std::string(snapshots[0].at("id").as_string());
  std::string target = tmp.path() + "/restored";
  auto restored = run({"restore", first, "--target", target});
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_EQ(Contents(target + src), baseline);
}

}  // namespace
}  // namespace failsafe::backup::testing

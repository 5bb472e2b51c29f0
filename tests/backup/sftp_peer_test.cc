// SftpBackend against a real sshd: host key checking, login failures and a dropped session.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "backup/backend/open_backend.h"
#include "backup/backend/retry_backend.h"
#include "tests/backup/shared_peers.h"

namespace failsafe::backup {
namespace {

using testing::SharedSshd;

class SftpPeerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(SharedSshd().ok()) << SharedSshd().error(); }

  Status CreateWith(const SftpOptions& sftp, const std::string& repo) {
    BackendOptions o;
    o.sftp = sftp;
    o.retry.max_attempts = 1;
    auto b = OpenBackend(SharedSshd().Url(repo), o);
    if (!b) return b.error();
    return (*b)->Create();
  }
  std::string HostPort() const { return "127.0.0.1:" + std::to_string(SharedSshd().port()); }
  ::failsafe::testing::TempDir scratch_;
};

TEST_F(SftpPeerTest, UnknownHostKeyIsRefusedNamingHostAndFingerprint) {
  SftpOptions o = SharedSshd().Options();
  o.known_hosts_file = scratch_.path() + "/empty_known_hosts";
  std::ofstream(o.known_hosts_file) << "";
  Status s = CreateWith(o, "unknown-key");
  EXPECT_EQ(s.code(), ErrorCode::kPermissionDenied) << s.ToString();
  EXPECT_NE(s.message().find(HostPort()), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(SharedSshd().HostFingerprint()), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("not in " + o.known_hosts_file), std::string::npos) << s.message();

  // Accepting exactly that fingerprint lets the same call through.
  o.accept_fingerprint = SharedSshd().HostFingerprint();
  Status accepted = CreateWith(o, "unknown-key");
  EXPECT_TRUE(accepted.ok()) << accepted.ToString();
  // So does switching strict checking off.
  o.accept_fingerprint.clear();
  o.strict_host_key_checking = false;
  EXPECT_TRUE(CreateWith(o, "unknown-key-lax").ok());
}

TEST_F(SftpPeerTest, ChangedHostKeyIsRefusedEvenWithoutStrictChecking) {
  // known_hosts lists another ed25519 key for this host:port.
  auto keygen = ::failsafe::testing::RunCommand(
      "/usr/bin/ssh-keygen", {"-q", "-t", "ed25519", "-N", "", "-f", scratch_.path() + "/other"});
  ASSERT_EQ(keygen.exit_code, 0) << keygen.err;
  std::ifstream pub(scratch_.path() + "/other.pub");
  std::string line;
  std::getline(pub, line);
  SftpOptions o = SharedSshd().Options();
  o.known_hosts_file = scratch_.path() + "/known_hosts";
  std::ofstream(o.known_hosts_file) << "[127.0.0.1]:" << SharedSshd().port() << " " << line << "\n";
  o.strict_host_key_checking = false;
  Status s = CreateWith(o, "changed-key");
  EXPECT_EQ(s.code(), ErrorCode::kPermissionDenied) << s.ToString();
  EXPECT_NE(s.message().find("CHANGED"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(SharedSshd().HostFingerprint()), std::string::npos);
  EXPECT_NE(s.message().find(HostPort()), std::string::npos);
}

TEST_F(SftpPeerTest, KeyTheServerDoesNotKnowIsUnauthenticated) {
  auto keygen = ::failsafe::testing::RunCommand(
      "/usr/bin/ssh-keygen",
      {"-q", "-t", "ed25519", "-N", "", "-f", scratch_.path() + "/stranger"});
  ASSERT_EQ(keygen.exit_code, 0) << keygen.err;
  SftpOptions o = SharedSshd().Options();
  o.identity_file = scratch_.path() + "/stranger";
  Status s = CreateWith(o, "stranger");
  EXPECT_EQ(s.code(), ErrorCode::kUnauthenticated) << s.ToString();
  EXPECT_NE(s.message().find(o.identity_file), std::string::npos);

  o.identity_file = scratch_.path() + "/garbage";
  std::ofstream(o.identity_file) << "not a key\n";
  Status garbage = CreateWith(o, "stranger");
  EXPECT_EQ(garbage.code(), ErrorCode::kUnauthenticated) << garbage.ToString();
  EXPECT_NE(garbage.message().find("is not a private key"), std::string::npos);

  o.identity_file = scratch_.path() + "/no-such-key";
  Status missing = CreateWith(o, "stranger");
  EXPECT_EQ(missing.code(), ErrorCode::kUnauthenticated) << missing.ToString();
  EXPECT_NE(missing.message().find("no-such-key"), std::string::npos);
}

// The session dies under the backend (sshd's session process is killed): the next call fails
// with Unavailable, and through the retry wrapper it reconnects and succeeds.
TEST_F(SftpPeerTest, ReconnectsAfterTheSessionDrops) {
  BackendOptions o;
  o.sftp = SharedSshd().Options();
  o.retry.max_attempts = 1;
  auto opened = OpenBackend(SharedSshd().Url("reconnect"), o);
  ASSERT_TRUE(opened);
  std::unique_ptr<Backend> raw = std::move(*opened);
  Backend* sftp = raw.get();
  ASSERT_TRUE(sftp->Create().ok());
  ASSERT_TRUE(sftp->Save(FileType::kLock, "l1", "one").ok());

  ASSERT_GT(SharedSshd().KillSessions(), 0);
  RetryOptions r;
  r.max_attempts = 3;
  r.initial_backoff = std::chrono::milliseconds(10);
  RetryBackend retrying(std::move(raw), r);
  Status s = retrying.Save(FileType::kLock, "l2", "two");
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(*retrying.Load(FileType::kLock, "l1"), "one");

  // Without the wrapper the dropped session surfaces as Unavailable, then the next call works.
  ASSERT_GT(SharedSshd().KillSessions(), 0);
  auto listed = sftp->List(FileType::kLock);
  ASSERT_FALSE(listed);
  EXPECT_EQ(listed.error().code(), ErrorCode::kUnavailable) << listed.error().ToString();
  auto again = sftp->List(FileType::kLock);
  ASSERT_TRUE(again) << again.error().ToString();
  EXPECT_EQ(again->size(), 2u);
}

// No identity file: the key comes from a real ssh-agent holding the client key. The server
// authorizes only that key, so success proves the agent was used.
TEST_F(SftpPeerTest, LogsInThroughTheSshAgent) {
  const std::string socket = scratch_.path() + "/agent.sock";
  ::failsafe::testing::PeerProcess agent("/usr/bin/ssh-agent", {"-D", "-a", socket},
                                         scratch_.path() + "/agent.log");
  for (int i = 0; i < 200 && ::access(socket.c_str(), F_OK) != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const char* before = std::getenv("SSH_AUTH_SOCK");
  const std::string saved = before ? before : "";
  ::setenv("SSH_AUTH_SOCK", socket.c_str(), 1);
  SftpOptions o = SharedSshd().Options();
  o.identity_file.clear();
  // The agent is still empty: refused.
  Status empty = CreateWith(o, "agent");
  auto added = ::failsafe::testing::RunCommand(
      "/usr/bin/ssh-add", {SharedSshd().Options().identity_file}, {{"SSH_AUTH_SOCK", socket}});
  Status s = CreateWith(o, "agent");
  if (saved.empty()) {
    ::unsetenv("SSH_AUTH_SOCK");
  } else {
    ::setenv("SSH_AUTH_SOCK", saved.c_str(), 1);
  }
  EXPECT_EQ(empty.code(), ErrorCode::kUnauthenticated) << empty.ToString();
  EXPECT_NE(empty.message().find("ssh agent"), std::string::npos) << empty.message();
  ASSERT_EQ(added.exit_code, 0) << added.err << agent.log();
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST_F(SftpPeerTest, FilesArePrivateOnTheServer) {
  BackendOptions o;
  o.sftp = SharedSshd().Options();
  auto b = OpenBackend(SharedSshd().Url("modes"), o);
  ASSERT_TRUE(b);
  ASSERT_TRUE((*b)->Create().ok());
  ASSERT_TRUE((*b)->Save(FileType::kKey, "k1", "wrapped key").ok());
  struct stat st {};
  ASSERT_EQ(::stat((SharedSshd().dir() + "/modes/keys/k1").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((SharedSshd().dir() + "/modes/data/ff").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

}  // namespace
}  // namespace failsafe::backup

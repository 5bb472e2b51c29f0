#include "backup/backend/open_backend.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "backup/backend/scratch_dir.h"

namespace failsafe::backup {
namespace {

TEST(OpenBackendTest, EachSchemeGivesItsKindOfMedia) {
  testing::ScratchDir dir;
  auto local = OpenBackend("file://" + dir.path() + "/repo");
  ASSERT_TRUE(local) << local.error().ToString();
  EXPECT_EQ((*local)->Media(), MediaKind::kLocalDisk);
  EXPECT_EQ((*local)->Location(), dir.path() + "/repo");
  ASSERT_TRUE((*local)->Create().ok());

  auto sftp = OpenBackend("sftp://backup@127.0.0.1:2222/srv/repo");
  ASSERT_TRUE(sftp);
  EXPECT_EQ((*sftp)->Media(), MediaKind::kRemoteServer);
  EXPECT_EQ((*sftp)->Location(), "sftp://backup@127.0.0.1:2222/srv/repo");

  BackendOptions o;
  o.s3.access_key_id = "AKID";
  o.s3.secret_access_key = "not-in-any-message";
  auto s3 = OpenBackend("s3://127.0.0.1:9000/bucket/site", o);
  ASSERT_TRUE(s3);
  EXPECT_EQ((*s3)->Media(), MediaKind::kObjectStorage);
  EXPECT_EQ((*s3)->Location(), "s3://127.0.0.1:9000/bucket/site");
}

TEST(OpenBackendTest, S3WithoutCredentialsSaysWhichVariables) {
  ::unsetenv("AWS_ACCESS_KEY_ID");
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
  auto s3 = OpenBackend("s3://127.0.0.1:9000/bucket");
  ASSERT_FALSE(s3);
  EXPECT_EQ(s3.error().code(), ErrorCode::kUnauthenticated);
  EXPECT_NE(s3.error().message().find("AWS_SECRET_ACCESS_KEY"), std::string::npos);
}

TEST(OpenBackendTest, BadUrlsFailBeforeAnythingIsContacted) {
  auto r = OpenBackend("s3://127.0.0.1:9000/");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message().find("bucket is missing"), std::string::npos);
}

// Nothing listens on the port: the failure is Unavailable, named, and retried a bounded number
// of times before it comes back.
TEST(OpenBackendTest, UnreachableServerIsUnavailableAfterRetries) {
  BackendOptions o;
  o.retry.max_attempts = 2;
  o.retry.initial_backoff = std::chrono::milliseconds(1);
  o.s3.access_key_id = "AKID";
  o.s3.secret_access_key = "secret-that-stays-home";
  auto s3 = OpenBackend("s3://127.0.0.1:1/bucket", o);
  ASSERT_TRUE(s3);
  ::testing::internal::CaptureStderr();
  auto listed = (*s3)->List(FileType::kSnapshot);
  const std::string log = ::testing::internal::GetCapturedStderr();
  // One retry, logged with where and what, never with the secret.
  EXPECT_NE(log.find("\"event\":\"backup_backend_retry\""), std::string::npos) << log;
  EXPECT_NE(log.find("s3://127.0.0.1:1/bucket"), std::string::npos) << log;
  EXPECT_EQ(log.find("secret-that-stays-home"), std::string::npos) << log;
  ASSERT_FALSE(listed);
  EXPECT_EQ(listed.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(listed.error().message().find("s3://127.0.0.1:1/bucket"), std::string::npos);
  EXPECT_EQ(listed.error().message().find("secret-that-stays-home"), std::string::npos);

  auto sftp = OpenBackend("sftp://u@127.0.0.1:1/srv", o);
  ASSERT_TRUE(sftp);
  Status s = (*sftp)->Save(FileType::kLock, "l1", "x");
  EXPECT_EQ(s.code(), ErrorCode::kUnavailable) << s.ToString();
  EXPECT_NE(s.message().find("127.0.0.1:1"), std::string::npos);
}

}  // namespace
}  // namespace failsafe::backup

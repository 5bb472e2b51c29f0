// S3Backend against a real s3rver: errors as the interface names them.
#include <gtest/gtest.h>

#include "backup/backend/open_backend.h"
#include "backup/backend/s3_client.h"
#include "tests/backup/shared_peers.h"

namespace failsafe::backup {
namespace {

using testing::SharedS3rver;

class S3PeerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(SharedS3rver().ok()) << SharedS3rver().error(); }
  std::unique_ptr<Backend> Open(const std::string& where, S3Options s3) {
    BackendOptions o;
    o.s3 = std::move(s3);
    o.retry.max_attempts = 1;
    auto b = OpenBackend(SharedS3rver().Url(where), o);
    EXPECT_TRUE(b) << b.error().ToString();
    return b ? std::move(*b) : nullptr;
  }
};

// s3rver 3.7 checks the access key but does not verify V4 signatures (sigv4_test.cc checks
// ours against AWS's own worked examples); an unknown key gets S3's 403.
TEST_F(S3PeerTest, UnknownAccessKeyIsPermissionDeniedWithTheS3Code) {
  auto good = Open("peer-errors/a", SharedS3rver().Options());
  ASSERT_TRUE(good->Create().ok());
  S3Options bad = SharedS3rver().Options();
  bad.access_key_id = "AKIDNOBODYHAS";
  bad.secret_access_key = "a-secret-value";
  auto b = Open("peer-errors/a", bad);
  auto listed = b->List(FileType::kSnapshot);
  ASSERT_FALSE(listed);
  EXPECT_EQ(listed.error().code(), ErrorCode::kPermissionDenied) << listed.error().ToString();
  EXPECT_NE(listed.error().message().find("InvalidAccessKeyId"), std::string::npos)
      << listed.error().message();
  EXPECT_EQ(listed.error().message().find("a-secret-value"), std::string::npos);
  Status saved = b->Save(FileType::kLock, "l1", "x");
  EXPECT_EQ(saved.code(), ErrorCode::kPermissionDenied) << saved.ToString();
}

TEST_F(S3PeerTest, PrefixesKeepRepositoriesApart) {
  auto a = Open("peer-prefix/site-a", SharedS3rver().Options());
  auto b = Open("peer-prefix/site-b", SharedS3rver().Options());
  ASSERT_TRUE(a->Create().ok());
  ASSERT_TRUE(b->Create().ok());
  ASSERT_TRUE(a->Save(FileType::kConfig, "config", "a").ok());
  EXPECT_TRUE(b->List(FileType::kConfig)->empty());
  EXPECT_TRUE(b->Create().ok());
  EXPECT_EQ(a->Create().code(), ErrorCode::kAlreadyExists);
}

// The size Save records (x-amz-meta-failsafe-size) comes back from a real server with every
// GET and HEAD, so an object that is not whole is caught there too. The object here is written
// with a raw PUT that records the wrong size, as a server that had only part of it would show.
TEST_F(S3PeerTest, AnObjectOfAnotherSizeThanSavedIsUnavailable) {
  auto b = Open("peer-size/r", SharedS3rver().Options());
  ASSERT_TRUE(b->Create().ok());
  const std::string name = "ab" + std::string(62, '1');
  s3::Endpoint e;
  e.host = "127.0.0.1";
  e.port = SharedS3rver().port();
  e.https = false;
  e.bucket = "peer-size";
  const S3Options o = SharedS3rver().Options();
  s3::Client raw(e, {o.access_key_id, o.secret_access_key}, "");
  s3::Answer put = raw.Send("PUT", "r/data/ab/" + name, {}, "twelve bytes",
                            {{"x-amz-meta-failsafe-size", "1012"}});
  ASSERT_EQ(put.status, 200) << put.body;
  auto loaded = b->Load(FileType::kPack, name);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code(), ErrorCode::kUnavailable) << loaded.error().ToString();
  EXPECT_NE(loaded.error().message().find("has 12 bytes"), std::string::npos)
      << loaded.error().ToString();
  EXPECT_EQ(b->Stat(FileType::kPack, name).error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(b->Load(FileType::kPack, name, 2, 4).error().code(), ErrorCode::kUnavailable);

  ASSERT_TRUE(b->Save(FileType::kPack, "ab" + std::string(62, '2'), "twelve bytes").ok());
  EXPECT_EQ(*b->Load(FileType::kPack, "ab" + std::string(62, '2')), "twelve bytes");
}

TEST(S3PeerStopTest, StoppedServerIsUnavailable) {
  testing::S3rverPeer own;  // not the shared one: this test stops it
  ASSERT_TRUE(own.ok()) << own.error();
  BackendOptions o;
  o.s3 = own.Options();
  o.retry.max_attempts = 1;
  auto opened = OpenBackend(own.Url("peer-stop/r"), o);
  ASSERT_TRUE(opened);
  auto& b = *opened;
  ASSERT_TRUE(b->Create().ok());
  own.Stop();
  Status s = b->Save(FileType::kLock, "l1", "x");
  EXPECT_EQ(s.code(), ErrorCode::kUnavailable) << s.ToString();
  EXPECT_NE(s.message().find(b->Location()), std::string::npos);
}

// https with the s3rver's own CA given; without it the certificate is refused, at once.
TEST(S3PeerTlsTest, HttpsWithAPrivateCa) {
  testing::S3rverPeer tls(/*tls=*/true);
  ASSERT_TRUE(tls.ok()) << tls.error();
  BackendOptions o;
  o.s3 = tls.Options();
  o.s3.scheme = S3Scheme::kHttps;
  o.s3.ca_file = tls.ca_file();
  o.retry.max_attempts = 1;
  auto b = OpenBackend(tls.Url("tls/r"), o);
  ASSERT_TRUE(b);
  Status created = (*b)->Create();
  ASSERT_TRUE(created.ok()) << created.ToString() << tls.log();
  ASSERT_TRUE((*b)->Save(FileType::kSnapshot, "s1", "over tls").ok());
  EXPECT_EQ(*(*b)->Load(FileType::kSnapshot, "s1"), "over tls");

  o.s3.ca_file.clear();
  o.retry.max_attempts = 3;
  auto untrusted = OpenBackend(tls.Url("tls/r"), o);
  ASSERT_TRUE(untrusted);
  auto loaded = (*untrusted)->Load(FileType::kSnapshot, "s1");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code(), ErrorCode::kPermissionDenied) << loaded.error().ToString();
  EXPECT_NE(loaded.error().message().find("not trusted"), std::string::npos);
}

}  // namespace
}  // namespace failsafe::backup

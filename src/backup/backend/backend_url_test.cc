#include "backup/backend/backend_url.h"

#include <gtest/gtest.h>

namespace failsafe::backup {
namespace {

using Kind = BackendUrl::Kind;

std::string ErrorOf(std::string_view url) {
  auto r = ParseBackendUrl(url);
  EXPECT_FALSE(r) << url;
  if (r) return "";
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().field(), "repo");
  return r.error().message();
}

TEST(BackendUrlTest, PlainPathsAndFileUrlsAreLocal) {
  auto a = ParseBackendUrl("/srv/backup/");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind, Kind::kLocal);
  EXPECT_EQ(a->path, "/srv/backup");
  auto b = ParseBackendUrl("relative/repo");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->path, "relative/repo");
  auto c = ParseBackendUrl("file:///mnt/usb/repo");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->kind, Kind::kLocal);
  EXPECT_EQ(c->path, "/mnt/usb/repo");
  EXPECT_EQ(c->ToString(), "/mnt/usb/repo");
}

TEST(BackendUrlTest, SftpWithUserPortAndPath) {
  auto u = ParseBackendUrl("sftp://backup@nas.example.com:2222/srv/repo/");
  ASSERT_TRUE(u) << u.error().ToString();
  EXPECT_EQ(u->kind, Kind::kSftp);
  EXPECT_EQ(u->user, "backup");
  EXPECT_EQ(u->host, "nas.example.com");
  EXPECT_EQ(u->port, 2222);
  EXPECT_EQ(u->path, "/srv/repo");
  EXPECT_EQ(u->ToString(), "sftp://backup@nas.example.com:2222/srv/repo");

  auto v = ParseBackendUrl("sftp://[::1]/r");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->host, "::1");
  EXPECT_EQ(v->user, "");
  EXPECT_EQ(v->port, 0);
  EXPECT_EQ(v->ToString(), "sftp://[::1]/r");
}

TEST(BackendUrlTest, S3WithBucketAndPrefix) {
  auto u = ParseBackendUrl("s3://127.0.0.1:4568/backups/site-a/db/");
  ASSERT_TRUE(u) << u.error().ToString();
  EXPECT_EQ(u->kind, Kind::kS3);
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 4568);
  EXPECT_EQ(u->bucket, "backups");
  EXPECT_EQ(u->prefix, "site-a/db");
  EXPECT_EQ(u->ToString(), "s3://127.0.0.1:4568/backups/site-a/db");
  auto v = ParseBackendUrl("s3://s3.amazonaws.com/my-bucket");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->prefix, "");
  EXPECT_EQ(v->port, 0);
}

TEST(BackendUrlTest, ErrorsNameTheWrongPart) {
  EXPECT_NE(ErrorOf("").find("empty"), std::string::npos);
  EXPECT_NE(ErrorOf("ftp://host/x").find("scheme \"ftp\""), std::string::npos);
  EXPECT_NE(ErrorOf("sftp:host:/srv").find("sftp://"), std::string::npos);
  EXPECT_NE(ErrorOf("file://host/srv").find("absolute path and no host"), std::string::npos);
  EXPECT_NE(ErrorOf("sftp://user@/srv").find("host is missing"), std::string::npos);
  EXPECT_NE(ErrorOf("sftp://user@host").find("path on the server is missing"), std::string::npos);
  EXPECT_NE(ErrorOf("sftp://user@host/").find("path on the server is missing"), std::string::npos);
  EXPECT_NE(ErrorOf("sftp://@host/x").find("user before '@' is empty"), std::string::npos);
  EXPECT_NE(ErrorOf("sftp://u@host:0/x").find("port \"0\""), std::string::npos);
  EXPECT_NE(ErrorOf("sftp://u@host:99999/x").find("port \"99999\""), std::string::npos);
  EXPECT_NE(ErrorOf("sftp://u@host:ab/x").find("port \"ab\""), std::string::npos);
  EXPECT_NE(ErrorOf("sftp://u@host:/x").find("port after ':' is empty"), std::string::npos);
  EXPECT_NE(ErrorOf("sftp://u@ho st/x").find("host has a character"), std::string::npos);
  EXPECT_NE(ErrorOf("sftp://u@[::1/x").find("closing ']'"), std::string::npos);
  EXPECT_NE(ErrorOf("s3://host:9000").find("bucket is missing"), std::string::npos);
  EXPECT_NE(ErrorOf("s3://host:9000/").find("bucket is missing"), std::string::npos);
  EXPECT_NE(ErrorOf("s3://host/Bad_Bucket").find("bucket \"Bad_Bucket\""), std::string::npos);
  EXPECT_NE(ErrorOf("s3://host/ab").find("not a valid bucket"), std::string::npos);
  EXPECT_NE(ErrorOf("s3://host/bucket/a//b").find("empty part"), std::string::npos);
}

TEST(BackendUrlTest, PasswordsInUrlsAreRefusedAndNeverEchoed) {
  std::string m = ErrorOf("sftp://alice:hunter2@host/srv");
  EXPECT_NE(m.find("password in the URL"), std::string::npos);
  EXPECT_EQ(m.find("hunter2"), std::string::npos) << m;
  EXPECT_NE(m.find("alice:***@host"), std::string::npos) << m;
  std::string s = ErrorOf("s3://AKID:SECRETKEY@host/bucket");
  EXPECT_NE(s.find("AWS_ACCESS_KEY_ID"), std::string::npos);
  EXPECT_EQ(s.find("SECRETKEY"), std::string::npos) << s;
}

}  // namespace
}  // namespace failsafe::backup

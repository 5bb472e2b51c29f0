#include <gtest/gtest.h>

#include <cstdio>

#include "backup/repo/test_util.h"

namespace failsafe::backup {
namespace {

using namespace repo_testing;

NewKey NewPassword(std::string pw) {
  NewKey k;
  k.password = std::move(pw);
  k.argon2_opslimit = 1;
  k.argon2_memlimit = 1 << 16;
  return k;
}

TEST(Keys, AddListOpenRemove) {
  MemBackend mem;
  auto repo = InitRepo(mem);
  auto added = repo->AddKey(NewPassword("second"));
  ASSERT_TRUE(added) << added.error().ToString();
  auto keys = repo->ListKeys();
  ASSERT_TRUE(keys);
  ASSERT_EQ(keys->size(), 2u);
  size_t current = 0;
  for (const KeyEntry& k : *keys) {
    EXPECT_EQ(k.kind, "password");
    current += k.current ? 1 : 0;
    if (k.current) {
      EXPECT_EQ(k.id, repo->current_key());
    }
  }
  EXPECT_EQ(current, 1u);

  auto second = Repository::Open(mem.NewView(), Password("second"));
  ASSERT_TRUE(second) << second.error().ToString();
  EXPECT_EQ((*second)->current_key(), *added);
  EXPECT_EQ((*second)->IdOf("x"), repo->IdOf("x"));  // same master key

  // The key in use cannot be removed; another can, through the second opener.
  Status in_use = repo->RemoveKey(repo->current_key());
  EXPECT_EQ(in_use.code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(in_use.message().find("opened the repository with"), std::string::npos);
  ASSERT_TRUE((*second)->RemoveKey(repo->current_key()).ok());
  EXPECT_FALSE(Repository::Open(mem.NewView(), Password("secret")));
  // The last key cannot be removed even by another opener.
  Status last = repo->RemoveKey(*added);
  EXPECT_EQ(last.code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(last.message().find("last key"), std::string::npos);
  EXPECT_EQ(repo->RemoveKey(Id{}).code(), ErrorCode::kNotFound);
}

TEST(Keys, NewKeyFile) {
  const std::string path = ::testing::TempDir() + "/fs-keys-test-" + RandomToken(6) + ".key";
  MemBackend mem;
  auto repo = InitRepo(mem);
  NewKey k;
  k.new_key_file = path;
  auto added = repo->AddKey(k);
  ASSERT_TRUE(added) << added.error().ToString();
  // Not overwritten by a second add.
  EXPECT_EQ(repo->AddKey(k).error().code(), ErrorCode::kAlreadyExists);
  Credentials c;
  c.key_file = path;
  auto opened = Repository::Open(mem.NewView(), c);
  ASSERT_TRUE(opened) << opened.error().ToString();
  EXPECT_EQ((*opened)->current_key(), *added);
  bool listed_as_keyfile = false;
  const auto keys = *repo->ListKeys();
  for (const KeyEntry& e : keys) listed_as_keyfile |= e.kind == "keyfile";
  EXPECT_TRUE(listed_as_keyfile);
  EXPECT_FALSE(repo->AddKey(NewKey{}));
  // Only a key file key and a password key exist; a key file matching neither is refused.
  const std::string stranger = path + ".other";
  NewKey s;
  s.new_key_file = stranger;
  MemBackend elsewhere;
  ASSERT_TRUE(InitRepo(elsewhere)->AddKey(s));
  Credentials wrong;
  wrong.key_file = stranger;
  auto refused = Repository::Open(mem.NewView(), wrong);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::kUnauthenticated);
  EXPECT_NE(refused.error().message().find("wrong key file"), std::string::npos)
      << refused.error().ToString();
  std::remove(stranger.c_str());
  std::remove(path.c_str());
}

}  // namespace
}  // namespace failsafe::backup

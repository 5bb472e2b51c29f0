#include "backup/backend/backend.h"

#include <gtest/gtest.h>

namespace failsafe::backup {
namespace {

const std::string kId = "ab" + std::string(62, '0');

TEST(LayoutTest, PathsFollowTheLayout) {
  EXPECT_EQ(*RelativePath(FileType::kConfig, "config"), "config");
  EXPECT_EQ(*RelativePath(FileType::kKey, kId), "keys/" + kId);
  EXPECT_EQ(*RelativePath(FileType::kPack, kId), "data/ab/" + kId);
  EXPECT_EQ(*RelativePath(FileType::kIndex, kId), "index/" + kId);
  EXPECT_EQ(*RelativePath(FileType::kSnapshot, kId), "snapshots/" + kId);
  EXPECT_EQ(*RelativePath(FileType::kLock, kId), "locks/" + kId);
}

TEST(LayoutTest, NamesThatCouldEscapeAreRefused) {
  for (const std::string& bad :
       std::vector<std::string>{"", "../x", "a/b", ".hidden", "x.tmp-1", std::string(129, 'a'),
                                std::string("a\0b", 3)}) {
    auto r = RelativePath(FileType::kIndex, bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message().find("index name"), std::string::npos);
  }
  EXPECT_FALSE(RelativePath(FileType::kConfig, "other"));
  EXPECT_FALSE(RelativePath(FileType::kPack, "zz01"));  // not under a data/xx directory
  EXPECT_FALSE(RelativePath(FileType::kPack, "AB01"));
  EXPECT_TRUE(IsValidName(FileType::kLock, "lock-1_A"));
}

TEST(LayoutTest, DirectoriesHaveEveryDataSubdirectoryAfterItsParent) {
  auto dirs = LayoutDirectories();
  ASSERT_EQ(dirs.size(), 2u + 256u + 3u);
  EXPECT_EQ(dirs[0], "keys");
  EXPECT_EQ(dirs[1], "data");
  EXPECT_EQ(dirs[2], "data/00");
  EXPECT_EQ(dirs[257], "data/ff");
  EXPECT_EQ(dirs.back(), "locks");
}

TEST(LayoutTest, NamesForMessages) {
  EXPECT_EQ(NameOf(FileType::kSnapshot), "snapshot");
  EXPECT_EQ(NameOf(MediaKind::kObjectStorage), "object storage");
  EXPECT_EQ(DirectoryOf(FileType::kPack), "data");
}

}  // namespace
}  // namespace failsafe::backup

#include "backup/archive/fs_metadata.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/xattr.h>
#include <time.h>

#include "backup/archive/test_util.h"

namespace failsafe::backup::archive {
namespace {

using testing::TempDir;
using testing::WriteFile;

Node MustRead(MetadataReader& reader, const std::string& path) {
  auto n = reader.ReadPath(path);
  EXPECT_TRUE(n.has_value()) << n.error().ToString();
  return n ? *n : Node{};
}

TEST(MetadataReader, RegularFileWithNanosecondTimesAndOwner) {
  TempDir d;
  const std::string path = d / "report.txt";
  WriteFile(path, "hello");
  ASSERT_EQ(::chmod(path.c_str(), 04751), 0);
  const struct timespec times[2] = {{1'600'000'000, 111'222'333}, {1'700'000'000, 123'456'789}};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
  MetadataReader reader;
  Node n = MustRead(reader, path);
  EXPECT_EQ(n.type, NodeType::kFile);
  EXPECT_EQ(n.name, "report.txt");
  EXPECT_EQ(n.size, 5u);
  EXPECT_EQ(n.mode, 04751u);
  EXPECT_EQ(n.mtime_ns, 1'700'000'000'123'456'789);
  EXPECT_EQ(n.atime_ns, 1'600'000'000'111'222'333);
  EXPECT_GT(n.ctime_ns, 0);
  EXPECT_EQ(n.uid, ::getuid());
  EXPECT_EQ(n.links, 1u);
  EXPECT_NE(n.inode, 0u);
  if (::getuid() == 0) {
    EXPECT_EQ(n.user, "root");
  }
  EXPECT_TRUE(n.content.empty());  // the archiver's to fill
}

TEST(MetadataReader, EmptyFileSymlinksFifoAndDirectory) {
  TempDir d;
  WriteFile(d / "empty", "");
  ASSERT_EQ(::symlink("../no/such\xff target", (d / "dangling").c_str()), 0);
  ASSERT_EQ(::mkfifo((d / "pipe").c_str(), 0600), 0);
  ASSERT_EQ(::mkdir((d / "dir").c_str(), 0700), 0);
  MetadataReader reader;
  EXPECT_EQ(MustRead(reader, d / "empty").size, 0u);
  Node link = MustRead(reader, d / "dangling");
  EXPECT_EQ(link.type, NodeType::kSymlink);
  EXPECT_EQ(link.link_target, "../no/such\xff target");
  EXPECT_EQ(link.size, 0u);
  EXPECT_EQ(MustRead(reader, d / "pipe").type, NodeType::kFifo);
  Node dir = MustRead(reader, d / "dir/");
  EXPECT_EQ(dir.type, NodeType::kDir);
  EXPECT_EQ(dir.name, "dir");
  EXPECT_EQ(dir.mode, 0700u);
  EXPECT_FALSE(reader.ReadPath(d / "missing").has_value());
}

TEST(MetadataReader, ReadsThroughTheWalkersEntries) {
  TempDir d;
  WriteFile(d / "a", "1");
  ASSERT_EQ(::link((d / "a").c_str(), (d / "b").c_str()), 0);
  ASSERT_EQ(::symlink("a", (d / "c").c_str()), 0);
  Walker walker({});
  auto fd = walker.OpenRootDir(d.path());
  ASSERT_TRUE(fd.has_value());
  Listing listing = walker.List(fd->get(), d.path());
  ASSERT_EQ(listing.entries.size(), 3u);
  MetadataReader reader;
  std::vector<Node> nodes;
  for (const Entry& e : listing.entries) {
    auto n = reader.Read(fd->get(), JoinPath(d.path(), e.name), e);
    ASSERT_TRUE(n.has_value()) << n.error().ToString();
    nodes.push_back(*n);
  }
  EXPECT_EQ(nodes[0].links, 2u);
  EXPECT_EQ(nodes[0].inode, nodes[1].inode);
  EXPECT_EQ(nodes[0].device, nodes[1].device);
  EXPECT_EQ(nodes[2].link_target, "a");
}

TEST(MetadataReader, ExtendedAttributesSortedByName) {
  TempDir d;
  const std::string path = d / "tagged";
  WriteFile(path, "");
  if (::setxattr(path.c_str(), "user.zeta", "z", 1, 0) != 0) {
    GTEST_SKIP() << "the temp filesystem does not take user.* xattrs: " << std::strerror(errno);
  }
  const std::string big(3000, 'v');  // past the first read buffer, within ext4's block
  ASSERT_EQ(::setxattr(path.c_str(), "user.alpha", big.data(), big.size(), 0), 0);
  ASSERT_EQ(::setxattr(path.c_str(), "user.empty", "", 0, 0), 0);
  MetadataReader reader;
  Node n = MustRead(reader, path);
  ASSERT_EQ(n.xattrs.size(), 3u);
  EXPECT_EQ(n.xattrs[0], (Xattr{"user.alpha", big}));
  EXPECT_EQ(n.xattrs[1], (Xattr{"user.empty", ""}));
  EXPECT_EQ(n.xattrs[2], (Xattr{"user.zeta", "z"}));

  ReadOptions no_xattrs;
  no_xattrs.xattrs = false;
  MetadataReader without(no_xattrs);
  EXPECT_TRUE(MustRead(without, path).xattrs.empty());
}

// Reads `name` in `dir` through the walker's entry, with `previous` as the parent's node.
Node ReadEntry(MetadataReader& reader, const std::string& dir, const std::string& name,
               const Node* previous) {
  Walker walker({});
  auto fd = walker.OpenRootDir(dir);
  EXPECT_TRUE(fd.has_value());
  Listing listing = walker.List(fd->get(), dir);
  for (const Entry& e : listing.entries) {
    if (e.name != name) continue;
    auto n = reader.Read(fd->get(), JoinPath(dir, name), e, nullptr, previous);
    EXPECT_TRUE(n.has_value()) << n.error().ToString();
    return n ? *n : Node{};
  }
  ADD_FAILURE() << name << " not listed";
  return {};
}

TEST(MetadataReader, XattrsOfAnUnchangedEntryComeFromThePreviousNode) {
  TempDir d;
  const std::string path = d / "tagged";
  WriteFile(path, "");
  if (::setxattr(path.c_str(), "user.a", "1", 1, 0) != 0) {
    GTEST_SKIP() << "the temp filesystem does not take user.* xattrs: " << std::strerror(errno);
  }
  MetadataReader reader;
  Node first = ReadEntry(reader, d.path(), "tagged", nullptr);
  ASSERT_EQ(first.xattrs, (std::vector<Xattr>{{"user.a", "1"}}));

  // Same inode and ctime: the previous node's xattrs are used, not the file's. (A node that
  // says otherwise shows they were not read.)
  Node previous = first;
  previous.xattrs = {{"user.from-parent", "p"}};
  EXPECT_EQ(ReadEntry(reader, d.path(), "tagged", &previous).xattrs, previous.xattrs);

  // Setting an xattr moves the ctime: read again.
  struct timespec pause {
    0, 20 * 1000 * 1000
  };
  ::nanosleep(&pause, nullptr);  // a coarse ctime clock could otherwise give the same value
  ASSERT_EQ(::setxattr(path.c_str(), "user.b", "2", 1, 0), 0);
  Node after = ReadEntry(reader, d.path(), "tagged", &previous);
  EXPECT_NE(after.ctime_ns, first.ctime_ns);
  EXPECT_EQ(after.xattrs, (std::vector<Xattr>{{"user.a", "1"}, {"user.b", "2"}}));

  // Another inode with the same name: read.
  Node other_inode = previous;
  other_inode.ctime_ns = after.ctime_ns;
  other_inode.inode += 1;
  EXPECT_EQ(ReadEntry(reader, d.path(), "tagged", &other_inode).xattrs, after.xattrs);
}

TEST(MetadataReader, UnreadableXattrsAreAWarningNotALostFile) {
  TempDir d;
  WriteFile(d / "gone", "x");
  Walker walker({});
  auto fd = walker.OpenRootDir(d.path());
  ASSERT_TRUE(fd.has_value());
  Listing listing = walker.List(fd->get(), d.path());
  ASSERT_EQ(listing.entries.size(), 1u);
  ASSERT_EQ(::unlink((d / "gone").c_str()), 0);  // vanishes between the walk and the read
  MetadataReader reader;
  std::string warning;
  auto n = reader.Read(fd->get(), d / "gone", listing.entries[0], &warning);
  ASSERT_TRUE(n.has_value()) << n.error().ToString();
  EXPECT_EQ(n->size, 1u);
  EXPECT_EQ(reader.xattr_errors(), 1u);
  EXPECT_NE(warning.find("cannot list extended attributes of " + (d / "gone")), std::string::npos)
      << warning;
}

TEST(MetadataReader, FilesystemWithoutXattrsGivesNone) {
  // procfs answers listxattr with ENOTSUP or an empty list; either way no error.
  MetadataReader reader;
  auto x = reader.ReadXattrs("/proc/self/status", 12345);
  ASSERT_TRUE(x.has_value()) << x.error().ToString();
  EXPECT_TRUE(x->empty());
  EXPECT_TRUE(reader.ReadXattrs("/proc/self/status", 12345)->empty());
}

TEST(DataRanges, FindsDataBetweenHoles) {
  TempDir d;
  const std::string path = d / "sparse.img";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  constexpr uint64_t kMiB = 1 << 20;
  ASSERT_EQ(::ftruncate(fd, 64 * kMiB), 0);
  const std::string block(4096, 'd');
  ASSERT_EQ(::pwrite(fd, block.data(), block.size(), 8 * kMiB), 4096);
  ASSERT_EQ(::pwrite(fd, block.data(), block.size(), 32 * kMiB), 4096);
  ASSERT_EQ(::fsync(fd), 0);
  struct statx st;
  ASSERT_EQ(::statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &st), 0);
  EXPECT_TRUE(MayHaveHoles(st));
  auto ranges = DataRanges(fd, 64 * kMiB);
  ::close(fd);
  ASSERT_TRUE(ranges.has_value()) << ranges.error().ToString();
  if (ranges->size() == 1 && (*ranges)[0] == DataRange{0, 64 * kMiB}) {
    GTEST_SKIP() << "the temp filesystem does not report holes";
  }
  uint64_t data = 0;
  for (const DataRange& r : *ranges) data += r.length;
  EXPECT_LE(data, 2 * kMiB);  // filesystems may round data up to their allocation unit
  ASSERT_EQ(ranges->size(), 2u);
  EXPECT_LE((*ranges)[0].offset, 8 * kMiB);
  EXPECT_GE((*ranges)[0].offset + (*ranges)[0].length, 8 * kMiB + 4096);
  EXPECT_LE((*ranges)[1].offset, 32 * kMiB);

  WriteFile(d / "dense", std::string(10000, 'x'));
  const int dense = ::open((d / "dense").c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_EQ((*DataRanges(dense, 10000)), (std::vector<DataRange>{{0, 10000}}));
  ::close(dense);
}

TEST(OpenForBackup, ReadsWithoutMovingTheAccessTime) {
  TempDir d;
  WriteFile(d / "f", "content");
  ASSERT_EQ(::symlink("f", (d / "link").c_str()), 0);
  // An access time older than the mtime: relatime would move it on the next read.
  const struct timespec times[2] = {{1'000'000'000, 0}, {1'700'000'000, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, (d / "f").c_str(), times, 0), 0);
  const UniqueFd dir(::open(d.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  auto fd = OpenForBackup(dir.get(), "f", d / "f");
  ASSERT_TRUE(fd.has_value()) << fd.error().ToString();
  char buf[16];
  ASSERT_EQ(::read(fd->get(), buf, sizeof buf), 7);
  struct stat st;
  ASSERT_EQ(::stat((d / "f").c_str(), &st), 0);
  EXPECT_EQ(st.st_atim.tv_sec, 1'000'000'000);

  auto link = OpenForBackup(dir.get(), "link", d / "link");
  ASSERT_FALSE(link.has_value());  // a symlink is never followed
  EXPECT_NE(link.error().message().find(d / "link"), std::string::npos);
}

TEST(DataRanges, AllHoleFileHasNoData) {
  TempDir d;
  const int fd = ::open((d / "hole").c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::ftruncate(fd, 1 << 20), 0);
  auto ranges = DataRanges(fd, 1 << 20);
  ::close(fd);
  ASSERT_TRUE(ranges.has_value());
  EXPECT_TRUE(ranges->empty());
}

}  // namespace
}  // namespace failsafe::backup::archive

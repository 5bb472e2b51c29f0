#include "backup/archive/fs_restore.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include <map>

#include "backup/archive/fs_metadata.h"
#include "backup/archive/test_util.h"
#include "backup/archive/walker.h"

namespace failsafe::backup::archive {
namespace {

using testing::ReadWhole;
using testing::TempDir;
using testing::WriteFile;

constexpr uint64_t kMiB = 1 << 20;

// Every node below `root` by its path relative to it, in walk (pre-)order.
std::vector<std::pair<std::string, Node>> ReadTree(const std::string& root) {
  std::vector<std::pair<std::string, Node>> out;
  MetadataReader reader;
  Walker walker({});
  Walker::Visitor v;
  v.enter = [&](const std::string& path, const Entry&, const Listing& listing) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    for (const Entry& e : listing.entries) {
      const std::string full = JoinPath(path, e.name);
      auto node = reader.Read(fd.get(), full, e);
      EXPECT_TRUE(node.has_value()) << node.error().ToString();
      if (node) out.emplace_back(full.substr(root.size() + 1), *node);
    }
    return true;
  };
  EXPECT_TRUE(walker.Walk(root, v).ok());
  // Pre-order by directory: a directory's entries come before its subdirectories' entries,
  // which is what a restorer needs (parents exist before children).
  return out;
}

// Restores what ReadTree found under `source` into `target` with the API, in the order the
// header describes, copying file content from the source (the repository's part).
void Restore(const std::string& source, const std::vector<std::pair<std::string, Node>>& nodes,
             const std::string& target) {
  MetadataWriter writer;
  DeferredDirectories dirs;
  HardLinkTable links;
  for (const auto& [rel, node] : nodes) {
    const std::string path = target + "/" + rel;
    switch (node.type) {
      case NodeType::kDir:
        ASSERT_EQ(::mkdir(path.c_str(), 0700), 0) << path;
        dirs.Add(path, node);
        break;
      case NodeType::kFile: {
        if (auto first = links.FirstPathOrRecord(node, path)) {
          ASSERT_TRUE(CreateHardLink(*first, path).ok());
          break;
        }
        auto file = RestoreFile::Create(path, node.size);
        ASSERT_TRUE(file.has_value()) << file.error().ToString();
        const UniqueFd in(::open((source + "/" + rel).c_str(), O_RDONLY | O_CLOEXEC));
        const auto ranges = DataRanges(in.get(), node.size);
        ASSERT_TRUE(ranges.has_value());
        for (const DataRange& r : *ranges) {
          std::string buf(r.length, '\0');
          ASSERT_EQ(::pread(in.get(), buf.data(), buf.size(), static_cast<off_t>(r.offset)),
                    static_cast<ssize_t>(buf.size()));
          ASSERT_TRUE(file->WriteAt(r.offset, buf).ok());
        }
        Status s = file->Finish(writer, node);
        ASSERT_TRUE(s.ok()) << s.ToString();
        break;
      }
      default: {
        Status s = writer.CreateSpecial(path, node);
        ASSERT_TRUE(s.ok()) << s.ToString();
        s = writer.Apply(path, node);
        ASSERT_TRUE(s.ok()) << s.ToString();
      }
    }
  }
  Status s = dirs.ApplyAll(writer);
  ASSERT_TRUE(s.ok()) << s.ToString();
}

bool XattrsSupported(const std::string& dir) {
  const std::string probe = dir + "/.xattr-probe";
  WriteFile(probe, "");
  const bool ok = ::setxattr(probe.c_str(), "user.probe", "1", 1, 0) == 0;
  ::unlink(probe.c_str());
  return ok;
}

TEST(Restore, RoundTripsEveryKindOfEntryWithItsMetadata) {
  TempDir src, dst;
  const std::string& s = src.path();
  WriteFile(s + "/regular.txt", "some text\n");
  WriteFile(s + "/empty", "");
  WriteFile(s + "/caf\xe9 \xff", "non-UTF-8 name");
  ASSERT_EQ(::chmod((s + "/regular.txt").c_str(), 0640), 0);
  ASSERT_EQ(::mkdir((s + "/sub").c_str(), 0755), 0);
  ASSERT_EQ(::mkdir((s + "/sub/deeper").c_str(), 0750), 0);
  WriteFile(s + "/sub/deeper/leaf", "leaf");
  ASSERT_EQ(::link((s + "/regular.txt").c_str(), (s + "/sub/hardlink").c_str()), 0);
  ASSERT_EQ(::symlink("../regular.txt", (s + "/sub/link").c_str()), 0);
  ASSERT_EQ(::symlink("/no/such/target", (s + "/dangling").c_str()), 0);
  ASSERT_EQ(::mkfifo((s + "/fifo").c_str(), 0620), 0);
  const bool xattrs = XattrsSupported(s);
  if (xattrs) {
    ASSERT_EQ(::setxattr((s + "/regular.txt").c_str(), "user.note", "kept", 4, 0), 0);
    ASSERT_EQ(::setxattr((s + "/sub").c_str(), "user.dir", "\0\1", 2, 0), 0);
  }
  // Distinct nanosecond times everywhere; directories last, since writing in them moved theirs.
  const struct timespec t[2] = {{1'500'000'000, 1}, {1'600'000'000, 999'999'999}};
  for (const char* rel : {"/regular.txt", "/empty", "/sub/deeper/leaf", "/fifo", "/sub/link",
                          "/dangling", "/sub/deeper", "/sub"}) {
    ASSERT_EQ(::utimensat(AT_FDCWD, (s + rel).c_str(), t, AT_SYMLINK_NOFOLLOW), 0) << rel;
  }
  ASSERT_EQ(::chmod((s + "/sub/deeper").c_str(), 0500), 0);  // read-only: restored last

  const auto before = ReadTree(s);
  ASSERT_EQ(before.size(), 10u);
  Restore(s, before, dst.path());
  const auto after = ReadTree(dst.path());
  ASSERT_EQ(after.size(), before.size());

  std::map<std::string, Node> restored(after.begin(), after.end());
  for (const auto& [rel, want] : before) {
    SCOPED_TRACE(rel);
    ASSERT_EQ(restored.count(rel), 1u);
    const Node& got = restored[rel];
    EXPECT_EQ(got.type, want.type);
    EXPECT_EQ(got.name, want.name);
    EXPECT_EQ(got.size, want.size);
    EXPECT_EQ(got.link_target, want.link_target);
    EXPECT_EQ(got.mtime_ns, want.mtime_ns);
    // Listing a directory moves its atime (relatime), so only the others' can be compared.
    if (want.type != NodeType::kDir) {
      EXPECT_EQ(got.atime_ns, want.atime_ns);
    }
    if (want.type != NodeType::kSymlink) {
      EXPECT_EQ(got.mode, want.mode);
    }
    EXPECT_EQ(got.uid, want.uid);
    EXPECT_EQ(got.xattrs, want.xattrs);
    EXPECT_EQ(got.links, want.links);
    if (want.type == NodeType::kFile) {
      EXPECT_EQ(ReadWhole(dst.path() + "/" + rel), ReadWhole(s + "/" + rel));
    }
  }
  EXPECT_EQ(restored["regular.txt"].inode, restored["sub/hardlink"].inode);
  EXPECT_EQ(restored["regular.txt"].links, 2u);
  if (xattrs) {
    EXPECT_EQ(restored["sub"].xattrs, (std::vector<Xattr>{{"user.dir", std::string("\0\1", 2)}}));
  }
}

TEST(Restore, SparseFileStaysSparse) {
  TempDir src, dst;
  const std::string path = src / "disk.img";
  {
    const UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    ASSERT_EQ(::ftruncate(fd.get(), 64 * kMiB), 0);
    const std::string data(kMiB, 'x');
    ASSERT_EQ(::pwrite(fd.get(), data.data(), data.size(), 40 * kMiB), static_cast<ssize_t>(kMiB));
  }
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  if (static_cast<uint64_t>(st.st_blocks) * 512 > 8 * kMiB) {
    GTEST_SKIP() << "the temp filesystem does not keep holes";
  }
  const auto nodes = ReadTree(src.path());
  ASSERT_EQ(nodes.size(), 1u);
  Restore(src.path(), nodes, dst.path());
  struct stat restored;
  ASSERT_EQ(::stat((dst / "disk.img").c_str(), &restored), 0);
  EXPECT_EQ(restored.st_size, static_cast<off_t>(64 * kMiB));
  EXPECT_LE(static_cast<uint64_t>(restored.st_blocks) * 512, 4 * kMiB);
  const std::string content = ReadWhole(dst / "disk.img");
  EXPECT_EQ(content.substr(40 * kMiB, kMiB), std::string(kMiB, 'x'));
  EXPECT_EQ(content.find_first_not_of('\0'), 40 * kMiB);
}

TEST(Restore, OwnersAndDevicesAsRoot) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root (chown to another user, mknod)";
  TempDir dst;
  MetadataWriter writer;
  ASSERT_TRUE(writer.options().owners);
  Node file;
  file.name = "owned";
  file.uid = 12345;
  file.gid = 23456;
  file.mode = 04755;  // setuid survives because the mode is set after the chown
  auto f = RestoreFile::Create(dst / "owned", 0);
  ASSERT_TRUE(f.has_value());
  ASSERT_TRUE(f->Finish(writer, file).ok());
  struct stat st;
  ASSERT_EQ(::stat((dst / "owned").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 12345u);
  EXPECT_EQ(st.st_gid, 23456u);
  EXPECT_EQ(st.st_mode & 07777, 04755u);

  Node dev;
  dev.type = NodeType::kCharDevice;
  dev.name = "null";
  dev.mode = 0666;
  dev.rdev = makedev(1, 3);
  Status s = writer.CreateSpecial(dst / "null", dev);
  if (!s.ok()) GTEST_SKIP() << "mknod refused in this container: " << s.ToString();
  ASSERT_TRUE(writer.Apply(dst / "null", dev).ok());
  ASSERT_EQ(::stat((dst / "null").c_str(), &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_EQ(st.st_rdev, makedev(1, 3));
}

TEST(Restore, ErrorsNameThePathAndStep) {
  TempDir dst;
  MetadataWriter writer;
  Node dir;
  dir.type = NodeType::kDir;
  dir.name = "missing";
  Status s = writer.Apply(dst / "missing", dir);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find(dst / "missing"), std::string::npos);
  Node file;
  EXPECT_FALSE(writer.CreateSpecial(dst / "x", file).ok());  // files are not special
  Node link;
  link.type = NodeType::kSymlink;
  link.link_target = "t";
  ASSERT_TRUE(writer.CreateSpecial(dst / "l", link).ok());
  s = writer.CreateSpecial(dst / "l", link);
  EXPECT_NE(s.message().find("cannot create symlink"), std::string::npos) << s.ToString();
  EXPECT_FALSE(CreateHardLink(dst / "nope", dst / "also-nope").ok());

  HardLinkTable table;
  Node single;
  single.links = 1;
  EXPECT_FALSE(table.FirstPathOrRecord(single, "a").has_value());
  EXPECT_FALSE(table.FirstPathOrRecord(single, "b").has_value());
  Node multi;
  multi.links = 3;
  multi.inode = 7;
  EXPECT_FALSE(table.FirstPathOrRecord(multi, "first").has_value());
  EXPECT_EQ(table.FirstPathOrRecord(multi, "second"), "first");
}

}  // namespace
}  // namespace failsafe::backup::archive

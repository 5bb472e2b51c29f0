#include "backup/archive/walker.h"

#include <gtest/gtest.h>
#include <sys/mount.h>

#include <map>

#include "backup/archive/test_util.h"

namespace failsafe::backup::archive {
namespace {

using testing::TempDir;
using testing::WriteFile;

// Every path the walk saw (entries of entered directories) and every error.
struct Seen {
  std::vector<std::string> paths;
  std::vector<WalkError> errors;
  std::map<std::string, std::vector<std::string>> names;  // directory -> entry names in order
};

Seen WalkAll(const std::string& root, const WalkOptions& options) {
  Seen seen;
  Walker::Visitor v;
  v.enter = [&](const std::string& path, const Entry&, const Listing& listing) {
    for (const Entry& e : listing.entries) {
      seen.paths.push_back(JoinPath(path, e.name));
      seen.names[path].push_back(e.name);
    }
    return true;
  };
  v.error = [&](const WalkError& e) { seen.errors.push_back(e); };
  EXPECT_TRUE(Walker(options).Walk(root, v).ok());
  return seen;
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(Walker, ListsEntriesSortedByNameBytesWithStat) {
  TempDir d;
  WriteFile(d / "b", "bb");
  WriteFile(d / "a", "a");
  WriteFile(d / "B", "");
  WriteFile(d / "caf\xe9", "latin-1 name");  // not UTF-8
  WriteFile(d / "\xff", "");
  ASSERT_EQ(::mkdir((d / "dir").c_str(), 0755), 0);
  WriteFile(d / "dir/inner", "x");
  ASSERT_EQ(::symlink("nowhere", (d / "dangling").c_str()), 0);

  Seen seen = WalkAll(d.path(), {});
  EXPECT_TRUE(seen.errors.empty());
  EXPECT_EQ(seen.names[d.path()],
            (std::vector<std::string>{"B", "a", "b", "caf\xe9", "dangling", "dir", "\xff"}));
  EXPECT_EQ(seen.names[d / "dir"], (std::vector<std::string>{"inner"}));

  Walker w({});
  auto fd = w.OpenRootDir(d.path());
  ASSERT_TRUE(fd.has_value());
  Listing l = w.List(fd->get(), d.path());
  ASSERT_EQ(l.entries.size(), 7u);
  EXPECT_EQ(l.entries[2].st.stx_size, 2u);  // "b"
  EXPECT_TRUE(S_ISLNK(l.entries[4].st.stx_mode));
  EXPECT_TRUE(l.entries[5].is_dir());
}

TEST(Walker, HonoursExcludesAndDoesNotDescendIntoExcludedDirectories) {
  TempDir d;
  WriteFile(d / "keep.txt", "");
  WriteFile(d / "drop.tmp", "");
  ASSERT_EQ(::mkdir((d / "node_modules").c_str(), 0755), 0);
  WriteFile(d / "node_modules/pkg.txt", "");
  ASSERT_EQ(::mkdir((d / "build").c_str(), 0755), 0);
  WriteFile(d / "build/out.txt", "");
  WriteFile(d / "notadir", "");
  auto set = ExcludeSet::Parse({"*.tmp", "**/node_modules", "build/", "notadir/"});
  ASSERT_TRUE(set.has_value());
  WalkOptions options;
  options.excludes = &*set;
  Seen seen = WalkAll(d.path(), options);
  EXPECT_EQ(seen.names[d.path()], (std::vector<std::string>{"keep.txt", "notadir"}));
  EXPECT_EQ(seen.names.count(d / "node_modules"), 0u);

  Walker w(options);
  auto fd = w.OpenRootDir(d.path());
  ASSERT_TRUE(fd.has_value());
  EXPECT_EQ(w.List(fd->get(), d.path()).excluded, 3u);
}

TEST(Walker, ReportsUnreadableDirectoriesAndGoesOn) {
  TempDir d;
  ASSERT_EQ(::chmod(d.path().c_str(), 0755), 0);
  ASSERT_EQ(::mkdir((d / "locked").c_str(), 0000), 0);
  ASSERT_EQ(::mkdir((d / "open").c_str(), 0755), 0);
  WriteFile(d / "open/file", "");
  // Root reads everything: walk as nobody so the mode counts.
  const bool root = ::geteuid() == 0;
  if (root) {
    ASSERT_EQ(::seteuid(65534), 0);
  }
  Seen seen = WalkAll(d.path(), {});
  if (root) {
    ASSERT_EQ(::seteuid(0), 0);
  }
  ASSERT_EQ(seen.errors.size(), 1u);
  EXPECT_EQ(seen.errors[0].path, d / "locked");
  EXPECT_EQ(seen.errors[0].error_number, EACCES);
  EXPECT_NE(seen.errors[0].message.find("cannot open directory"), std::string::npos);
  EXPECT_TRUE(Contains(seen.paths, d / "open/file"));
  EXPECT_TRUE(Contains(seen.paths, d / "locked"));  // listed, not entered
}

TEST(Walker, RootThatIsMissingIsAnError) {
  TempDir d;
  Status s = Walker({}).Walk(d / "missing", {});
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("missing"), std::string::npos);
}

// A directory on another device inside the tree: a tmpfs mounted in the temp dir when this
// process may mount, else /dev with its /dev/shm and /dev/pts.
TEST(Walker, OneFileSystemListsMountPointsButDoesNotEnterThem) {
  TempDir d;
  std::string root = d.path(), mount_point = d / "mnt";
  ASSERT_EQ(::mkdir(mount_point.c_str(), 0755), 0);
  const bool mounted = ::mount("tmpfs", mount_point.c_str(), "tmpfs", 0, "size=1m") == 0;
  if (mounted) {
    WriteFile(mount_point + "/on-other-device", "");
  } else {
    struct stat dev, shm;
    if (::stat("/dev", &dev) != 0 || ::stat("/dev/shm", &shm) != 0 || dev.st_dev == shm.st_dev) {
      GTEST_SKIP() << "cannot mount a tmpfs here and /dev/shm is not another device under /dev";
    }
    root = "/dev";
    mount_point = "/dev/shm";
  }
  WalkOptions options;
  options.one_file_system = true;
  Seen one = WalkAll(root, options);
  Seen all = WalkAll(root, {});
  if (mounted) ::umount(mount_point.c_str());
  EXPECT_TRUE(Contains(one.paths, mount_point));
  EXPECT_EQ(one.names.count(mount_point), 0u);
  if (mounted) {
    EXPECT_TRUE(Contains(all.paths, mount_point + "/on-other-device"));
    EXPECT_FALSE(Contains(one.paths, mount_point + "/on-other-device"));
  }
}

TEST(Walker, JoinPathAndTypes) {
  EXPECT_EQ(JoinPath("/", "etc"), "/etc");
  EXPECT_EQ(JoinPath("/srv", "a"), "/srv/a");
  EXPECT_EQ(JoinPath("rel/", "a"), "rel/a");
  EXPECT_EQ(NodeTypeOfMode(S_IFIFO | 0644), NodeType::kFifo);
  EXPECT_EQ(NodeTypeOfMode(0), std::nullopt);
}

}  // namespace
}  // namespace failsafe::backup::archive

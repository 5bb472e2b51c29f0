#pragma once
// Reading a file's metadata into a tree Node (backup/format/tree.h) for the archiver: the
// statx fields the walker already has, owner names from a cache, the symlink target, extended
// attributes and, for files that may be sparse, the map of data and holes. Content chunks and
// subtree ids are the archiver's to fill in.
//
// Hot path: the archiver calls Read for every entry of every backup, so it adds no syscall a
// file does not need: names come from caches, symlinks cost one readlinkat, xattrs one
// llistxattr (plus one lgetxattr per attribute), and none at all on a filesystem that has
// answered ENOTSUP once.
#include <sys/stat.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "backup/archive/walker.h"
#include "backup/format/tree.h"
#include "base/result.h"

namespace failsafe::backup::archive {

// uid and gid to user and group names, each looked up once (getpwuid_r reads /etc/passwd or
// asks NSS on every call). Thread-safe. An id without a name maps to "".
class OwnerNames {
 public:
  std::string User(uint32_t uid);
  std::string Group(uint32_t gid);

 private:
  std::mutex mu_;
  std::unordered_map<uint32_t, std::string> users_, groups_;
};

// Node fields from a statx result alone: type, name, mode, ids, times, device, inode, links,
// rdev, size. Fails for a file type a tree cannot hold.
Result<Node> NodeFromStatx(const struct statx& st, std::string name);

struct ReadOptions {
  bool xattrs = true;
};

class MetadataReader {
 public:
  explicit MetadataReader(ReadOptions options = {}) : options_(options) {}

  // The node for `entry`, found as `name` in the directory open at `dir_fd` with the full
  // `path` (for xattrs, which have no *at calls, and for errors). Thread-safe. Fails only
  // when the node cannot be built (an unsupported type, an unreadable symlink); extended
  // attributes that cannot be read leave the node without them, count in xattr_errors() and
  // are described in *warning when given, as restic does: one bad xattr must not cost a file.
  //
  // `previous` is the node of the same name in the parent snapshot, if any: when it has the
  // entry's type, device, inode and ctime, its xattrs are taken instead of read (setting or
  // removing an xattr changes the ctime, as every metadata change does), which saves a
  // path lookup and an llistxattr per entry of an unchanged tree.
  Result<Node> Read(int dir_fd, const std::string& path, const Entry& entry,
                    std::string* warning = nullptr, const Node* previous = nullptr);
  // Same for a path (a backup root): one statx first.
  Result<Node> ReadPath(const std::string& path, std::string* warning = nullptr);

  // Extended attributes of `path` (not following a symlink), sorted by name. An empty list,
  // not an error, where the filesystem does not support them; that device is remembered and
  // not asked again (only when a file or directory said so: some filesystems refuse xattrs
  // on special files alone).
  Result<std::vector<Xattr>> ReadXattrs(const std::string& path, uint64_t device,
                                        bool remember_unsupported = true);

  uint64_t xattr_errors() const { return xattr_errors_.load(std::memory_order_relaxed); }

 private:
  ReadOptions options_;
  OwnerNames names_;
  std::mutex mu_;
  std::unordered_set<uint64_t> devices_without_xattrs_;
  std::atomic<uint64_t> xattr_errors_{0};
};

// Opens the regular file `name` in the directory `dir_fd` for reading its content: never
// follows a symlink put there since the walk, and with O_NOATIME where allowed (owner or
// root) so a backup leaves access times, and so the next snapshot's trees, as they were.
Result<UniqueFd> OpenForBackup(int dir_fd, const std::string& name, const std::string& path);

// A byte range of a file that holds data; what lies between ranges (and after the last, up
// to the size) is a hole.
struct DataRange {
  uint64_t offset = 0;
  uint64_t length = 0;
  friend bool operator==(const DataRange&, const DataRange&) = default;
};

// True when the file has fewer blocks than its size needs, so it may have holes; only then
// is DataRanges worth its syscalls.
bool MayHaveHoles(const struct statx& st);

// The data ranges of the open regular file `fd` of `size` bytes, from SEEK_DATA/SEEK_HOLE.
// One range [0, size) where the filesystem does not report holes.
Result<std::vector<DataRange>> DataRanges(int fd, uint64_t size);

}  // namespace failsafe::backup::archive

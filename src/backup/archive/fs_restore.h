#pragma once
// Writing a tree Node back to the filesystem on restore: special files (symlinks, fifos,
// devices, sockets), owner, mode, extended attributes and nanosecond times, hard links, and
// regular files written sparse (only data ranges are written; holes stay unallocated).
//
// Order matters and is the restorer's to follow:
// 1. Directories are created (mkdir, mode 0700 so the restorer can write into them) and
//    recorded in DeferredDirectories; their metadata is applied last, deepest first, because
//    writing into a directory changes its mtime and a read-only mode would stop the writes.
// 2. A file with links > 1 asks HardLinkTable first; for a later path of the same inode it
//    calls CreateHardLink instead of writing content again.
// 3. Files: RestoreFile::Create, WriteAt per chunk (holes skipped), then Finish, which applies
//    the metadata on the open fd. Special files: CreateSpecial then Apply.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "backup/archive/unique_fd.h"
#include "backup/format/tree.h"
#include "base/result.h"

namespace failsafe::backup::archive {

struct RestoreOptions {
  // chown to the node's uid and gid; only root may. Default: whether this process is root.
  bool owners;
  bool xattrs = true;
  RestoreOptions();
};

// Applies a node's metadata. Every step is attempted; the first failure is returned (with
// the path and the step) so the restorer can count it and go on.
class MetadataWriter {
 public:
  explicit MetadataWriter(RestoreOptions options = {}) : options_(options) {}

  // Creates a symlink (symlinkat), fifo, socket or device (mknod; devices need root) at
  // `path`. Not for files and directories.
  Status CreateSpecial(const std::string& path, const Node& node) const;
  // Owner (when options.owners), xattrs, mode (not for symlinks, which have none on Linux)
  // and times, in that order: chown clears setuid bits and some xattrs, and every change
  // before the times would move ctime only.
  Status Apply(const std::string& path, const Node& node) const;
  // The same through an open fd (a regular file being restored).
  Status ApplyToFd(int fd, const std::string& path, const Node& node) const;

  const RestoreOptions& options() const { return options_; }

 private:
  RestoreOptions options_;
};

// Directories waiting for their metadata until their content is restored. Thread-safe.
class DeferredDirectories {
 public:
  void Add(std::string path, const Node& node);
  // Applies every recorded directory, deepest path first; returns the first failure after
  // trying them all, and how many failed in *failures when given.
  Status ApplyAll(const MetadataWriter& writer, size_t* failures = nullptr);

 private:
  std::mutex mu_;
  std::vector<std::pair<std::string, Node>> dirs_;
};

// (device, inode) of the backed-up files to the path the first of them was restored at.
// Thread-safe.
class HardLinkTable {
 public:
  // For a node with links > 1: the path restored earlier for its (device, inode), or
  // nullopt after recording `path` as that first path. Always nullopt for links <= 1.
  // The caller that got nullopt must create its file before any other links to it: a
  // parallel restorer restores hard-linked files of one inode on one worker, or links them
  // in a pass after the files are written.
  std::optional<std::string> FirstPathOrRecord(const Node& node, const std::string& path);

 private:
  struct Key {
    uint64_t device, inode;
    friend bool operator==(const Key&, const Key&) = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const { return k.device * 0x9e3779b97f4a7c15ull ^ k.inode; }
  };
  std::mutex mu_;
  std::unordered_map<Key, std::string, KeyHash> first_;
};

// linkat(existing, path): `path` becomes another name of the file at `existing`.
Status CreateHardLink(const std::string& existing, const std::string& path);

// A regular file being restored. Create sets its length, so what is never written reads as
// zeros and takes no blocks: holes are simply not written.
class RestoreFile {
 public:
  // Creates (or truncates) `path`, mode 0600 until Finish applies the node's mode.
  static Result<RestoreFile> Create(const std::string& path, uint64_t size);
  Status WriteAt(uint64_t offset, std::string_view data);
  // Applies the node's metadata on the fd (times last, after every write) and closes it.
  Status Finish(const MetadataWriter& writer, const Node& node);
  int fd() const { return fd_.get(); }

 private:
  RestoreFile(UniqueFd fd, std::string path) : fd_(std::move(fd)), path_(std::move(path)) {}
  UniqueFd fd_;
  std::string path_;
};

}  // namespace failsafe::backup::archive

#pragma once
// Walker: reads directory trees for a backup. Per directory it gives the entries sorted by
// name bytes (the order trees are stored in), each with its statx result, so the archiver
// needs no further stat. Excluded entries are left out before they are stat'ed when the
// directory entry's type is known; with one_file_system a directory on another device is
// listed (it is a mount point, kept as an empty directory) but not descended into. An entry
// or directory that cannot be read is reported as a WalkError with its path and the walk goes
// on. Names are raw bytes (non-UTF-8 names included).
//
// Paths are built from the root as given: pass absolute roots for anchored exclude patterns
// ("/srv/erp/tmp") to mean what they say. Roots themselves are never excluded. A Walker has
// no mutable state; its methods may be called from several threads at once.
//
// Cost per entry: one statx, relative to the directory's fd. Directories are read with
// getdents64 into a 32 KiB buffer. A walk keeps one fd open per level of the current path.
#include <sys/stat.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "backup/archive/exclude.h"
#include "backup/archive/unique_fd.h"
#include "backup/format/tree.h"
#include "base/result.h"

namespace failsafe::backup::archive {

struct Entry {
  std::string name;  // raw bytes; for a root, the path as given
  struct statx st {};

  bool is_dir() const { return S_ISDIR(st.stx_mode); }
  bool is_regular() const { return S_ISREG(st.stx_mode); }
  uint64_t device() const;  // st_dev as one number (makedev of major and minor)
};

struct WalkError {
  std::string path;
  std::string message;  // "cannot open directory: Permission denied"
  int error_number = 0;
};

struct Listing {
  std::vector<Entry> entries;  // sorted by name bytes, excluded entries left out
  std::vector<WalkError> errors;
  uint64_t excluded = 0;
};

struct WalkOptions {
  const ExcludeSet* excludes = nullptr;  // not owned; null: nothing excluded
  bool one_file_system = false;
  // What statx fills in; the counter asks for less.
  unsigned statx_mask = STATX_BASIC_STATS;
};

// "dir" + "name" with one '/' between ("/" + "etc" is "/etc").
std::string JoinPath(std::string_view dir, std::string_view name);
// Whether `path` is `dir` or below it, by whole components ("/srv/erp" is under "/srv", not
// under "/sr"). An empty `dir` or "/" holds everything.
bool IsUnderPath(std::string_view path, std::string_view dir);

// The node type for a mode (S_IFREG and so on); nullopt for a type a tree cannot hold.
std::optional<NodeType> NodeTypeOfMode(uint32_t mode);

class Walker {
 public:
  explicit Walker(WalkOptions options) : options_(options) {}

  // lstat of a root path (a symlink given as a root is kept as a symlink).
  Result<Entry> StatRoot(const std::string& path) const;
  // Opens a directory for List: a root by path, or an entry of an open directory
  // (O_NOFOLLOW, so a directory swapped for a symlink after its statx is refused).
  Result<UniqueFd> OpenRootDir(const std::string& path) const;
  Result<UniqueFd> OpenDir(int parent_fd, const std::string& name, const std::string& path) const;

  // Lists the open directory `dir_fd` whose path is `dir_path`.
  Listing List(int dir_fd, const std::string& dir_path) const;

  // Whether the walk goes into `entry`: a directory, and on `root_device` with one_file_system.
  bool ShouldDescend(const Entry& entry, uint64_t root_device) const;
  bool Excluded(const std::string& path, bool is_dir) const;

  // A depth-first walk of `root`, pre-order `enter` and post-order `leave` per directory
  // (roots that are not directories get neither), `error` for everything unreadable.
  // `enter` returns false to skip the directory's subdirectories.
  struct Visitor {
    std::function<bool(const std::string& path, const Entry& dir, const Listing& listing)> enter;
    std::function<void(const std::string& path, const Entry& dir)> leave;
    std::function<void(const WalkError& error)> error;
  };
  // Fails only when the root itself cannot be stat'ed.
  Status Walk(const std::string& root, const Visitor& visitor) const;

 private:
  void WalkDir(int dir_fd, const std::string& path, const Entry& dir, uint64_t root_device,
               const Visitor& visitor) const;

  WalkOptions options_;
};

}  // namespace failsafe::backup::archive

#include "backup/archive/walker.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace failsafe::backup::archive {
namespace {

WalkError ErrorAt(std::string path, std::string_view what, int err) {
  return {std::move(path), std::string(what) + ": " + std::strerror(err), err};
}

struct RawName {
  std::string name;
  unsigned char type;  // DT_*; DT_UNKNOWN when the filesystem does not say
};

// Reads every name in the directory (without "." and ".."); an error ends the read.
std::vector<RawName> ReadNames(int dir_fd, int* error) {
  std::vector<RawName> names;
  *error = 0;
  if (::lseek(dir_fd, 0, SEEK_SET) < 0) {
    *error = errno;
    return names;
  }
  alignas(struct dirent64) char buf[32 * 1024];
  for (;;) {
    const ssize_t n = ::getdents64(dir_fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = errno;
      return names;
    }
    if (n == 0) return names;
    for (ssize_t off = 0; off < n;) {
      const auto* d = reinterpret_cast<const struct dirent64*>(buf + off);
      off += d->d_reclen;
      const std::string_view name(d->d_name);
      if (name == "." || name == "..") continue;
      names.push_back({std::string(name), d->d_type});
    }
  }
}

// Opens a directory without following a symlink in its last component.
UniqueFd OpenDirectory(int parent_fd, const std::string& name, int* error) {
  UniqueFd fd(::openat(parent_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
  *error = fd.valid() ? 0 : errno;
  return fd;
}

Result<UniqueFd> OpenOrStatus(int parent_fd, const std::string& name, const std::string& path) {
  int err;
  UniqueFd fd = OpenDirectory(parent_fd, name, &err);
  if (!fd.valid()) {
    return Err(Unavailable("cannot open directory " + path + ": " + std::strerror(err)));
  }
  return fd;
}

}  // namespace

uint64_t Entry::device() const {
  return makedev(st.stx_dev_major, st.stx_dev_minor);
}

bool IsUnderPath(std::string_view path, std::string_view dir) {
  return dir.empty() || dir == "/" || path == dir ||
         (path.size() > dir.size() && path.substr(0, dir.size()) == dir && path[dir.size()] == '/');
}

std::string JoinPath(std::string_view dir, std::string_view name) {
  std::string path;
  path.reserve(dir.size() + 1 + name.size());
  path.append(dir);
  if (path.empty() || path.back() != '/') path.push_back('/');
  path.append(name);
  return path;
}

std::optional<NodeType> NodeTypeOfMode(uint32_t mode) {
  switch (mode & S_IFMT) {
    case S_IFREG: return NodeType::kFile;
    case S_IFDIR: return NodeType::kDir;
    case S_IFLNK: return NodeType::kSymlink;
    case S_IFIFO: return NodeType::kFifo;
    case S_IFCHR: return NodeType::kCharDevice;
    case S_IFBLK: return NodeType::kBlockDevice;
    case S_IFSOCK: return NodeType::kSocket;
  }
  return std::nullopt;
}

Result<Entry> Walker::StatRoot(const std::string& path) const {
  Entry e;
  e.name = path;
  if (::statx(AT_FDCWD, path.c_str(), AT_SYMLINK_NOFOLLOW, options_.statx_mask, &e.st) != 0) {
    const int err = errno;
    return Err(NotFound("cannot stat " + path + ": " + std::strerror(err)));
  }
  return e;
}

Result<UniqueFd> Walker::OpenRootDir(const std::string& path) const {
  return OpenOrStatus(AT_FDCWD, path, path);
}

Result<UniqueFd> Walker::OpenDir(int parent_fd, const std::string& name,
                                 const std::string& path) const {
  return OpenOrStatus(parent_fd, name, path);
}

bool Walker::Excluded(const std::string& path, bool is_dir) const {
  return options_.excludes != nullptr && options_.excludes->Excluded(path, is_dir);
}

Listing Walker::List(int dir_fd, const std::string& dir_path) const {
  Listing out;
  int read_error;
  std::vector<RawName> names = ReadNames(dir_fd, &read_error);
  if (read_error != 0) out.errors.push_back(ErrorAt(dir_path, "cannot read directory", read_error));
  std::sort(names.begin(), names.end(),
            [](const RawName& a, const RawName& b) { return a.name < b.name; });
  const bool excludes = options_.excludes != nullptr && !options_.excludes->empty();
  out.entries.reserve(names.size());
  for (RawName& n : names) {
    std::string path;
    if (excludes) {
      path = JoinPath(dir_path, n.name);
      // Decided before the statx when the directory entry says whether it is a directory.
      if (n.type != DT_UNKNOWN && Excluded(path, n.type == DT_DIR)) {
        ++out.excluded;
        continue;
      }
    }
    Entry e;
    if (::statx(dir_fd, n.name.c_str(), AT_SYMLINK_NOFOLLOW, options_.statx_mask, &e.st) != 0) {
      const int err = errno;
      out.errors.push_back(
          ErrorAt(path.empty() ? JoinPath(dir_path, n.name) : path,
                  err == ENOENT ? "vanished before it could be read" : "cannot stat", err));
      continue;
    }
    if (excludes && n.type == DT_UNKNOWN && Excluded(path, e.is_dir())) {
      ++out.excluded;
      continue;
    }
    e.name = std::move(n.name);
    out.entries.push_back(std::move(e));
  }
  return out;
}

bool Walker::ShouldDescend(const Entry& entry, uint64_t root_device) const {
  return entry.is_dir() && (!options_.one_file_system || entry.device() == root_device);
}

Status Walker::Walk(const std::string& root, const Visitor& visitor) const {
  FS_ASSIGN_OR_RETURN_STATUS(Entry e, StatRoot(root));
  if (!e.is_dir()) return Status::Ok();
  int err;
  UniqueFd fd = OpenDirectory(AT_FDCWD, root, &err);
  if (!fd.valid()) {
    if (visitor.error) visitor.error(ErrorAt(root, "cannot open directory", err));
    return Status::Ok();
  }
  WalkDir(fd.get(), root, e, e.device(), visitor);
  return Status::Ok();
}

void Walker::WalkDir(int dir_fd, const std::string& path, const Entry& dir, uint64_t root_device,
                     const Visitor& visitor) const {
  const Listing listing = List(dir_fd, path);
  if (visitor.error) {
    for (const WalkError& e : listing.errors) visitor.error(e);
  }
  const bool descend = visitor.enter ? visitor.enter(path, dir, listing) : true;
  for (const Entry& e : listing.entries) {
    if (!descend || !ShouldDescend(e, root_device)) continue;
    const std::string child = JoinPath(path, e.name);
    int err;
    UniqueFd fd = OpenDirectory(dir_fd, e.name, &err);
    if (!fd.valid()) {
      if (visitor.error) visitor.error(ErrorAt(child, "cannot open directory", err));
      continue;
    }
    WalkDir(fd.get(), child, e, root_device, visitor);
  }
  if (visitor.leave) visitor.leave(path, dir);
}

}  // namespace failsafe::backup::archive

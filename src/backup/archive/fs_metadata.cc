#include "backup/archive/fs_metadata.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace failsafe::backup::archive {
namespace {

int64_t Nanoseconds(const struct statx_timestamp& t) {
  return static_cast<int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

Status ErrnoStatus(std::string_view what, const std::string& path, int err) {
  return Unavailable(std::string(what) + " " + path + ": " + std::strerror(err));
}

// Calls `get(buffer, size)` (an llistxattr or lgetxattr) with a buffer that grows until the
// value fits; returns the bytes or sets *err.
template <typename Get>
std::string ReadGrowing(Get get, int* err) {
  std::string buf(256, '\0');
  for (int attempt = 0; attempt < 8; ++attempt) {
    const ssize_t n = get(buf.data(), buf.size());
    if (n >= 0) {
      buf.resize(static_cast<size_t>(n));
      *err = 0;
      return buf;
    }
    if (errno != ERANGE) break;
    const ssize_t needed = get(nullptr, 0);  // the size now; it may change again before the read
    if (needed < 0) break;
    buf.resize(static_cast<size_t>(needed) + 256);
  }
  *err = errno != 0 ? errno : ERANGE;
  return {};
}

std::string LookupName(bool user, uint32_t id) {
  long size = ::sysconf(user ? _SC_GETPW_R_SIZE_MAX : _SC_GETGR_R_SIZE_MAX);
  std::string buf(size > 0 ? static_cast<size_t>(size) : 16384, '\0');
  for (int attempt = 0; attempt < 6; ++attempt) {
    int rc;
    if (user) {
      struct passwd pw, *found = nullptr;
      rc = ::getpwuid_r(id, &pw, buf.data(), buf.size(), &found);
      if (rc == 0) return found ? std::string(found->pw_name) : std::string();
    } else {
      struct group gr, *found = nullptr;
      rc = ::getgrgid_r(id, &gr, buf.data(), buf.size(), &found);
      if (rc == 0) return found ? std::string(found->gr_name) : std::string();
    }
    if (rc != ERANGE) return {};
    buf.resize(buf.size() * 4);
  }
  return {};
}

}  // namespace

std::string OwnerNames::User(uint32_t uid) {
  std::lock_guard lock(mu_);
  auto it = users_.find(uid);
  if (it == users_.end()) it = users_.emplace(uid, LookupName(true, uid)).first;
  return it->second;
}

std::string OwnerNames::Group(uint32_t gid) {
  std::lock_guard lock(mu_);
  auto it = groups_.find(gid);
  if (it == groups_.end()) it = groups_.emplace(gid, LookupName(false, gid)).first;
  return it->second;
}

Result<Node> NodeFromStatx(const struct statx& st, std::string name) {
  std::optional<NodeType> type = NodeTypeOfMode(st.stx_mode);
  if (!type) {
    return Err(InvalidArgument("unsupported file type " + std::to_string(st.stx_mode & S_IFMT)));
  }
  Node n;
  n.type = *type;
  n.name = std::move(name);
  n.mode = st.stx_mode & 07777;
  n.uid = st.stx_uid;
  n.gid = st.stx_gid;
  n.mtime_ns = Nanoseconds(st.stx_mtime);
  // Reading a directory or a symlink (as the backup itself does) moves its atime, so keeping
  // it would make their trees differ in every snapshot: it is stored as the mtime. Files are
  // read with O_NOATIME, so theirs is kept.
  n.atime_ns = n.type == NodeType::kFile ? Nanoseconds(st.stx_atime) : n.mtime_ns;
  n.ctime_ns = Nanoseconds(st.stx_ctime);
  n.device = makedev(st.stx_dev_major, st.stx_dev_minor);
  n.inode = st.stx_ino;
  n.links = st.stx_nlink;
  if (n.type == NodeType::kCharDevice || n.type == NodeType::kBlockDevice) {
    n.rdev = makedev(st.stx_rdev_major, st.stx_rdev_minor);
  }
  // Only a file's size means content; a directory's varies by filesystem and a symlink's is
  // its target's length, which the node has.
  if (n.type == NodeType::kFile) n.size = st.stx_size;
  return n;
}

Result<Node> MetadataReader::Read(int dir_fd, const std::string& path, const Entry& entry,
                                  std::string* warning, const Node* previous) {
  Result<Node> node = NodeFromStatx(entry.st, entry.name);
  if (!node) return Err(node.error().WithContext(path));
  Node& n = *node;
  n.user = names_.User(n.uid);
  n.group = names_.Group(n.gid);
  if (n.type == NodeType::kSymlink) {
    // stx_size is the target's length; one byte more shows whether it grew since the statx.
    std::string target(static_cast<size_t>(entry.st.stx_size) + 1, '\0');
    for (;;) {
      const ssize_t len = ::readlinkat(dir_fd, entry.name.c_str(), target.data(), target.size());
      if (len < 0) return Err(ErrnoStatus("cannot read symlink", path, errno));
      if (static_cast<size_t>(len) < target.size()) {
        target.resize(static_cast<size_t>(len));
        break;
      }
      target.resize(target.size() * 2);
    }
    n.link_target = std::move(target);
  }
  if (options_.xattrs && previous != nullptr && previous->type == n.type &&
      previous->device == n.device && previous->inode == n.inode &&
      previous->ctime_ns == n.ctime_ns) {
    n.xattrs = previous->xattrs;
  } else if (options_.xattrs) {
    const bool plain = n.type == NodeType::kFile || n.type == NodeType::kDir;
    Result<std::vector<Xattr>> xattrs = ReadXattrs(path, n.device, plain);
    if (xattrs) {
      n.xattrs = std::move(*xattrs);
    } else {
      xattr_errors_.fetch_add(1, std::memory_order_relaxed);
      if (warning) *warning = xattrs.error().message();
    }
  }
  return node;
}

Result<Node> MetadataReader::ReadPath(const std::string& path, std::string* warning) {
  struct statx st;
  if (::statx(AT_FDCWD, path.c_str(), AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &st) != 0) {
    return Err(ErrnoStatus("cannot stat", path, errno));
  }
  // With AT_FDCWD, readlinkat takes the whole path as the name.
  Result<Node> node = Read(AT_FDCWD, path, Entry{path, st}, warning);
  if (!node) return node;
  std::string_view base = path;
  while (base.size() > 1 && base.back() == '/') base.remove_suffix(1);
  if (const size_t slash = base.rfind('/'); slash != std::string_view::npos && base.size() > 1) {
    base.remove_prefix(slash + 1);
  }
  node->name = std::string(base);
  return node;
}

Result<std::vector<Xattr>> MetadataReader::ReadXattrs(const std::string& path, uint64_t device,
                                                      bool remember_unsupported) {
  {
    std::lock_guard lock(mu_);
    if (devices_without_xattrs_.count(device)) return std::vector<Xattr>{};
  }
  const char* p = path.c_str();
  int err;
  const std::string names =
      ReadGrowing([p](char* buf, size_t size) { return ::llistxattr(p, buf, size); }, &err);
  if (err == ENOTSUP) {
    if (remember_unsupported) {
      std::lock_guard lock(mu_);
      devices_without_xattrs_.insert(device);
    }
    return std::vector<Xattr>{};
  }
  if (err != 0) return Err(ErrnoStatus("cannot list extended attributes of", path, err));
  std::vector<Xattr> xattrs;
  for (size_t start = 0; start < names.size();) {
    size_t end = names.find('\0', start);
    if (end == std::string::npos) end = names.size();
    std::string name = names.substr(start, end - start);
    start = end + 1;
    if (name.empty()) continue;
    const char* n = name.c_str();
    std::string value =
        ReadGrowing([p, n](char* buf, size_t size) { return ::lgetxattr(p, n, buf, size); }, &err);
    if (err == ENODATA) continue;  // removed since the listing
    if (err != 0) {
      return Err(ErrnoStatus("cannot read extended attribute " + name + " of", path, err));
    }
    xattrs.push_back({std::move(name), std::move(value)});
  }
  std::sort(xattrs.begin(), xattrs.end(),
            [](const Xattr& a, const Xattr& b) { return a.name < b.name; });
  return xattrs;
}

Result<UniqueFd> OpenForBackup(int dir_fd, const std::string& name, const std::string& path) {
  constexpr int kFlags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY;
  UniqueFd fd(::openat(dir_fd, name.c_str(), kFlags | O_NOATIME));
  // O_NOATIME is refused (EPERM) on files of other users unless we are root.
  if (!fd.valid() && errno == EPERM) fd.Reset(::openat(dir_fd, name.c_str(), kFlags));
  if (!fd.valid()) return Err(ErrnoStatus("cannot open", path, errno));
  return fd;
}

bool MayHaveHoles(const struct statx& st) {
  return S_ISREG(st.stx_mode) && st.stx_blocks * 512 < st.stx_size;
}

Result<std::vector<DataRange>> DataRanges(int fd, uint64_t size) {
  std::vector<DataRange> ranges;
  const auto end = static_cast<off_t>(size);
  off_t pos = 0;
  while (pos < end) {
    const off_t data = ::lseek(fd, pos, SEEK_DATA);
    if (data < 0) {
      if (errno == ENXIO) break;  // nothing but a hole up to the end of the file
      if (errno == EINVAL || errno == ENOTSUP) return std::vector<DataRange>{{0, size}};
      return Err(Unavailable(std::string("SEEK_DATA failed: ") + std::strerror(errno)));
    }
    if (data >= end) break;
    off_t hole = ::lseek(fd, data, SEEK_HOLE);
    if (hole < 0) return Err(Unavailable(std::string("SEEK_HOLE failed: ") + std::strerror(errno)));
    hole = std::min(hole, end);  // the file may have grown since its size was taken
    ranges.push_back({static_cast<uint64_t>(data), static_cast<uint64_t>(hole - data)});
    pos = hole;
  }
  return ranges;
}

}  // namespace failsafe::backup::archive

#include "backup/archive/fs_restore.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace failsafe::backup::archive {
namespace {

Status Failed(std::string_view step, const std::string& path, int err) {
  return Unavailable("cannot " + std::string(step) + " " + path + ": " + std::strerror(err));
}

struct timespec ToTimespec(int64_t ns) {
  struct timespec ts;
  ts.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
  ts.tv_nsec = static_cast<long>(ns % 1'000'000'000);
  if (ts.tv_nsec < 0) {  // times before 1970: the fraction must be positive
    ts.tv_nsec += 1'000'000'000;
    --ts.tv_sec;
  }
  return ts;
}

// Keeps the first failure while every step still runs.
class FirstError {
 public:
  void Check(bool ok, std::string_view step, const std::string& path) {
    if (!ok && status_.ok()) status_ = Failed(step, path, errno);
  }
  Status status() const { return status_; }

 private:
  Status status_;
};

}  // namespace

RestoreOptions::RestoreOptions() : owners(::geteuid() == 0) {}

Status MetadataWriter::CreateSpecial(const std::string& path, const Node& node) const {
  int rc;
  switch (node.type) {
    case NodeType::kSymlink:
      rc = ::symlinkat(node.link_target.c_str(), AT_FDCWD, path.c_str());
      break;
    case NodeType::kFifo: rc = ::mknodat(AT_FDCWD, path.c_str(), S_IFIFO | 0600, 0); break;
    case NodeType::kSocket: rc = ::mknodat(AT_FDCWD, path.c_str(), S_IFSOCK | 0600, 0); break;
    case NodeType::kCharDevice:
    case NodeType::kBlockDevice: {
      const mode_t kind = node.type == NodeType::kCharDevice ? S_IFCHR : S_IFBLK;
      rc = ::mknodat(AT_FDCWD, path.c_str(), kind | 0600, static_cast<dev_t>(node.rdev));
      if (rc != 0 && errno == EPERM) {
        return PermissionDenied("cannot create device " + path + ": only root can (mknod)");
      }
      break;
    }
    default:
      return InvalidArgument("CreateSpecial is not for " + std::string(NameOf(node.type)) + " " +
                             path);
  }
  if (rc != 0) return Failed("create " + std::string(NameOf(node.type)), path, errno);
  return Status::Ok();
}

Status MetadataWriter::Apply(const std::string& path, const Node& node) const {
  const char* p = path.c_str();
  FirstError first;
  if (options_.owners) first.Check(::lchown(p, node.uid, node.gid) == 0, "chown", path);
  if (options_.xattrs) {
    for (const Xattr& x : node.xattrs) {
      first.Check(::lsetxattr(p, x.name.c_str(), x.value.data(), x.value.size(), 0) == 0,
                  "set extended attribute " + x.name + " on", path);
    }
  }
  if (node.type != NodeType::kSymlink) {
    first.Check(::fchmodat(AT_FDCWD, p, node.mode, 0) == 0, "chmod", path);
  }
  const struct timespec times[2] = {ToTimespec(node.atime_ns), ToTimespec(node.mtime_ns)};
  first.Check(::utimensat(AT_FDCWD, p, times, AT_SYMLINK_NOFOLLOW) == 0, "set times of", path);
  return first.status();
}

Status MetadataWriter::ApplyToFd(int fd, const std::string& path, const Node& node) const {
  FirstError first;
  if (options_.owners) first.Check(::fchown(fd, node.uid, node.gid) == 0, "chown", path);
  if (options_.xattrs) {
    for (const Xattr& x : node.xattrs) {
      first.Check(::fsetxattr(fd, x.name.c_str(), x.value.data(), x.value.size(), 0) == 0,
                  "set extended attribute " + x.name + " on", path);
    }
  }
  first.Check(::fchmod(fd, node.mode) == 0, "chmod", path);
  const struct timespec times[2] = {ToTimespec(node.atime_ns), ToTimespec(node.mtime_ns)};
  first.Check(::futimens(fd, times) == 0, "set times of", path);
  return first.status();
}

void DeferredDirectories::Add(std::string path, const Node& node) {
  std::lock_guard lock(mu_);
  dirs_.emplace_back(std::move(path), node);
}

Status DeferredDirectories::ApplyAll(const MetadataWriter& writer, size_t* failures) {
  std::lock_guard lock(mu_);
  // Deepest first: setting a child directory's metadata needs its parent still searchable
  // (a restored mode of 0500 or 0000 on the parent would refuse it).
  auto depth = [](const std::string& p) { return std::count(p.begin(), p.end(), '/'); };
  std::stable_sort(dirs_.begin(), dirs_.end(),
                   [&](const auto& a, const auto& b) { return depth(a.first) > depth(b.first); });
  Status first;
  size_t failed = 0;
  for (const auto& [path, node] : dirs_) {
    Status s = writer.Apply(path, node);
    if (s.ok()) continue;
    ++failed;
    if (first.ok()) first = s;
  }
  dirs_.clear();
  if (failures) *failures = failed;
  return first;
}

std::optional<std::string> HardLinkTable::FirstPathOrRecord(const Node& node,
                                                            const std::string& path) {
  if (node.links <= 1) return std::nullopt;
  std::lock_guard lock(mu_);
  auto [it, inserted] = first_.try_emplace(Key{node.device, node.inode}, path);
  if (inserted) return std::nullopt;
  return it->second;
}

Status CreateHardLink(const std::string& existing, const std::string& path) {
  if (::linkat(AT_FDCWD, existing.c_str(), AT_FDCWD, path.c_str(), 0) != 0) {
    return Failed("link " + existing + " as", path, errno);
  }
  return Status::Ok();
}

Result<RestoreFile> RestoreFile::Create(const std::string& path, uint64_t size) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd.valid()) return Err(Failed("create", path, errno));
  if (size > 0 && ::ftruncate(fd.get(), static_cast<off_t>(size)) != 0) {
    return Err(Failed("set the size of", path, errno));
  }
  return RestoreFile(std::move(fd), path);
}

Status RestoreFile::WriteAt(uint64_t offset, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::pwrite(fd_.get(), data.data(), data.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Failed("write", path_, errno);
    data.remove_prefix(static_cast<size_t>(n));
    offset += static_cast<uint64_t>(n);
  }
  return Status::Ok();
}

Status RestoreFile::Finish(const MetadataWriter& writer, const Node& node) {
  Status s = writer.ApplyToFd(fd_.get(), path_, node);
  if (::close(fd_.Release()) != 0 && s.ok()) s = Failed("close", path_, errno);
  return s;
}

}  // namespace failsafe::backup::archive

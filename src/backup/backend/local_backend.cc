#include "backup/backend/local_backend.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>  // renameat2, RENAME_NOREPLACE
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "backup/backend/posix_file.h"
#include "base/encoding.h"
#include "base/random.h"

namespace failsafe::backup {
namespace {

std::string ParentOf(const std::string& path) {
  return path.substr(0, path.rfind('/'));
}

// Moves `tmp` to `path` unless `path` exists (EEXIST then). renameat2 with RENAME_NOREPLACE
// where the file system has it; link + unlink elsewhere, which is just as atomic.
int RenameNoReplace(const std::string& tmp, const std::string& path) {
  if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return -1;
  if (::link(tmp.c_str(), path.c_str()) != 0) return -1;
  ::unlink(tmp.c_str());
  return 0;
}

// Files of at least this size whose bytes start on a block boundary are written with O_DIRECT.
constexpr size_t kDirectWriteMin = 1 << 20;
constexpr size_t kDirectAlign = 4096;  // a multiple of every logical block size in use

// Writes `data` to the empty file `fd`. A large file (a pack) goes to the disk with O_DIRECT,
// straight from the caller's memory: through the page cache, every byte was copied into a
// freshly allocated cache page first, which cost 13 % of an initial backup's CPU time here
// (new pages are expensive in a VM), and a backup never reads its packs back. The tail that
// is not a multiple of the block size is written normally. Where the file system refuses
// O_DIRECT (EINVAL), the whole file is written normally instead.
Status WriteNewFile(int fd, std::string_view data, const std::string& path) {
  const size_t aligned = data.size() / kDirectAlign * kDirectAlign;
  const int flags = ::fcntl(fd, F_GETFL);
  if (data.size() < kDirectWriteMin || flags < 0 ||
      reinterpret_cast<uintptr_t>(data.data()) % kDirectAlign != 0 ||
      ::fcntl(fd, F_SETFL, flags | O_DIRECT) != 0)
    return posix::WriteAll(fd, data, path);
  Status direct = posix::WriteAll(fd, data.substr(0, aligned), path);
  if (::fcntl(fd, F_SETFL, flags) != 0) return posix::ErrnoStatus("cannot clear O_DIRECT on", path);
  if (direct.ok()) return posix::WriteAll(fd, data.substr(aligned), path);
  if (::ftruncate(fd, 0) != 0 || ::lseek(fd, 0, SEEK_SET) != 0)
    return posix::ErrnoStatus("cannot rewind", path);
  return posix::WriteAll(fd, data, path);
}

}  // namespace

LocalBackend::LocalBackend(std::string root) : root_(std::move(root)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

Result<std::string> LocalBackend::PathOf(FileType type, const std::string& name) const {
  FS_ASSIGN_OR_RETURN(std::string rel, RelativePath(type, name));
  return root_ + "/" + rel;
}

Status LocalBackend::Create() {
  struct stat st {};
  std::string config = root_ + "/config";
  if (::stat(config.c_str(), &st) == 0) {
    return AlreadyExists("a repository already exists at " + root_ + " (it has a config file)");
  }
  // The root's parents may be missing; they get ordinary permissions, the root 0700.
  for (size_t pos = root_.find('/', 1); pos != std::string::npos; pos = root_.find('/', pos + 1)) {
    FS_RETURN_STATUS_IF_ERROR(posix::MakeDirectory(root_.substr(0, pos), 0755));
  }
  FS_RETURN_STATUS_IF_ERROR(posix::MakeDirectory(root_, 0700));
  for (const std::string& dir : LayoutDirectories()) {
    FS_RETURN_STATUS_IF_ERROR(posix::MakeDirectory(root_ + "/" + dir, 0700));
  }
  FS_RETURN_STATUS_IF_ERROR(posix::FsyncDirectory(root_ + "/data"));
  return posix::FsyncDirectory(root_);
}

Status LocalBackend::Save(FileType type, const std::string& name, std::string_view data) {
  FS_ASSIGN_OR_RETURN_STATUS(std::string path, PathOf(type, name));
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) return CompareExisting(type, name, path, data);

  const std::string dir = ParentOf(path);
  // A dot first: the temp name is never a valid file name, so List skips it.
  const std::string tmp = dir + "/." + name + ".tmp-" + HexEncode(RandomBytes(8));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return posix::ErrnoStatus("cannot create", tmp);
  Status s = WriteNewFile(fd, data, tmp);
  if (s.ok() && ::fsync(fd) != 0) s = posix::ErrnoStatus("cannot fsync", tmp);
  ::close(fd);
  if (s.ok() && RenameNoReplace(tmp, path) != 0) {
    if (errno == EEXIST) {
      ::unlink(tmp.c_str());
      return CompareExisting(type, name, path, data);
    }
    s = posix::ErrnoStatus("cannot rename into place", path);
  }
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return s;
  }
  return posix::FsyncDirectory(dir);
}

Status LocalBackend::CompareExisting(FileType type, const std::string& name,
                                     const std::string& path, std::string_view data) {
  FS_ASSIGN_OR_RETURN_STATUS(std::string existing, Load(type, name));
  if (existing == data) return Status::Ok();
  return AlreadyExists(std::string(NameOf(type)) + " " + name + " already exists at " + path +
                       " with other content");
}

Result<std::string> LocalBackend::Load(FileType type, const std::string& name, uint64_t offset,
                                       uint64_t length) {
  std::string out;
  FS_RETURN_IF_ERROR(LoadRange(type, name, offset, length, &out));
  return out;
}

Status LocalBackend::LoadInto(FileType type, const std::string& name, std::string* out) {
  return LoadRange(type, name, 0, 0, out);
}

Status LocalBackend::LoadRange(FileType type, const std::string& name, uint64_t offset,
                               uint64_t length, std::string* out) {
  FS_ASSIGN_OR_RETURN_STATUS(std::string path, PathOf(type, name));
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return posix::ErrnoStatus("cannot open", path);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    Status s = posix::ErrnoStatus("cannot stat", path);
    ::close(fd);
    return s;
  }
  const uint64_t size = uint64_t(st.st_size);
  if (offset > size || (length > 0 && length > size - offset)) {
    ::close(fd);
    return DataLoss(path + " has " + std::to_string(size) + " bytes; wanted " +
                    (length ? std::to_string(length) : std::string("the rest")) + " from offset " +
                    std::to_string(offset));
  }
  if (length == 0) length = size - offset;
  if (Status too_big = CheckLoadSize(length, path); !too_big.ok()) {
    ::close(fd);
    return too_big;
  }
  Status s = posix::ReadAtInto(fd, offset, length, path, out);
  ::close(fd);
  return s;
}

Result<FileInfo> LocalBackend::Stat(FileType type, const std::string& name) {
  FS_ASSIGN_OR_RETURN(std::string path, PathOf(type, name));
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Err(posix::ErrnoStatus("cannot stat", path));
  return FileInfo{name, uint64_t(st.st_size)};
}

Status LocalBackend::ListDirectory(FileType type, const std::string& dir,
                                   std::vector<FileInfo>* out) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return posix::ErrnoStatus("cannot list", dir);
  Status s;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (!IsValidName(type, name)) continue;
    // A pack is only where the layout puts it: data/<its first two characters>/.
    if (type == FileType::kPack && !dir.ends_with("/" + name.substr(0, 2))) continue;
    struct stat st {};
    if (::fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) continue;  // removed while we listed
      s = posix::ErrnoStatus("cannot stat", dir + "/" + name);
      break;
    }
    if (S_ISREG(st.st_mode)) out->push_back({std::move(name), uint64_t(st.st_size)});
  }
  ::closedir(d);
  return s;
}

Result<std::vector<FileInfo>> LocalBackend::List(FileType type) {
  std::vector<FileInfo> out;
  if (type == FileType::kConfig) {
    auto info = Stat(type, "config");
    if (info) out.push_back(*info);
    if (!info && info.error().code() != ErrorCode::kNotFound) return Err(info.error());
    return out;
  }
  const std::string dir = root_ + "/" + std::string(DirectoryOf(type));
  if (type != FileType::kPack) {
    FS_RETURN_IF_ERROR(ListDirectory(type, dir, &out));
    return out;
  }
  // Packs: every data/xx directory, whichever exist (Create makes all 256).
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return Err(posix::ErrnoStatus("cannot list", dir));
  std::vector<std::string> subdirs;
  while (dirent* e = ::readdir(d)) {
    std::string sub = e->d_name;
    if (sub.size() == 2 && IsValidName(FileType::kPack, sub)) subdirs.push_back(sub);
  }
  ::closedir(d);
  for (const std::string& sub : subdirs) {
    FS_RETURN_IF_ERROR(ListDirectory(type, dir + "/" + sub, &out));
  }
  return out;
}

Status LocalBackend::Remove(FileType type, const std::string& name) {
  FS_ASSIGN_OR_RETURN_STATUS(std::string path, PathOf(type, name));
  if (::unlink(path.c_str()) != 0) return posix::ErrnoStatus("cannot remove", path);
  return posix::FsyncDirectory(ParentOf(path));
}

}  // namespace failsafe::backup

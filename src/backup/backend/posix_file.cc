#include "backup/backend/posix_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace failsafe::backup::posix {

Status ErrnoStatus(std::string_view what, const std::string& path) {
  int e = errno;
  std::string msg = std::string(what) + " " + path + ": " + std::strerror(e);
  switch (e) {
    case ENOENT: return NotFound(msg);
    case EACCES:
    case EPERM:
    case EROFS: return PermissionDenied(msg);
    case EEXIST: return AlreadyExists(msg);
    // A full disk, a quota or an I/O error may clear (space freed, disk remounted): worth
    // a retry, and the retry wrapper bounds how long.
    case ENOSPC:
    case EDQUOT:
    case EIO:
    case EAGAIN:
    case ETIMEDOUT:
    case ESTALE: return Unavailable(msg);
    default: return Internal(msg);
  }
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("cannot write", path);
    }
    done += size_t(n);
  }
  return Status::Ok();
}

Result<std::string> ReadAt(int fd, uint64_t offset, uint64_t length, const std::string& path) {
  std::string out;
  FS_RETURN_IF_ERROR(ReadAtInto(fd, offset, length, path, &out));
  return out;
}

Status ReadAtInto(int fd, uint64_t offset, uint64_t length, const std::string& path,
                  std::string* out) {
  out->resize(length);
  uint64_t done = 0;
  while (done < length) {
    ssize_t n = ::pread(fd, out->data() + done, length - done, off_t(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("cannot read", path);
    }
    if (n == 0) {
      return DataLoss(path + " ended after " + std::to_string(offset + done) + " bytes; wanted " +
                      std::to_string(length) + " from offset " + std::to_string(offset));
    }
    done += uint64_t(n);
  }
  return Status::Ok();
}

Status FsyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open directory", dir);
  int rc = ::fsync(fd);
  Status s = rc == 0 ? Status::Ok() : ErrnoStatus("cannot fsync directory", dir);
  ::close(fd);
  return s;
}

Status MakeDirectory(const std::string& path, unsigned mode) {
  if (::mkdir(path.c_str(), mode) == 0) return Status::Ok();
  if (errno == EEXIST) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return Status::Ok();
    return FailedPrecondition(path + " exists and is not a directory");
  }
  return ErrnoStatus("cannot create directory", path);
}

}  // namespace failsafe::backup::posix

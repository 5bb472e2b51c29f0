#include "base/env.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>

namespace failsafe {
namespace {

Status IoError(const std::string& what, const std::string& path) {
  return Status(ErrorCode::kUnavailable, what + " " + path + ": " + std::strerror(errno));
}

class PosixEnv final : public Env {
 public:
  Result<std::string> ReadFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) return Err(NotFound("no such file: " + path));
      return Err(IoError("cannot open", path));
    }
    std::string out;
    char buf[65536];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0) {
        if (errno == EINTR) continue;
        Status s = IoError("cannot read", path);
        ::close(fd);
        return Err(s);
      }
      if (n == 0) break;
      out.append(buf, size_t(n));
    }
    ::close(fd);
    return out;
  }

  Status WriteFileAtomic(const std::string& path, std::string_view data, unsigned mode) override {
    std::string tmp = path + ".tmp." + std::to_string(::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) return IoError("cannot create", tmp);
    size_t done = 0;
    while (done < data.size()) {
      ssize_t n = ::write(fd, data.data() + done, data.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        Status s = IoError("cannot write", tmp);
        ::close(fd);
        ::unlink(tmp.c_str());
        return s;
      }
      done += size_t(n);
    }
    if (::fsync(fd) != 0) {
      Status s = IoError("cannot fsync", tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return s;
    }
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
      Status s = IoError("cannot rename onto", path);
      ::unlink(tmp.c_str());
      return s;
    }
    std::string dir = std::filesystem::path(path).parent_path().string();
    if (dir.empty()) dir = ".";
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      ::fsync(dfd);
      ::close(dfd);
    }
    return Status::Ok();
  }

  bool FileExists(const std::string& path) override { return ::access(path.c_str(), F_OK) == 0; }

  Status CreateDirs(const std::string& path, unsigned mode) override {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec)
      return Status(ErrorCode::kUnavailable,
                    "cannot create directory " + path + ": " + ec.message());
    ::chmod(path.c_str(), mode);
    return Status::Ok();
  }

  Status RemoveFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return IoError("cannot remove", path);
    return Status::Ok();
  }
};

class MemEnv final : public Env {
 public:
  Result<std::string> ReadFile(const std::string& path) override {
    std::lock_guard lock(mu_);
    auto it = files_.find(path);
    if (it == files_.end()) return Err(NotFound("no such file: " + path));
    return it->second;
  }
  Status WriteFileAtomic(const std::string& path, std::string_view data, unsigned) override {
    std::lock_guard lock(mu_);
    files_[path] = std::string(data);
    return Status::Ok();
  }
  bool FileExists(const std::string& path) override {
    std::lock_guard lock(mu_);
    return files_.count(path) > 0;
  }
  Status CreateDirs(const std::string&, unsigned) override { return Status::Ok(); }
  Status RemoveFile(const std::string& path) override {
    std::lock_guard lock(mu_);
    files_.erase(path);
    return Status::Ok();
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::string> files_;
};

}  // namespace

Env* Env::Default() {
  static PosixEnv env;
  return &env;
}

std::unique_ptr<Env> NewMemEnv() {
  return std::make_unique<MemEnv>();
}

}  // namespace failsafe

#include "backup/backend/sftp_backend.h"

#include <fcntl.h>

#include <deque>

#include "base/encoding.h"
#include "base/random.h"

namespace failsafe::backup {
namespace {

constexpr size_t kReadsInFlight = 8;

struct FileCloser {
  void operator()(sftp_file_struct* f) const { sftp_close(f); }
};
using File = std::unique_ptr<sftp_file_struct, FileCloser>;

struct AttributesFree {
  void operator()(sftp_attributes_struct* a) const { sftp_attributes_free(a); }
};
using Attributes = std::unique_ptr<sftp_attributes_struct, AttributesFree>;

}  // namespace

SftpBackend::SftpBackend(SftpTarget target, SftpOptions options)
    : target_(std::move(target)), options_(std::move(options)) {
  while (target_.path.size() > 1 && target_.path.back() == '/') target_.path.pop_back();
}

SftpBackend::~SftpBackend() = default;

std::string SftpBackend::Location() const {
  return "sftp://" + (target_.user.empty() ? "" : target_.user + "@") + target_.HostPort() +
         target_.path;
}

Result<SftpConnection*> SftpBackend::Connection() {
  if (conn_ && !drop_ && conn_->connected()) return conn_.get();
  conn_.reset();
  drop_ = false;
  auto opened = SftpConnection::Open(target_, options_);
  if (!opened) return Err(opened.error().WithContext(Location()));
  conn_ = std::move(*opened);
  return conn_.get();
}

Status SftpBackend::Failure(const std::string& what, const std::string& path) {
  const std::string msg = what + " " + path + " on " + target_.HostPort();
  if (!conn_) return Unavailable(msg + ": not connected");
  const int code = sftp_get_error(conn_->sftp());
  if (!conn_->connected() || code == SSH_FX_NO_CONNECTION || code == SSH_FX_CONNECTION_LOST) {
    std::string why = conn_->LastSshError();
    drop_ = true;  // the next call opens a new session
    return Unavailable(msg + ": the connection dropped (" + why + ")");
  }
  switch (code) {
    case SSH_FX_NO_SUCH_FILE:
    case SSH_FX_NO_SUCH_PATH: return NotFound(msg + ": no such file");
    case SSH_FX_PERMISSION_DENIED:
    case SSH_FX_WRITE_PROTECT: return PermissionDenied(msg + ": permission denied");
    case SSH_FX_FILE_ALREADY_EXISTS: return AlreadyExists(msg + ": already exists");
    case SSH_FX_OK:
      // No SFTP status: the failure was in the SSH layer (a timeout, a broken packet).
      drop_ = true;
      return Unavailable(msg + ": the session failed");
    default: return Internal(msg + ": SFTP error " + std::to_string(code));
  }
}

Result<std::string> SftpBackend::PathOf(FileType type, const std::string& name) const {
  FS_ASSIGN_OR_RETURN(std::string rel, RelativePath(type, name));
  return target_.path + "/" + rel;
}

Status SftpBackend::MakeDirectory(const std::string& path) {
  if (sftp_mkdir(conn_->sftp(), path.c_str(), 0700) == 0) return Status::Ok();
  // SFTP v3 reports an existing directory as a plain failure: look before blaming.
  Attributes a(sftp_stat(conn_->sftp(), path.c_str()));
  if (a && a->type == SSH_FILEXFER_TYPE_DIRECTORY) return Status::Ok();
  return Failure("cannot create directory", path);
}

Status SftpBackend::Create() {
  std::lock_guard lock(mu_);
  FS_ASSIGN_OR_RETURN_STATUS(SftpConnection * c, Connection());
  Attributes config(sftp_stat(c->sftp(), (target_.path + "/config").c_str()));
  if (config) return AlreadyExists("a repository already exists at " + Location());
  for (size_t pos = target_.path.find('/', 1); pos != std::string::npos;
       pos = target_.path.find('/', pos + 1)) {
    FS_RETURN_STATUS_IF_ERROR(MakeDirectory(target_.path.substr(0, pos)));
  }
  FS_RETURN_STATUS_IF_ERROR(MakeDirectory(target_.path));
  for (const std::string& dir : LayoutDirectories()) {
    FS_RETURN_STATUS_IF_ERROR(MakeDirectory(target_.path + "/" + dir));
  }
  return Status::Ok();
}

Status SftpBackend::WriteTemp(const std::string& tmp, std::string_view data) {
  File f(sftp_open(conn_->sftp(), tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600));
  if (!f) return Failure("cannot create", tmp);
  for (size_t done = 0; done < data.size();) {
    size_t n = std::min(conn_->max_io(), data.size() - done);
    ssize_t wrote = sftp_write(f.get(), data.data() + done, n);
    if (wrote <= 0) return Failure("cannot write", tmp);
    done += size_t(wrote);
  }
  if (conn_->has_fsync() && sftp_fsync(f.get()) != 0) return Failure("cannot fsync", tmp);
  if (sftp_close(f.release()) != 0) return Failure("cannot close", tmp);
  return Status::Ok();
}

Status SftpBackend::Save(FileType type, const std::string& name, std::string_view data) {
  FS_ASSIGN_OR_RETURN_STATUS(std::string path, PathOf(type, name));
  std::lock_guard lock(mu_);
  FS_ASSIGN_OR_RETURN_STATUS(SftpConnection * c, Connection());
  Attributes existing(sftp_stat(c->sftp(), path.c_str()));
  if (existing) {
    FS_ASSIGN_OR_RETURN_STATUS(std::string content, LoadLocked(path, 0, 0));
    if (content == data) return Status::Ok();
    return AlreadyExists(std::string(NameOf(type)) + " " + name + " already exists at " +
                         Location() + " with other content");
  }
  // A '.' in the name: List never mistakes it for a file.
  const std::string tmp = path + ".tmp-" + HexEncode(RandomBytes(8));
  Status s = WriteTemp(tmp, data);
  if (s.ok() && sftp_rename(conn_->sftp(), tmp.c_str(), path.c_str()) != 0) {
    s = Failure("cannot rename into place", path);
  }
  if (!s.ok() && conn_) sftp_unlink(conn_->sftp(), tmp.c_str());
  return s;
}

Result<std::string> SftpBackend::LoadLocked(const std::string& path, uint64_t offset,
                                            uint64_t length) {
  File f(sftp_open(conn_->sftp(), path.c_str(), O_RDONLY, 0));
  if (!f) return Err(Failure("cannot open", path));
  Attributes a(sftp_fstat(f.get()));
  if (!a) return Err(Failure("cannot stat", path));
  const uint64_t size = a->size;
  if (offset > size || (length > 0 && length > size - offset)) {
    return Err(DataLoss(path + " on " + target_.HostPort() + " has " + std::to_string(size) +
                        " bytes; wanted " + (length ? std::to_string(length) : "the rest") +
                        " from offset " + std::to_string(offset)));
  }
  if (length == 0) length = size - offset;
  FS_RETURN_IF_ERROR(CheckLoadSize(length, path + " on " + target_.HostPort()));
  std::string out(length, '\0');
  FS_RETURN_IF_ERROR(ReadPipelined(f.get(), path, offset, &out));
  return out;
}

// Keeps several read requests in flight, so a restore over a link with latency is not one
// round trip per chunk.
Status SftpBackend::ReadPipelined(sftp_file f, const std::string& path, uint64_t offset,
                                  std::string* out) {
  struct Pending {
    int id;
    size_t want;
  };
  std::deque<Pending> pending;
  const uint64_t length = out->size();
  uint64_t requested = 0, done = 0;
  if (sftp_seek64(f, offset) != 0) return Failure("cannot seek in", path);
  while (done < length) {
    while (pending.size() < kReadsInFlight && requested < length) {
      size_t want = size_t(std::min<uint64_t>(conn_->max_io(), length - requested));
      int id = sftp_async_read_begin(f, uint32_t(want));
      if (id < 0) return Failure("cannot read", path);
      pending.push_back({id, want});
      requested += want;
    }
    Pending next = pending.front();
    pending.pop_front();
    int got = sftp_async_read(f, out->data() + done, uint32_t(next.want), uint32_t(next.id));
    if (got < 0) return Failure("cannot read", path);
    if (got == 0) {
      return DataLoss(path + " on " + target_.HostPort() + " ended after " +
                      std::to_string(offset + done) + " bytes");
    }
    done += uint64_t(got);
    if (size_t(got) < next.want) {
      // A short answer leaves a gap before the requests behind it: collect those answers,
      // then ask again from where the data stopped.
      for (const Pending& p : pending) {
        std::string discard(p.want, '\0');
        if (sftp_async_read(f, discard.data(), uint32_t(p.want), uint32_t(p.id)) < 0) {
          return Failure("cannot read", path);
        }
      }
      pending.clear();
      requested = done;
      if (sftp_seek64(f, offset + done) != 0) return Failure("cannot seek in", path);
    }
  }
  return Status::Ok();
}

Result<std::string> SftpBackend::Load(FileType type, const std::string& name, uint64_t offset,
                                      uint64_t length) {
  FS_ASSIGN_OR_RETURN(std::string path, PathOf(type, name));
  std::lock_guard lock(mu_);
  FS_RETURN_IF_ERROR(StatusOf(Connection()));
  return LoadLocked(path, offset, length);
}

Result<FileInfo> SftpBackend::Stat(FileType type, const std::string& name) {
  FS_ASSIGN_OR_RETURN(std::string path, PathOf(type, name));
  std::lock_guard lock(mu_);
  FS_ASSIGN_OR_RETURN(SftpConnection * c, Connection());
  Attributes a(sftp_stat(c->sftp(), path.c_str()));
  if (!a) return Err(Failure("cannot stat", path));
  return FileInfo{name, a->size};
}

Status SftpBackend::ListDirectory(FileType type, const std::string& dir,
                                  std::vector<FileInfo>* out) {
  sftp_dir d = sftp_opendir(conn_->sftp(), dir.c_str());
  if (d == nullptr) return Failure("cannot list", dir);
  while (Attributes a{sftp_readdir(conn_->sftp(), d)}) {
    if (a->name == nullptr || a->type != SSH_FILEXFER_TYPE_REGULAR) continue;
    std::string name = a->name;
    if (!IsValidName(type, name)) continue;
    // A pack is only where the layout puts it: data/<its first two characters>/.
    if (type == FileType::kPack && !dir.ends_with("/" + name.substr(0, 2))) continue;
    out->push_back({std::move(name), a->size});
  }
  Status s = sftp_dir_eof(d) ? Status::Ok() : Failure("cannot finish listing", dir);
  sftp_closedir(d);
  return s;
}

Result<std::vector<FileInfo>> SftpBackend::List(FileType type) {
  std::vector<FileInfo> out;
  if (type == FileType::kConfig) {
    auto info = Stat(type, "config");
    if (info) out.push_back(*info);
    if (!info && info.error().code() != ErrorCode::kNotFound) return Err(info.error());
    return out;
  }
  const std::string dir = target_.path + "/" + std::string(DirectoryOf(type));
  std::lock_guard lock(mu_);
  FS_RETURN_IF_ERROR(StatusOf(Connection()));
  if (type != FileType::kPack) {
    FS_RETURN_IF_ERROR(ListDirectory(type, dir, &out));
    return out;
  }
  std::vector<FileInfo> subdirs;
  sftp_dir d = sftp_opendir(conn_->sftp(), dir.c_str());
  if (d == nullptr) return Err(Failure("cannot list", dir));
  while (Attributes a{sftp_readdir(conn_->sftp(), d)}) {
    std::string sub = a->name ? a->name : "";
    if (a->type == SSH_FILEXFER_TYPE_DIRECTORY && sub.size() == 2 &&
        IsValidName(FileType::kPack, sub)) {
      subdirs.push_back({sub, 0});
    }
  }
  sftp_closedir(d);
  for (const FileInfo& sub : subdirs) {
    FS_RETURN_IF_ERROR(ListDirectory(type, dir + "/" + sub.name, &out));
  }
  return out;
}

Status SftpBackend::Remove(FileType type, const std::string& name) {
  FS_ASSIGN_OR_RETURN_STATUS(std::string path, PathOf(type, name));
  std::lock_guard lock(mu_);
  FS_ASSIGN_OR_RETURN_STATUS(SftpConnection * c, Connection());
  if (sftp_unlink(c->sftp(), path.c_str()) != 0) return Failure("cannot remove", path);
  return Status::Ok();
}

}  // namespace failsafe::backup

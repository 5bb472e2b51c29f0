#pragma once
// SftpBackend: a repository in a directory on an SSH server, over SFTP (libssh). Same layout
// as LocalBackend. Save writes "<name>.tmp-<random>" (fsync@openssh.com where offered) and
// renames it into place (libssh uses posix-rename@openssh.com where the server has it), so a
// dropped connection leaves the whole file or none. The session is opened on first use and
// again after it drops: the failing call returns Unavailable, which RetryBackend retries.
// Calls are serialised on the one session.
#include <memory>
#include <mutex>

#include "backup/backend/backend.h"
#include "backup/backend/backend_options.h"
#include "backup/backend/sftp_connection.h"

namespace failsafe::backup {

class SftpBackend final : public Backend {
 public:
  SftpBackend(SftpTarget target, SftpOptions options);
  ~SftpBackend() override;

  std::string Location() const override;
  MediaKind Media() const override { return MediaKind::kRemoteServer; }

  Status Create() override;
  Status Save(FileType type, const std::string& name, std::string_view data) override;
  Result<std::string> Load(FileType type, const std::string& name, uint64_t offset = 0,
                           uint64_t length = 0) override;
  Result<FileInfo> Stat(FileType type, const std::string& name) override;
  Result<std::vector<FileInfo>> List(FileType type) override;
  Status Remove(FileType type, const std::string& name) override;

 private:
  // The session, opened if needed. Callers hold mu_.
  Result<SftpConnection*> Connection();
  // The Status for the SFTP call that just failed; marks a session that is gone.
  Status Failure(const std::string& what, const std::string& path);
  Result<std::string> PathOf(FileType type, const std::string& name) const;
  Result<std::string> LoadLocked(const std::string& path, uint64_t offset, uint64_t length);
  Status ReadPipelined(sftp_file f, const std::string& path, uint64_t offset, std::string* out);
  Status WriteTemp(const std::string& tmp, std::string_view data);
  Status MakeDirectory(const std::string& path);
  Status ListDirectory(FileType type, const std::string& dir, std::vector<FileInfo>* out);

  SftpTarget target_;
  SftpOptions options_;
  std::mutex mu_;
  std::unique_ptr<SftpConnection> conn_;
  // Set when a call found the session dead. The session is dropped at the next call, not at
  // once: open file and directory handles of the failing call still point into it.
  bool drop_ = false;
};

}  // namespace failsafe::backup

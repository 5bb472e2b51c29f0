#pragma once
// SftpConnection: one logged-in SSH session with its SFTP channel (libssh). Opening it checks
// the server's host key against known_hosts (or an accepted fingerprint) before any
// credential is offered, then logs in with a key file or the ssh agent. Not thread-safe:
// SftpBackend serialises its use.
#include <libssh/libssh.h>
#include <libssh/sftp.h>

#include <memory>
#include <string>

#include "backup/backend/backend_options.h"
#include "base/result.h"

namespace failsafe::backup {

struct SftpTarget {
  std::string user;  // empty: the local user name
  std::string host;
  int port = 22;
  std::string path;  // the repository directory on the server

  std::string HostPort() const;  // "host:port", IPv6 in brackets
};

class SftpConnection {
 public:
  // Unavailable when the server cannot be reached; PermissionDenied naming the host and the
  // fingerprint when its host key is unknown (with strict checking) or changed;
  // Unauthenticated when the login is refused.
  static Result<std::unique_ptr<SftpConnection>> Open(const SftpTarget& target,
                                                      const SftpOptions& options);
  ~SftpConnection();
  SftpConnection(const SftpConnection&) = delete;
  SftpConnection& operator=(const SftpConnection&) = delete;

  sftp_session sftp() const { return sftp_; }
  bool connected() const;
  bool has_fsync() const { return has_fsync_; }
  // Bytes per read or write request. Each write waits for its answer (libssh 0.10 has no
  // pipelined writes), so the size sets the throughput: 255 KiB for servers that announce
  // limits@openssh.com (OpenSSH 8.6+ takes 256 KiB messages), else the 32 KiB every SFTP
  // server must take.
  size_t max_io() const { return max_io_; }
  std::string LastSshError() const;

 private:
  SftpConnection() = default;
  ssh_session ssh_ = nullptr;
  sftp_session sftp_ = nullptr;
  bool has_fsync_ = false;
  size_t max_io_ = 32 * 1024;
};

// The SHA256 fingerprint of the server's host key, as ssh-keygen -l prints it ("SHA256:...").
std::string HostKeyFingerprint(ssh_session session);

}  // namespace failsafe::backup

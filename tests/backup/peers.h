#pragma once
// The real peers the backup destination tests run on 127.0.0.1: OpenSSH's sshd (internal-sftp)
// with a temporary host key and an authorized temporary client key, and s3rver (npm) on a temp
// directory. Each starts on a free port in its own temp directory and is stopped by its
// destructor.
#include <memory>
#include <string>
#include <vector>

#include "backup/backend/backend_options.h"
#include "tests/support/peer_process.h"
#include "tests/support/process.h"

namespace failsafe::backup::testing {

// Waits until something accepts TCP connections on 127.0.0.1:port.
bool WaitForTcp(int port, int timeout_ms);

class SshdPeer {
 public:
  SshdPeer();  // see error() when it did not come up
  ~SshdPeer();

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  const std::string& user() const { return user_; }
  // Options that log in with the client key and trust exactly the temp host key.
  SftpOptions Options() const;
  std::string HostFingerprint() const { return host_fingerprint_; }
  const std::string& dir() const { return dir_.path(); }
  // sftp://user@127.0.0.1:port/<dir>/<name>
  std::string Url(const std::string& name) const;
  // SIGKILLs every session process (children of the listener): clients see a dropped session.
  int KillSessions();
  std::string log() const { return sshd_ ? sshd_->log() : ""; }

 private:
  std::string Run(const std::string& binary, const std::vector<std::string>& args);
  failsafe::testing::TempDir dir_;
  std::string error_;
  int port_ = 0;
  std::string user_;
  std::string host_fingerprint_;
  std::unique_ptr<failsafe::testing::PeerProcess> sshd_;
};

class S3rverPeer {
 public:
  // tls: serve https with a self-signed certificate for 127.0.0.1 (see ca_file()).
  explicit S3rverPeer(bool tls = false);
  ~S3rverPeer();

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  // s3rver's fixed credentials (S3RVER / S3RVER).
  S3Options Options() const;
  std::string Url(const std::string& bucket_and_prefix) const;  // s3://127.0.0.1:port/...
  std::string ca_file() const { return dir_.path() + "/cert.pem"; }
  void Stop();
  std::string log() const { return s3rver_ ? s3rver_->log() : ""; }

 private:
  failsafe::testing::TempDir dir_;
  std::string error_;
  int port_ = 0;
  std::unique_ptr<failsafe::testing::PeerProcess> s3rver_;
};

}  // namespace failsafe::backup::testing

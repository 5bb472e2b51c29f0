#include "backup/backend/sftp_connection.h"

#include <unistd.h>

#include <cstdlib>

namespace failsafe::backup {
namespace {

Status CheckHostKey(ssh_session s, const SftpTarget& target, const SftpOptions& options) {
  const std::string fingerprint = HostKeyFingerprint(s);
  if (fingerprint.empty()) return Unavailable("cannot read the host key of " + target.HostPort());
  if (!options.accept_fingerprint.empty() && options.accept_fingerprint == fingerprint) {
    return Status::Ok();
  }
  const std::string known =
      options.known_hosts_file.empty() ? "~/.ssh/known_hosts" : options.known_hosts_file;
  switch (ssh_session_is_known_server(s)) {
    case SSH_KNOWN_HOSTS_OK: return Status::Ok();
    case SSH_KNOWN_HOSTS_CHANGED:
    case SSH_KNOWN_HOSTS_OTHER:
      return PermissionDenied("the host key of " + target.HostPort() + " has CHANGED: it now is " +
                              fingerprint + ", which " + known +
                              " does not list for it. Someone may be intercepting the "
                              "connection; if the server really got a new key, update " +
                              known);
    case SSH_KNOWN_HOSTS_UNKNOWN:
    case SSH_KNOWN_HOSTS_NOT_FOUND:
      if (!options.strict_host_key_checking) return Status::Ok();
      return PermissionDenied("the host key of " + target.HostPort() + " (" + fingerprint +
                              ") is not in " + known +
                              "; check the fingerprint with the server's owner, then add it "
                              "(ssh-keyscan) or accept it with the fingerprint option");
    case SSH_KNOWN_HOSTS_ERROR: break;
  }
  return PermissionDenied("cannot check the host key of " + target.HostPort() + " against " +
                          known + ": " + ssh_get_error(s));
}

// Logs in with one private key file.
Status TryKeyFile(ssh_session s, const std::string& path, const std::string& passphrase,
                  const std::string& who) {
  if (::access(path.c_str(), R_OK) != 0) {
    return Unauthenticated("cannot read the identity file " + path);
  }
  ssh_key key = nullptr;
  if (ssh_pki_import_privkey_file(path.c_str(), passphrase.empty() ? nullptr : passphrase.c_str(),
                                  nullptr, nullptr, &key) != SSH_OK) {
    return Unauthenticated(path + " is not a private key, or its passphrase is wrong");
  }
  int rc = ssh_userauth_publickey(s, nullptr, key);
  ssh_key_free(key);
  if (rc == SSH_AUTH_SUCCESS) return Status::Ok();
  return Unauthenticated("the server refused the key " + path + " for " + who);
}

Status Login(ssh_session s, const SftpTarget& target, const SftpOptions& options) {
  const std::string who = (target.user.empty() ? std::string("the local user") : target.user) +
                          " at " + target.HostPort();
  if (!options.identity_file.empty()) {
    return TryKeyFile(s, options.identity_file, options.identity_passphrase, who);
  }
  if (ssh_userauth_agent(s, nullptr) == SSH_AUTH_SUCCESS) return Status::Ok();
  // The default keys, as ssh tries them. (Not ssh_userauth_publickey_auto: libssh 0.10 leaks
  // a buffer in it when the agent has no key.)
  const char* home = std::getenv("HOME");
  for (const char* file : {"id_ed25519", "id_ecdsa", "id_rsa"}) {
    if (home == nullptr) break;
    const std::string path = std::string(home) + "/.ssh/" + file;
    if (::access(path.c_str(), R_OK) == 0 && TryKeyFile(s, path, "", who).ok()) {
      return Status::Ok();
    }
  }
  return Unauthenticated("the server refused every key of the ssh agent and ~/.ssh for " + who +
                         "; give an identity file or load the key into the agent");
}

}  // namespace

std::string SftpTarget::HostPort() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return h + ":" + std::to_string(port);
}

std::string HostKeyFingerprint(ssh_session session) {
  ssh_key key = nullptr;
  if (ssh_get_server_publickey(session, &key) != SSH_OK) return "";
  unsigned char* hash = nullptr;
  size_t len = 0;
  std::string out;
  if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &len) == 0) {
    char* text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, len);
    if (text != nullptr) out = text;
    ssh_string_free_char(text);
    ssh_clean_pubkey_hash(&hash);
  }
  ssh_key_free(key);
  return out;
}

Result<std::unique_ptr<SftpConnection>> SftpConnection::Open(const SftpTarget& target,
                                                             const SftpOptions& options) {
  std::unique_ptr<SftpConnection> c(new SftpConnection());
  c->ssh_ = ssh_new();
  if (c->ssh_ == nullptr) return Err(Internal("cannot create an ssh session"));
  ssh_session s = c->ssh_;
  unsigned int port = unsigned(target.port);
  long timeout = long(options.connect_timeout.count());
  ssh_options_set(s, SSH_OPTIONS_HOST, target.host.c_str());
  ssh_options_set(s, SSH_OPTIONS_PORT, &port);
  ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &timeout);
  // Each SFTP write waits for its status: with Nagle's algorithm and delayed ACKs every such
  // round trip costs ~40 ms (64 MiB took 34 s on loopback).
  int nodelay = 1;
  ssh_options_set(s, SSH_OPTIONS_NODELAY, &nodelay);
  if (!target.user.empty()) ssh_options_set(s, SSH_OPTIONS_USER, target.user.c_str());
  if (!options.known_hosts_file.empty()) {
    ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, options.known_hosts_file.c_str());
  }
  if (ssh_connect(s) != SSH_OK) {
    return Err(Unavailable("cannot connect to " + target.HostPort() + ": " + ssh_get_error(s)));
  }
  FS_RETURN_IF_ERROR(CheckHostKey(s, target, options));
  FS_RETURN_IF_ERROR(Login(s, target, options));
  c->sftp_ = sftp_new(s);
  if (c->sftp_ == nullptr || sftp_init(c->sftp_) != SSH_OK) {
    return Err(Unavailable("cannot start SFTP on " + target.HostPort() + ": " + ssh_get_error(s)));
  }
  c->has_fsync_ = sftp_extension_supported(c->sftp_, "fsync@openssh.com", "1") == 1;
  if (sftp_extension_supported(c->sftp_, "limits@openssh.com", "1") == 1) {
    c->max_io_ = 255 * 1024;
  }
  return c;
}

SftpConnection::~SftpConnection() {
  if (sftp_ != nullptr) sftp_free(sftp_);
  if (ssh_ != nullptr) {
    ssh_disconnect(ssh_);
    ssh_free(ssh_);
  }
}

bool SftpConnection::connected() const {
  return ssh_ != nullptr && ssh_is_connected(ssh_) == 1;
}

std::string SftpConnection::LastSshError() const {
  return ssh_ ? ssh_get_error(ssh_) : "no session";
}

}  // namespace failsafe::backup

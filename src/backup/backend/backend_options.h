#pragma once
// Options for OpenBackend: what a --repo URL cannot say (credentials, host key policy,
// retries, bandwidth). Each backend reads only its own part.
#include <chrono>
#include <cstdint>
#include <string>

namespace failsafe::backup {

struct SftpOptions {
  // Private key file to log in with; empty: the ssh agent (SSH_AUTH_SOCK), then the default
  // keys in ~/.ssh.
  std::string identity_file;
  std::string identity_passphrase;  // for an encrypted identity file
  std::string known_hosts_file;     // empty: ~/.ssh/known_hosts
  // Refuse a server whose host key is not in known_hosts (or differs from it). Off: an
  // unknown key is accepted (a changed key is still refused).
  bool strict_host_key_checking = true;
  // A host key fingerprint ("SHA256:..." as ssh-keygen -lf prints it) accepted even when
  // known_hosts does not list it: for first contact from a script.
  std::string accept_fingerprint;
  std::chrono::seconds connect_timeout{30};
};

enum class S3Scheme { kAuto, kHttp, kHttps };  // kAuto: http on loopback, https elsewhere

struct S3Options {
  std::string access_key_id;      // empty: AWS_ACCESS_KEY_ID
  std::string secret_access_key;  // empty: AWS_SECRET_ACCESS_KEY
  std::string session_token;      // empty: AWS_SESSION_TOKEN (may stay empty)
  std::string region;             // empty: AWS_REGION, AWS_DEFAULT_REGION, then us-east-1
  S3Scheme scheme = S3Scheme::kAuto;
  std::string ca_file;  // extra CA bundle for https to a private endpoint
  std::chrono::seconds connect_timeout{30};
  std::chrono::seconds request_timeout{600};
};

struct RetryOptions {
  int max_attempts = 6;  // 1: no retries
  std::chrono::milliseconds initial_backoff{250};
  std::chrono::milliseconds max_backoff{30'000};
};

struct RateLimitOptions {
  uint64_t upload_bytes_per_second = 0;  // 0: unlimited
  uint64_t download_bytes_per_second = 0;
};

struct BackendOptions {
  SftpOptions sftp;
  S3Options s3;
  RetryOptions retry;
  RateLimitOptions rate_limit;
};

}  // namespace failsafe::backup

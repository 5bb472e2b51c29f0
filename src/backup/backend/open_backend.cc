#include "backup/backend/open_backend.h"

#include <cstdlib>

#include "backup/backend/local_backend.h"
#include "backup/backend/rate_limit_backend.h"
#include "backup/backend/retry_backend.h"
#include "backup/backend/s3_backend.h"
#include "backup/backend/sftp_backend.h"

namespace failsafe::backup {
namespace {

std::string OptionOrEnv(const std::string& option, std::initializer_list<const char*> vars) {
  if (!option.empty()) return option;
  for (const char* var : vars) {
    const char* v = std::getenv(var);
    if (v != nullptr && *v != '\0') return v;
  }
  return "";
}

bool IsLoopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

Result<std::unique_ptr<Backend>> OpenS3(const BackendUrl& url, const S3Options& o) {
  sigv4::Credentials credentials{OptionOrEnv(o.access_key_id, {"AWS_ACCESS_KEY_ID"}),
                                 OptionOrEnv(o.secret_access_key, {"AWS_SECRET_ACCESS_KEY"})};
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return Err(Unauthenticated("no S3 credentials for " + url.ToString() +
                               ": set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"));
  }
  s3::Endpoint e;
  e.host = url.host;
  e.port = url.port;
  e.https = o.scheme == S3Scheme::kHttps || (o.scheme == S3Scheme::kAuto && !IsLoopback(url.host));
  e.bucket = url.bucket;
  e.region = OptionOrEnv(o.region, {"AWS_REGION", "AWS_DEFAULT_REGION"});
  if (e.region.empty()) e.region = "us-east-1";
  e.ca_file = o.ca_file;
  e.connect_timeout_seconds = long(o.connect_timeout.count());
  e.request_timeout_seconds = long(o.request_timeout.count());
  return std::make_unique<S3Backend>(std::move(e), url.prefix, std::move(credentials),
                                     OptionOrEnv(o.session_token, {"AWS_SESSION_TOKEN"}));
}

}  // namespace

Result<std::unique_ptr<Backend>> OpenUnwrapped(const BackendUrl& url,
                                               const BackendOptions& options) {
  switch (url.kind) {
    case BackendUrl::Kind::kLocal: return std::make_unique<LocalBackend>(url.path);
    case BackendUrl::Kind::kSftp: {
      SftpTarget target{url.user, url.host, url.port ? url.port : 22, url.path};
      return std::make_unique<SftpBackend>(std::move(target), options.sftp);
    }
    case BackendUrl::Kind::kS3: return OpenS3(url, options.s3);
  }
  return Err(Internal("unknown backend kind"));
}

Result<std::unique_ptr<Backend>> OpenBackend(std::string_view url_or_path,
                                             const BackendOptions& options) {
  FS_ASSIGN_OR_RETURN(BackendUrl url, ParseBackendUrl(url_or_path));
  FS_ASSIGN_OR_RETURN(std::unique_ptr<Backend> backend, OpenUnwrapped(url, options));
  const RateLimitOptions& limit = options.rate_limit;
  if (limit.upload_bytes_per_second > 0 || limit.download_bytes_per_second > 0) {
    backend = std::make_unique<RateLimitBackend>(std::move(backend), limit);
  }
  if (options.retry.max_attempts > 1) {
    backend = std::make_unique<RetryBackend>(std::move(backend), options.retry);
  }
  return backend;
}

}  // namespace failsafe::backup

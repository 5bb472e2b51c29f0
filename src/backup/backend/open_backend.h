#pragma once
// OpenBackend: the Backend for a --repo value (a path, file://, sftp:// or s3://, see
// backend_url.h), wrapped in rate limiting when a limit is set and in retries when
// options.retry allows more than one attempt. Nothing is contacted yet: a server that cannot be
// reached or a refused login shows up at the first call.
#include <memory>
#include <string_view>

#include "backup/backend/backend.h"
#include "backup/backend/backend_options.h"
#include "backup/backend/backend_url.h"

namespace failsafe::backup {

Result<std::unique_ptr<Backend>> OpenBackend(std::string_view url_or_path,
                                             const BackendOptions& options = {});

// The unwrapped backend for a parsed URL. S3 credentials come from options.s3 or the
// environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN); missing ones are
// Unauthenticated.
Result<std::unique_ptr<Backend>> OpenUnwrapped(const BackendUrl& url,
                                               const BackendOptions& options);

}  // namespace failsafe::backup

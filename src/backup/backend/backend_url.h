#pragma once
// The --repo value: a local path (or file:///path), sftp://[user@]host[:port]/path or
// s3://host[:port]/bucket[/prefix]. Errors name the part that is wrong and never echo a
// password someone put in the URL.
#include <string>
#include <string_view>

#include "base/result.h"

namespace failsafe::backup {

struct BackendUrl {
  enum class Kind { kLocal, kSftp, kS3 };
  Kind kind = Kind::kLocal;
  std::string user;    // sftp; empty: the local user name
  std::string host;    // sftp and s3; without brackets for IPv6
  int port = 0;        // 0: the default (22 for sftp; 80/443 for s3)
  std::string path;    // local directory, or the absolute directory on the SFTP server
  std::string bucket;  // s3
  std::string prefix;  // s3: key prefix without leading or trailing '/', may be empty

  // The canonical form, for Location() and messages.
  std::string ToString() const;
};

Result<BackendUrl> ParseBackendUrl(std::string_view text);

}  // namespace failsafe::backup

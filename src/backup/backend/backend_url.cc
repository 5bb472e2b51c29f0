#include "backup/backend/backend_url.h"

#include <cctype>

namespace failsafe::backup {
namespace {

// The URL as it may appear in a message: "user:secret@" becomes "user:***@".
std::string Redacted(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url.substr(0, 300));
  size_t authority = scheme_end + 3;
  size_t slash = url.find('/', authority);
  std::string_view auth = url.substr(
      authority, slash == std::string_view::npos ? std::string_view::npos : slash - authority);
  size_t at = auth.rfind('@');
  size_t colon = auth.find(':');
  std::string out(url.substr(0, 300));
  if (at != std::string_view::npos && colon != std::string_view::npos && colon < at) {
    out = std::string(url.substr(0, authority + colon + 1)) + "***" +
          std::string(url.substr(authority + at, 300));
  }
  return out;
}

Status Bad(std::string_view url, const std::string& what) {
  return InvalidArgument("repository \"" + Redacted(url) + "\": " + what, "repo");
}

bool ParsePort(std::string_view digits, int* port) {
  if (digits.empty() || digits.size() > 5) return false;
  int value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > 65535) return false;
  *port = value;
  return true;
}

bool IsHostChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

// "host", "host:port", "[v6]" or "[v6]:port".
Status ParseHostPort(std::string_view url, std::string_view text, BackendUrl* out) {
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return Bad(url, "the IPv6 host has no closing ']'");
    out->host = std::string(text.substr(1, close - 1));
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return Bad(url, "unexpected text after the IPv6 host");
      port_text = rest.substr(1);
      if (port_text.empty()) return Bad(url, "the port after ':' is empty");
    }
    for (char c : out->host) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') {
        return Bad(url, "the IPv6 host has a character that is not hex, ':' or '.'");
      }
    }
  } else {
    size_t colon = text.rfind(':');
    out->host = std::string(text.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = text.substr(colon + 1);
      if (port_text.empty()) return Bad(url, "the port after ':' is empty");
    }
    for (char c : out->host) {
      if (!IsHostChar(c)) {
        return Bad(url,
                   std::string("the host has a character not allowed in host names: '") + c + "'");
      }
    }
  }
  if (out->host.empty()) return Bad(url, "the host is missing");
  if (!port_text.empty() && !ParsePort(port_text, &out->port)) {
    return Bad(url, "the port \"" + std::string(port_text.substr(0, 20)) +
                        "\" is not a number from 1 to 65535");
  }
  return Status::Ok();
}

Result<BackendUrl> ParseSftp(std::string_view url, std::string_view rest) {
  BackendUrl out;
  out.kind = BackendUrl::Kind::kSftp;
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash == std::string_view::npos || rest.size() == slash + 1) {
    return Err(Bad(url, "the path on the server is missing (sftp://user@host/path)"));
  }
  out.path = std::string(rest.substr(slash));
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view user = authority.substr(0, at);
    if (user.find(':') != std::string_view::npos) {
      return Err(Bad(url, "a password in the URL is not accepted: use an ssh key or agent"));
    }
    if (user.empty()) return Err(Bad(url, "the user before '@' is empty"));
    out.user = std::string(user);
    authority = authority.substr(at + 1);
  }
  FS_RETURN_IF_ERROR(ParseHostPort(url, authority, &out));
  while (out.path.size() > 1 && out.path.back() == '/') out.path.pop_back();
  return out;
}

bool IsValidBucket(std::string_view b) {
  if (b.size() < 3 || b.size() > 63) return false;
  for (char c : b) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.')) {
      return false;
    }
  }
  return b.front() != '-' && b.front() != '.' && b.back() != '-' && b.back() != '.';
}

Result<BackendUrl> ParseS3(std::string_view url, std::string_view rest) {
  BackendUrl out;
  out.kind = BackendUrl::Kind::kS3;
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (authority.find('@') != std::string_view::npos) {
    return Err(Bad(url,
                   "credentials in the URL are not accepted: use AWS_ACCESS_KEY_ID and "
                   "AWS_SECRET_ACCESS_KEY"));
  }
  FS_RETURN_IF_ERROR(ParseHostPort(url, authority, &out));
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
  size_t bucket_end = path.find('/');
  std::string_view bucket = path.substr(0, bucket_end);
  if (bucket.empty()) return Err(Bad(url, "the bucket is missing (s3://host:port/bucket/prefix)"));
  if (!IsValidBucket(bucket)) {
    return Err(Bad(url, "the bucket \"" + std::string(bucket.substr(0, 70)) +
                            "\" is not a valid bucket name (3 to 63 of a-z, 0-9, '-', '.')"));
  }
  out.bucket = std::string(bucket);
  std::string_view prefix = bucket_end == std::string_view::npos ? "" : path.substr(bucket_end + 1);
  while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
  if (prefix.find("//") != std::string_view::npos) {
    return Err(Bad(url, "the prefix has an empty part ('//')"));
  }
  for (char c : prefix) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Err(Bad(url, "the prefix has a control character"));
    }
  }
  out.prefix = std::string(prefix);
  return out;
}

}  // namespace

Result<BackendUrl> ParseBackendUrl(std::string_view text) {
  if (text.empty()) return Err(InvalidArgument("the repository location is empty", "repo"));
  size_t sep = text.find("://");
  if (sep == std::string_view::npos) {
    // restic's "sftp:host:/path" and "s3:host/bucket" look like paths but surely are not.
    for (std::string_view scheme : {"sftp:", "s3:"}) {
      if (text.starts_with(scheme)) {
        return Err(Bad(text, "write " + std::string(scheme) +
                                 "// URLs: sftp://user@host/path or "
                                 "s3://host:port/bucket/prefix"));
      }
    }
    BackendUrl out;
    out.path = std::string(text);
    while (out.path.size() > 1 && out.path.back() == '/') out.path.pop_back();
    return out;
  }
  std::string_view scheme = text.substr(0, sep);
  std::string_view rest = text.substr(sep + 3);
  if (scheme == "file") {
    if (rest.empty() || rest.front() != '/') {
      return Err(Bad(text, "a file URL takes an absolute path and no host (file:///srv/repo)"));
    }
    BackendUrl out;
    out.path = std::string(rest);
    while (out.path.size() > 1 && out.path.back() == '/') out.path.pop_back();
    return out;
  }
  if (scheme == "sftp") return ParseSftp(text, rest);
  if (scheme == "s3") return ParseS3(text, rest);
  return Err(Bad(text, "the scheme \"" + std::string(scheme.substr(0, 20)) +
                           "\" is not supported (use a path, file://, sftp:// or s3://)"));
}

std::string BackendUrl::ToString() const {
  auto host_port = [this] {
    std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return port ? h + ":" + std::to_string(port) : h;
  };
  switch (kind) {
    case Kind::kLocal: return path;
    case Kind::kSftp: return "sftp://" + (user.empty() ? "" : user + "@") + host_port() + path;
    case Kind::kS3:
      return "s3://" + host_port() + "/" + bucket + (prefix.empty() ? "" : "/" + prefix);
  }
  return path;
}

}  // namespace failsafe::backup

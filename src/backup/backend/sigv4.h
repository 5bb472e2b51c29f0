#pragma once
// AWS Signature Version 4 for S3 requests (the "Authorization" header form), written from the
// AWS specification: a canonical request, the string to sign, a signing key derived from the
// secret by four HMAC-SHA256 steps, and the signature. S3 differs from other services in one
// point: the path is URI-encoded once, not twice.
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace failsafe::backup::sigv4 {

using Pairs = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;          // "GET", "PUT", ...
  std::string path;            // not encoded: "/bucket/key with spaces"
  Pairs query;                 // not encoded, any order
  Pairs headers;               // every header to sign (host, x-amz-date, x-amz-content-sha256, ...)
  std::string payload_sha256;  // hex, or "UNSIGNED-PAYLOAD"
};

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
};

struct Scope {
  std::string date;     // YYYYMMDD, the date part of amz_date
  std::string region;   // "us-east-1"
  std::string service;  // "s3"
  std::string ToString() const { return date + "/" + region + "/" + service + "/aws4_request"; }
};

std::string Sha256Hex(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);  // raw 32 bytes
// Percent-encodes all but A-Z a-z 0-9 - . _ ~ (and '/' when keep_slash), uppercase hex.
std::string UriEncode(std::string_view text, bool keep_slash);
// "20130524T000000Z"
std::string AmzDate(std::chrono::system_clock::time_point t);

std::string CanonicalQuery(const Pairs& query);
std::string SignedHeaders(const Pairs& headers);  // "host;range;x-amz-date"
std::string CanonicalRequest(const Request& request);
std::string StringToSign(std::string_view amz_date, const Scope& scope,
                         std::string_view canonical_request);
std::string SigningKey(std::string_view secret, const Scope& scope);  // raw 32 bytes
// The value of the Authorization header.
std::string Authorization(const Request& request, const Credentials& credentials,
                          std::string_view amz_date, const Scope& scope);

}  // namespace failsafe::backup::sigv4

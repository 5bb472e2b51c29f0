#include "backup/backend/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <ctime>

#include "base/encoding.h"

namespace failsafe::backup::sigv4 {

std::string Sha256Hex(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(out), len));
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), int(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string UriEncode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
        (keep_slash && c == '/')) {
      out += char(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string AmzDate(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  ::gmtime_r(&secs, &tm);
  char buf[20];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string CanonicalQuery(const Pairs& query) {
  Pairs encoded;
  for (const auto& [k, v] : query) encoded.emplace_back(UriEncode(k, false), UriEncode(v, false));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [k, v] : encoded) {
    if (!out.empty()) out += '&';
    out += k + "=" + v;
  }
  return out;
}

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Trims the value and folds runs of spaces into one, as the canonical form requires.
std::string CanonicalValue(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

Pairs SortedHeaders(const Pairs& headers) {
  Pairs out;
  for (const auto& [k, v] : headers) out.emplace_back(Lower(k), CanonicalValue(v));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::string SignedHeaders(const Pairs& headers) {
  std::string out;
  for (const auto& [k, v] : SortedHeaders(headers)) {
    if (!out.empty()) out += ';';
    out += k;
  }
  return out;
}

std::string CanonicalRequest(const Request& request) {
  std::string out = request.method + "\n";
  out += UriEncode(request.path.empty() ? "/" : request.path, true) + "\n";
  out += CanonicalQuery(request.query) + "\n";
  for (const auto& [k, v] : SortedHeaders(request.headers)) out += k + ":" + v + "\n";
  out += "\n" + SignedHeaders(request.headers) + "\n";
  out += request.payload_sha256;
  return out;
}

std::string StringToSign(std::string_view amz_date, const Scope& scope,
                         std::string_view canonical_request) {
  return "AWS4-HMAC-SHA256\n" + std::string(amz_date) + "\n" + scope.ToString() + "\n" +
         Sha256Hex(canonical_request);
}

std::string SigningKey(std::string_view secret, const Scope& scope) {
  std::string k = HmacSha256("AWS4" + std::string(secret), scope.date);
  k = HmacSha256(k, scope.region);
  k = HmacSha256(k, scope.service);
  return HmacSha256(k, "aws4_request");
}

std::string Authorization(const Request& request, const Credentials& credentials,
                          std::string_view amz_date, const Scope& scope) {
  const std::string to_sign = StringToSign(amz_date, scope, CanonicalRequest(request));
  const std::string signature =
      HexEncode(HmacSha256(SigningKey(credentials.secret_access_key, scope), to_sign));
  return "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" + scope.ToString() +
         ",SignedHeaders=" + SignedHeaders(request.headers) + ",Signature=" + signature;
}

}  // namespace failsafe::backup::sigv4

#include "notify/signing.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

#include "base/encoding.h"

namespace failsafe::notify {

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out,
           &len) == nullptr) {
    throw std::runtime_error("HMAC-SHA256 failed");  // OpenSSL failure: a bug, not input
  }
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string DingTalkSign(std::string_view secret, int64_t timestamp_ms) {
  const std::string to_sign = std::to_string(timestamp_ms) + "\n" + std::string(secret);
  return Base64Encode(HmacSha256(secret, to_sign));
}

std::string DingTalkSignedUrl(const std::string& url, std::string_view secret,
                              int64_t timestamp_ms) {
  const char sep = url.find('?') == std::string::npos ? '?' : '&';
  return url + sep + "timestamp=" + std::to_string(timestamp_ms) +
         "&sign=" + UrlEncode(DingTalkSign(secret, timestamp_ms));
}

std::string FeishuSign(std::string_view secret, int64_t timestamp_s) {
  const std::string key = std::to_string(timestamp_s) + "\n" + std::string(secret);
  return Base64Encode(HmacSha256(key, ""));
}

std::string WebhookSignature(std::string_view secret, std::string_view timestamp,
                             std::string_view body) {
  std::string data(timestamp);
  data += '.';
  data += body;
  return "sha256=" + HexEncode(HmacSha256(secret, data));
}

}  // namespace failsafe::notify

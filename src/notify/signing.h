#pragma once
// The signatures the chat platforms and failsafe's generic webhook use (HMAC-SHA256).
// Pure functions; thread-safe.
#include <cstdint>
#include <string>
#include <string_view>

namespace failsafe::notify {

// Raw 32-byte HMAC-SHA256 of `data` under `key`.
std::string HmacSha256(std::string_view key, std::string_view data);

// DingTalk: Base64(HMAC-SHA256(key = secret, message = timestamp_ms + "\n" + secret)),
// not yet URL-encoded.
std::string DingTalkSign(std::string_view secret, int64_t timestamp_ms);
// `url` with "&timestamp=MS&sign=URL-ENCODED-SIGN" appended ('?' when it has no query).
std::string DingTalkSignedUrl(const std::string& url, std::string_view secret,
                              int64_t timestamp_ms);

// Feishu: Base64(HMAC-SHA256(key = timestamp_s + "\n" + secret, message = "")).
std::string FeishuSign(std::string_view secret, int64_t timestamp_s);

// Generic webhook: "sha256=" + hex(HMAC-SHA256(secret, timestamp + "." + body)).
std::string WebhookSignature(std::string_view secret, std::string_view timestamp,
                             std::string_view body);

}  // namespace failsafe::notify

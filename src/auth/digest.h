#pragma once
// Hashes and MACs used across the auth module (OpenSSL). Pure functions; thread-safe.
#include <string>
#include <string_view>

namespace failsafe::auth {

// Lower-case hex SHA-256 of `data` (how session and API token secrets are stored).
std::string Sha256Hex(std::string_view data);

// Lower-case hex HMAC-SHA256 of `data` under `key` (the audit chain).
std::string HmacSha256Hex(std::string_view key, std::string_view data);

}  // namespace failsafe::auth

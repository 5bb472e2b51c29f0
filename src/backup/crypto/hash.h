#pragma once
// SHA-256 and HMAC-SHA256 through OpenSSL 3 (SHA-NI where the CPU has it). Thread-safe: each
// thread keeps its own contexts, so hashing a chunk allocates nothing.
#include <array>
#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "backup/crypto/secret_key.h"

namespace failsafe::backup::crypto {

using Digest = std::array<uint8_t, 32>;

Digest Sha256(std::string_view data);

// HMAC-SHA256 of the concatenation of `parts` under `key`.
Digest HmacSha256(const SecretKey& key, std::initializer_list<std::string_view> parts);
inline Digest HmacSha256(const SecretKey& key, std::string_view data) {
  return HmacSha256(key, {data});
}

std::string_view AsView(const Digest& d);

}  // namespace failsafe::backup::crypto

#pragma once
// Key derivation: Argon2id for passwords (libsodium crypto_pwhash), HKDF-SHA256 for secrets
// that already have full entropy (key files).
#include <cstdint>
#include <string_view>

#include "backup/crypto/secret_key.h"
#include "base/result.h"

namespace failsafe::backup::crypto {

inline constexpr size_t kArgon2SaltSize = 16;
// Bounds on stored parameters: a tampered key file must not make opening hang or exhaust memory.
inline constexpr uint64_t kArgon2MaxOpslimit = 64;
inline constexpr uint64_t kArgon2MaxMemlimit = 4ull << 30;

// Fails with InvalidArgument when the parameters are outside libsodium's or our bounds, and
// ResourceExhausted-like Internal when libsodium cannot get the memory.
Result<SecretKey> Argon2id(std::string_view password, std::string_view salt, uint64_t opslimit,
                           uint64_t memlimit);

Result<SecretKey> HkdfSha256(std::string_view secret, std::string_view salt, std::string_view info);

}  // namespace failsafe::backup::crypto

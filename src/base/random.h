#pragma once
// Cryptographically secure randomness (libsodium's randombytes). Thread-safe.
#include <cstddef>
#include <string>

namespace failsafe {

// n random bytes.
std::string RandomBytes(size_t n);
// n random bytes as Base64url text: tokens, session ids, nonces shown to people or put in URLs.
std::string RandomToken(size_t n_bytes = 32);
// Constant-time comparison of two equal-length secrets; false when lengths differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace failsafe

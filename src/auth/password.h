#pragma once
// Password hashing (Argon2id through libsodium's crypto_pwhash_str, interactive limits) and the
// password policy. All functions are thread-safe.
#include <string>
#include <string_view>

#include "base/result.h"

namespace failsafe::auth {

// Limits of the policy, exposed for messages and tests.
inline constexpr size_t kMinPasswordCodePoints = 12;
inline constexpr size_t kMaxPasswordBytes = 1024;

// Checks `password` against the policy: valid UTF-8, at least 12 code points, at most 1024
// bytes, not in the shipped list of common passwords (case-insensitive), not containing the
// username (case-insensitive; usernames of 3+ characters), not one repeated character, a short
// repeated pattern or a trivial keyboard/alphabet/number sequence.
// OK, or kInvalidArgument with field "password" and a message saying which rule failed.
// The message never contains the password.
Status CheckPasswordPolicy(std::string_view password, std::string_view username);

// Argon2id hash in the PHC string format ("$argon2id$v=19$m=65536,t=2,p=1$..."). Spends about
// 64 MiB and a fraction of a second. kInternal only when libsodium runs out of memory.
Result<std::string> HashPassword(std::string_view password);

// True when `password` matches `hash` (constant time inside libsodium). False for a malformed
// hash, never a crash.
bool VerifyPassword(std::string_view password, const std::string& hash);

// Spends the same work as VerifyPassword against a fixed hash; used for unknown users so the
// response time does not reveal whether a username exists.
void SpendDummyVerify(std::string_view password);

// True when `hash` was made with other parameters than the current ones (rehash on login).
bool PasswordNeedsRehash(const std::string& hash);

// True when `password` (case-insensitive) is in the shipped common-password list.
bool IsCommonPassword(std::string_view password);

}  // namespace failsafe::auth

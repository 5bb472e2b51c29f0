#pragma once
// TOTP (RFC 6238 over HMAC-SHA1, RFC 4226 truncation) and recovery codes. Pure functions over
// bytes and times; thread-safe. Replay protection lives with the caller, which stores the last
// accepted time step per user and passes it in.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace failsafe::auth {

inline constexpr int kTotpDigits = 6;
inline constexpr int64_t kTotpPeriodSeconds = 30;
inline constexpr int kTotpSecretBytes = 20;  // 160 bits, the RFC 4226 recommendation
inline constexpr int kRecoveryCodeCount = 10;

// The time step containing `unix_millis` (floor(seconds / 30)).
int64_t TotpStep(int64_t unix_millis);

// The code for a key and a time step, zero-padded to `digits` (6..9).
std::string TotpCode(std::string_view key, int64_t step, int digits = kTotpDigits);

// Checks a 6-digit code against the steps now-1, now, now+1 (clock drift) and returns the step
// it matched, or nullopt when it matches none or only steps <= `last_used_step` (a replay).
// Comparison is constant-time per step. Malformed codes (wrong length, non-digits) -> nullopt.
std::optional<int64_t> VerifyTotp(std::string_view key, std::string_view code, int64_t unix_millis,
                                  int64_t last_used_step);

// A new random secret of kTotpSecretBytes bytes.
std::string NewTotpSecret();

// otpauth://totp/failsafe:USER?secret=BASE32&issuer=failsafe (the username is URL-encoded).
std::string OtpauthUri(std::string_view username, std::string_view secret);

// Ten new recovery codes, "xxxxx-xxxxx" (Base32 lower case, 50 random bits each). Shown once.
std::vector<std::string> NewRecoveryCodes();

// Hex SHA-256 of a recovery code after normalisation (lower case; spaces and dashes removed),
// so "ABCDE-FGHIJ" and "abcdefghij" are the same code. Only the hash is stored.
std::string HashRecoveryCode(std::string_view code);

}  // namespace failsafe::auth

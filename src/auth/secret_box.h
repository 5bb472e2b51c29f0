#pragma once
// SecretBox: authenticated encryption of secrets at rest (TOTP seeds now; webhook URLs, SMTP
// passwords and backup keys later) with AES-256-GCM.
//
// Sealed format: "v1:" + Base64(nonce[12] | ciphertext | tag[16]). The additional data `aad`
// binds a secret to where it belongs (e.g. "users.totp_secret:42"), so a sealed value copied to
// another row does not open. Immutable after construction; thread-safe.
#include <string>
#include <string_view>

#include "base/result.h"

namespace failsafe::auth {

inline constexpr size_t kSecretKeyBytes = 32;

class SecretBox {
 public:
  // kInvalidArgument unless `key` is exactly 32 bytes.
  static Result<SecretBox> Create(std::string key);

  // Encrypts with a fresh random nonce. Never fails (an OpenSSL failure is a bug: throws).
  std::string Seal(std::string_view plaintext, std::string_view aad) const;

  // Decrypts. kDataLoss for anything that is not a value sealed by this key with this aad:
  // wrong prefix, bad Base64, too short, tampered bytes, wrong key or wrong aad.
  Result<std::string> Open(std::string_view sealed, std::string_view aad) const;

 private:
  explicit SecretBox(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

}  // namespace failsafe::auth

#pragma once
// AES-256-GCM sealing as the format stores it: nonce (12, random) || ciphertext || tag (16),
// with associated data naming the object's role (docs/backup-format.md, "Encryption of
// objects"). Thread-safe; contexts are per thread and keep the key schedule between calls.
#include <string>
#include <string_view>

#include "backup/crypto/secret_key.h"
#include "base/status.h"

namespace failsafe::backup::crypto {

inline constexpr size_t kNonceSize = 12;
inline constexpr size_t kTagSize = 16;
inline constexpr size_t kSealOverhead = kNonceSize + kTagSize;

// Writes nonce || AES-256-GCM(plaintext) || tag to `out`, which has room for
// plaintext.size() + kSealOverhead bytes (no std::string zero-filling on the hot path).
void SealTo(const SecretKey& key, std::string_view plaintext, std::string_view aad, char* out);

// Appends nonce || AES-256-GCM(plaintext) || tag to *out.
void SealAppend(const SecretKey& key, std::string_view plaintext, std::string_view aad,
                std::string* out);
inline std::string Seal(const SecretKey& key, std::string_view plaintext, std::string_view aad) {
  std::string out;
  SealAppend(key, plaintext, aad, &out);
  return out;
}

// Opens what Seal produced into *out (replacing its content). Fails with DataLoss naming
// `what` ("pack 3fa1... header") when the input is too short or does not authenticate.
Status Open(const SecretKey& key, std::string_view sealed, std::string_view aad, std::string* out,
            std::string_view what);

}  // namespace failsafe::backup::crypto

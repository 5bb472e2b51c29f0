#pragma once
// Key files (docs/backup-format.md, "Keys"): JSON holding the master key wrapped under a
// key-encryption key derived from a password (Argon2id) or a key file's secret (HKDF).
#include <cstdint>
#include <string>
#include <string_view>

#include "backup/crypto/master_key.h"
#include "base/result.h"

namespace failsafe::backup::crypto {

inline constexpr std::string_view kKindPassword = "password";
inline constexpr std::string_view kKindKeyFile = "keyfile";
inline constexpr size_t kKeyFileSecretSize = 32;

struct KdfParams {
  std::string name;  // "argon2id" or "hkdf-sha256"
  uint64_t opslimit = 0;
  uint64_t memlimit = 0;
  std::string salt;  // raw bytes
};

struct KeyFile {
  int version = 1;
  std::string kind;     // kKindPassword or kKindKeyFile
  std::string created;  // RFC 3339
  std::string host;
  std::string user;
  KdfParams kdf;
  std::string master;  // raw bytes: nonce || AES-256-GCM(master key) || tag
};

std::string EncodeKeyFile(const KeyFile& key);
// Strict: unknown keys, wrong types, bad base64, a salt of the wrong size, KDF limits out of
// bounds and a newer version are InvalidArgument naming the key file and the field.
Result<KeyFile> DecodeKeyFile(std::string_view json, std::string_view name);

struct KeyMeta {
  std::string created;
  std::string host;
  std::string user;
};

Result<KeyFile> WrapWithPassword(const MasterKey& master, std::string_view password,
                                 uint64_t opslimit, uint64_t memlimit, const KeyMeta& meta);
// `secret` is the content of a key file written by `key add --new-key-file`: 32 bytes.
Result<KeyFile> WrapWithKeyFileSecret(const MasterKey& master, std::string_view secret,
                                      const KeyMeta& meta);

// Unwraps with whichever secret matches the key's kind. Unauthenticated when the secret is
// wrong (or the file was tampered with: the two cannot be told apart); FailedPrecondition
// when the kind needs a secret that was not given.
Result<MasterKey> Unwrap(const KeyFile& key, const std::string* password,
                         const std::string* key_file_secret, std::string_view name);

// A new key file secret (32 random bytes) and its text form (base64 + newline) for the file.
std::string NewKeyFileSecret();
std::string KeyFileSecretText(std::string_view secret);
// Parses the text of a key file secret; InvalidArgument naming `path` if it is not one.
Result<std::string> ParseKeyFileSecret(std::string_view text, std::string_view path);

}  // namespace failsafe::backup::crypto

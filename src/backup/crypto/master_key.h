#pragma once
// The repository's master key (docs/backup-format.md, "Keys"): 96 random bytes, three keys.
#include <optional>
#include <string>
#include <string_view>

#include "backup/crypto/secret_key.h"

namespace failsafe::backup::crypto {

struct MasterKey {
  static constexpr size_t kSize = 3 * SecretKey::kSize;

  SecretKey data_key;     // AES-256-GCM for every encrypted object
  SecretKey id_key;       // HMAC-SHA256 for blob ids
  SecretKey chunker_key;  // derives the chunker's gear table

  static MasterKey Generate();
  // A new master key that shares id and chunker keys with `from` (`init --from-repo`), so
  // blob ids and chunk boundaries match, with its own data key.
  static MasterKey GenerateSharingIds(const MasterKey& from);
  // data_key || id_key || chunker_key. The caller wipes the string when done.
  std::string Serialize() const;
  static std::optional<MasterKey> Parse(std::string_view bytes);
};

}  // namespace failsafe::backup::crypto

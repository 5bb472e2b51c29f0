// Fuzzes the JSON objects of a repository read before or beside the data (backup/format
// config and lock, backup/crypto key files): each must be rejected with an error naming the
// field, or accepted and re-encoded to an equal value.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "backup/crypto/key_file.h"
#include "backup/format/config.h"
#include "backup/format/lock_info.h"

using namespace failsafe::backup;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto config = DecodeConfig(input)) {
    auto again = DecodeConfig(EncodeConfig(*config));
    if (!again || !(*again == *config)) __builtin_trap();
  }
  if (auto lock = DecodeLockInfo(input, "fuzz")) (void)EncodeLockInfo(*lock);
  if (auto key = crypto::DecodeKeyFile(input, "fuzz")) {
    auto again = crypto::DecodeKeyFile(crypto::EncodeKeyFile(*key), "fuzz");
    if (!again || again->master != key->master || again->kdf.salt != key->kdf.salt)
      __builtin_trap();
  }
  return 0;
}

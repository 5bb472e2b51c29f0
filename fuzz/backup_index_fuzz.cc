// Fuzzes the index file decoder (backup/format/index_file.h): index files come from storage
// a tamperer may control. Decoding must fail with a named DataLoss or succeed, and what
// decodes must re-encode to something that decodes to the same index.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "backup/crypto/aead.h"
#include "backup/format/aad.h"
#include "backup/format/index_file.h"

using namespace failsafe::backup;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const crypto::SecretKey key(std::string_view("fuzz-key-fuzz-key-fuzz-key-32byt", 32));
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto index = DecodeIndex(input, "fuzz");
  if (index) {
    auto again = DecodeIndex(EncodeIndex(*index), "fuzz");
    if (!again || !(*again == *index)) __builtin_trap();
  }
  // As stored: sealed under the data key (seeds hold real sealed index files).
  std::string plain;
  if (crypto::Open(key, input, aad::kIndex, &plain, "index fuzz").ok())
    (void)DecodeIndex(plain, "fuzz");
  return 0;
}

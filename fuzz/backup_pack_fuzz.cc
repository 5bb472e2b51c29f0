// Fuzzes the pack decoders (backup/format/pack.h): a pack file is storage a tamperer may
// control, so the trailer, the encrypted header and the header's plaintext must fail with a
// named DataLoss, never crash, hang or allocate from a claimed count. The key is fixed so
// seeds can hold real packs whose header authenticates.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "backup/crypto/secret_key.h"
#include "backup/format/pack.h"

using namespace failsafe::backup;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const crypto::SecretKey key(std::string_view("fuzz-key-fuzz-key-fuzz-key-32byt", 32));
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  Id pack;
  pack.bytes.fill(0xab);
  // The whole pack: trailer, then decryption and decoding of the header.
  (void)DecodePack(key, input, pack);
  // The header's plaintext directly (random input rarely authenticates): with the region
  // size the blobs would need, and with one that cannot match.
  auto header = DecodePackHeader(input, pack, 1u << 30);
  if (header) {
    uint64_t total = 0;
    for (const PackBlob& b : *header) total += b.stored_length;
    if (!DecodePackHeader(input, pack, total)) __builtin_trap();
  }
  (void)DecodePackHeader(input, pack, size);
  if (size >= kPackTrailerSize)
    (void)DecodePackTrailer(input.substr(size - kPackTrailerSize), pack, size);
  return 0;
}

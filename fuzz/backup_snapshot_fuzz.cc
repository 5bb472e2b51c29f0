// Fuzzes the snapshot decoder (backup/format/snapshot.h): snapshot JSON comes from storage a
// tamperer may control. Any input must decode or fail with a message; an accepted snapshot
// must survive encode and decode unchanged.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "backup/format/snapshot.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto snapshot = failsafe::backup::DecodeSnapshot(in);
  if (!snapshot) {
    if (snapshot.error().message().empty()) __builtin_trap();
    return 0;
  }
  auto again = failsafe::backup::DecodeSnapshot(failsafe::backup::EncodeSnapshot(*snapshot));
  if (!again || !(*again == *snapshot)) __builtin_trap();
  return 0;
}

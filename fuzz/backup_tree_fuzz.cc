// Fuzzes the tree decoder (backup/format/tree.h): tree blobs come from storage a tamperer may
// control. Any input must decode or fail cleanly, and an accepted tree must be canonical:
// encoding it again gives back exactly the input (one encoding per tree, so one blob id).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "backup/format/tree.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto tree = failsafe::backup::DecodeTree(in);
  if (!tree) {
    if (tree.error().message().empty()) __builtin_trap();
    return 0;
  }
  auto again = failsafe::backup::EncodeTree(*tree);
  if (!again || *again != in) __builtin_trap();
  return 0;
}

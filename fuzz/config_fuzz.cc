// Fuzzes the YAML config loader: any file must give OK or an error naming a line, never a
// crash, a hang or an exception escaping.
#include <cstddef>
#include <cstdint>
#include <string>

#include "app/config.h"
#include "base/env.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static auto env = failsafe::NewMemEnv();
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)env->WriteFileAtomic("/fuzz/failsafe.yaml", text, 0600);
  failsafe::Status s = failsafe::app::CheckConfigFile("/fuzz/failsafe.yaml", env.get());
  if (!s.ok() && s.message().empty()) __builtin_trap();  // every error explains itself
  return 0;
}

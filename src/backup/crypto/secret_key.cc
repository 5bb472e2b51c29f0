#include "backup/crypto/secret_key.h"

#include <sodium.h>

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace failsafe::backup::crypto {
namespace {

// Serial 0 means "no key": contexts start there and never match a real key.
std::atomic<uint64_t> next_serial{1};

}  // namespace

SecretKey::SecretKey() = default;

SecretKey::SecretKey(std::string_view bytes) : serial_(next_serial.fetch_add(1)) {
  if (bytes.size() != kSize) std::abort();
  std::memcpy(bytes_.data(), bytes.data(), kSize);
}

SecretKey::~SecretKey() {
  sodium_memzero(bytes_.data(), bytes_.size());
}

}  // namespace failsafe::backup::crypto

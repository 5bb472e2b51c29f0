#pragma once
// SecretKey: 32 bytes of key material, wiped when destroyed. Each distinct key gets a serial
// number so the per-thread OpenSSL contexts (hash.cc, aead.cc) can tell whether they already
// hold this key's schedule and skip re-keying on the hot path.
#include <array>
#include <cstdint>
#include <string_view>

namespace failsafe::backup::crypto {

class SecretKey {
 public:
  static constexpr size_t kSize = 32;

  SecretKey();  // all zero; a placeholder to be assigned
  // `bytes` must be exactly kSize bytes; anything else is a programming error (aborts).
  explicit SecretKey(std::string_view bytes);
  SecretKey(const SecretKey&) = default;
  SecretKey& operator=(const SecretKey&) = default;
  ~SecretKey();

  const uint8_t* data() const { return bytes_.data(); }
  std::string_view view() const {
    return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()};
  }
  uint64_t serial() const { return serial_; }

 private:
  std::array<uint8_t, kSize> bytes_{};
  uint64_t serial_ = 0;
};

}  // namespace failsafe::backup::crypto

#include "backup/crypto/master_key.h"

#include <algorithm>

#include "base/random.h"

namespace failsafe::backup::crypto {

MasterKey MasterKey::Generate() {
  std::string bytes = RandomBytes(kSize);
  auto key = *Parse(bytes);
  std::fill(bytes.begin(), bytes.end(), '\0');
  return key;
}

MasterKey MasterKey::GenerateSharingIds(const MasterKey& from) {
  MasterKey key = Generate();
  key.id_key = from.id_key;
  key.chunker_key = from.chunker_key;
  return key;
}

std::string MasterKey::Serialize() const {
  std::string out;
  out.reserve(kSize);
  out.append(data_key.view()).append(id_key.view()).append(chunker_key.view());
  return out;
}

std::optional<MasterKey> MasterKey::Parse(std::string_view bytes) {
  if (bytes.size() != kSize) return std::nullopt;
  MasterKey key;
  key.data_key = SecretKey(bytes.substr(0, SecretKey::kSize));
  key.id_key = SecretKey(bytes.substr(SecretKey::kSize, SecretKey::kSize));
  key.chunker_key = SecretKey(bytes.substr(2 * SecretKey::kSize, SecretKey::kSize));
  return key;
}

}  // namespace failsafe::backup::crypto

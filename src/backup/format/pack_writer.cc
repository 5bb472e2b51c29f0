#include "backup/format/pack_writer.h"

#include "backup/crypto/aead.h"
#include "backup/format/aad.h"

namespace failsafe::backup {

void PackWriter::Add(PackBlob blob, std::string_view sealed) {
  blob.offset = static_cast<uint32_t>(bytes_.size());
  blob.stored_length = static_cast<uint32_t>(sealed.size());
  bytes_.append(sealed);
  blobs_.push_back(blob);
}

std::string PackWriter::Finish(const crypto::SecretKey& data_key) {
  const size_t before = bytes_.size();
  crypto::SealAppend(data_key, EncodePackHeader(blobs_), aad::kPackHeader, &bytes_);
  bytes_ += EncodePackTrailer(static_cast<uint32_t>(bytes_.size() - before));
  blobs_.clear();
  std::string out = std::move(bytes_);
  bytes_ = std::string();
  return out;
}

}  // namespace failsafe::backup

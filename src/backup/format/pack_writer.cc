#include "backup/format/pack_writer.h"

#include "backup/crypto/aead.h"
#include "backup/format/aad.h"

namespace failsafe::backup {

void PackWriter::Add(PackBlob blob, std::string_view sealed) {
  blob.offset = static_cast<uint32_t>(bytes_.size());
  blob.stored_length = static_cast<uint32_t>(sealed.size());
  bytes_.Append(sealed);
  blobs_.push_back(blob);
}

PackBuffer PackWriter::Finish(const crypto::SecretKey& data_key) {
  std::string header;
  crypto::SealAppend(data_key, EncodePackHeader(blobs_), aad::kPackHeader, &header);
  bytes_.Append(header);
  bytes_.Append(EncodePackTrailer(static_cast<uint32_t>(header.size())));
  blobs_.clear();
  PackBuffer out = std::move(bytes_);
  bytes_ = PackBuffer();
  return out;
}

}  // namespace failsafe::backup

#include "backup/format/pack_buffer.h"

#include <algorithm>
#include <cstring>
#include <new>

namespace failsafe::backup {

void PackBuffer::Reserve(size_t n) {
  if (n <= capacity_) return;
  const size_t capacity = (n + kAlign - 1) / kAlign * kAlign;
  char* fresh = static_cast<char*>(std::aligned_alloc(kAlign, capacity));
  if (fresh == nullptr) throw std::bad_alloc();
  if (size_ > 0) std::memcpy(fresh, data_.get(), size_);
  data_.reset(fresh);
  capacity_ = capacity;
}

void PackBuffer::Append(std::string_view bytes) {
  if (bytes.empty()) return;
  // Doubling keeps a pack whose header outgrows the reserve (many tiny blobs) linear.
  if (size_ + bytes.size() > capacity_) Reserve(std::max(size_ + bytes.size(), 2 * capacity_));
  std::memcpy(data_.get() + size_, bytes.data(), bytes.size());
  size_ += bytes.size();
}

}  // namespace failsafe::backup

#pragma once
// PackBuffer: the bytes of a pack while it is built and saved. Page-aligned, so the local
// backend can hand them to the disk with O_DIRECT (no copy into the page cache), and never
// zero-filled; the repository reuses one saved pack's buffer for the next pack, whose pages
// are then already resident.
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <string_view>

namespace failsafe::backup {

class PackBuffer {
 public:
  static constexpr size_t kAlign = 4096;

  PackBuffer() = default;
  explicit PackBuffer(size_t capacity) { Reserve(capacity); }

  // Grows the capacity to at least `n`, keeping the bytes.
  void Reserve(size_t n);
  void Append(std::string_view bytes);
  void clear() { size_ = 0; }

  const char* data() const { return data_.get(); }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  bool empty() const { return size_ == 0; }
  std::string_view view() const { return {data_.get(), size_}; }

 private:
  struct Free {
    void operator()(char* p) const { std::free(p); }
  };
  std::unique_ptr<char, Free> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace failsafe::backup

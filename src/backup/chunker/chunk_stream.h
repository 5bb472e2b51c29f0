#pragma once
// ChunkStream: cuts the bytes of a file descriptor into chunks as they are read. The buffer
// holds a maximum chunk and an average one, so memory per stream is bounded whatever the size.
// Reads either a byte range with pread (files, including the data ranges of a sparse file)
// or sequentially to the end (pipes: a command's output, standard input).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "backup/chunker/chunker.h"
#include "base/result.h"

namespace failsafe::backup {

// Storage for a stream's bytes, reused from one stream to the next: a reader thread that
// chunks tens of thousands of small files allocates its buffer once. A fresh buffer per file
// cost a 16 MiB allocation that the kernel zero-filled page by page and the allocator gave
// back at once: most of a backup's CPU time went to page faults.
class ChunkBuffer {
 public:
  uint8_t* Reserve(size_t n) {
    if (n > capacity_) {
      data_.reset(new uint8_t[n]);  // not value-initialised: never zero-filled
      capacity_ = n;
    }
    return data_.get();
  }

 private:
  std::unique_ptr<uint8_t[]> data_;
  size_t capacity_ = 0;
};

class ChunkStream {
 public:
  // Sequential: read(2) until end of file. `buffer`, when given, is used instead of one of
  // the stream's own and must outlive the stream.
  ChunkStream(int fd, const GearChunker& chunker, ChunkBuffer* buffer = nullptr);
  // Positional: the `length` bytes from `offset`, with pread(2).
  ChunkStream(int fd, const GearChunker& chunker, uint64_t offset, uint64_t length,
              ChunkBuffer* buffer = nullptr);

  // The buffer may be shared: a stream is neither copied nor moved.
  ChunkStream(const ChunkStream&) = delete;
  ChunkStream& operator=(const ChunkStream&) = delete;

  // The next chunk, valid until the next call; an empty view at the end. A read error (or a
  // file that shrank under a positional read) is an error naming errno.
  Result<std::string_view> Next();

  uint64_t bytes_read() const { return bytes_read_; }

 private:
  Status Fill();

  int fd_;
  const GearChunker& chunker_;
  bool positional_;
  uint64_t position_ = 0;   // next offset to read, for positional streams
  uint64_t remaining_ = 0;  // bytes left to read, for positional streams
  bool eof_ = false;
  ChunkBuffer own_;  // used when no buffer is given
  uint8_t* buffer_;
  size_t buffer_size_;
  size_t start_ = 0;  // first byte not yet returned
  size_t end_ = 0;    // one past the last byte read
  uint64_t bytes_read_ = 0;
};

}  // namespace failsafe::backup

#pragma once
// ChunkStream: cuts the bytes of a file descriptor into chunks as they are read. The buffer
// holds a maximum chunk and an average one, so memory per stream is bounded whatever the size.
// Reads either a byte range with pread (files, including the data ranges of a sparse file)
// or sequentially to the end (pipes: a command's output, standard input).
#include <cstddef>
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
  static constexpr size_t kAlign = 4096;  // what O_DIRECT asks of buffers, offsets, lengths

  // Page-aligned, for direct reads; not zero-filled.
  uint8_t* Reserve(size_t n);

 private:
  struct Free {
    void operator()(uint8_t* p) const;
  };
  std::unique_ptr<uint8_t, Free> data_;
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

  // For a sequential stream over a regular file that is not in the page cache: reads with
  // O_DIRECT, straight from the disk into the buffer, without the kernel's copy out of the
  // page cache (on a cold backup the largest single cost after compression and hashing).
  // Stays with ordinary reads where the file system refuses O_DIRECT, and goes back to them
  // if a direct read is refused or comes back short before the end.
  void UseDirectIo();

  // The next chunk, valid until the next call; an empty view at the end. A read error (or a
  // file that shrank under a positional read) is an error naming errno.
  Result<std::string_view> Next();

  uint64_t bytes_read() const { return bytes_read_; }
  uint64_t direct_bytes_read() const { return direct_bytes_read_; }  // of those, with O_DIRECT

 private:
  Status Fill();
  Status FillDirect();
  void StopDirectIo();

  int fd_;
  const GearChunker& chunker_;
  bool positional_;
  uint64_t position_ = 0;   // next offset to read, for positional streams
  uint64_t remaining_ = 0;  // bytes left to read, for positional streams
  bool eof_ = false;
  bool direct_ = false;
  ChunkBuffer own_;  // used when no buffer is given
  uint8_t* buffer_;
  size_t buffer_size_;
  size_t start_ = 0;  // first byte not yet returned
  size_t end_ = 0;    // one past the last byte read
  uint64_t bytes_read_ = 0;
  uint64_t direct_bytes_read_ = 0;
};

}  // namespace failsafe::backup

#pragma once
// ChunkStream: cuts the bytes of a file descriptor into chunks as they are read. The buffer
// holds at most two maximum chunks, so memory per stream is bounded whatever the file size.
// Reads either a byte range with pread (files, including the data ranges of a sparse file)
// or sequentially to the end (pipes: a command's output, standard input).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backup/chunker/chunker.h"
#include "base/result.h"

namespace failsafe::backup {

class ChunkStream {
 public:
  // Sequential: read(2) until end of file.
  ChunkStream(int fd, const GearChunker& chunker);
  // Positional: the `length` bytes from `offset`, with pread(2).
  ChunkStream(int fd, const GearChunker& chunker, uint64_t offset, uint64_t length);

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
  std::vector<uint8_t> buffer_;
  size_t start_ = 0;  // first byte not yet returned
  size_t end_ = 0;    // one past the last byte read
  uint64_t bytes_read_ = 0;
};

}  // namespace failsafe::backup

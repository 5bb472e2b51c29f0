#include "backup/chunker/chunk_stream.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace failsafe::backup {
namespace {

constexpr size_t kAlign = ChunkBuffer::kAlign;

// Room for a maximum chunk and an average one: a chunk is cut from what is buffered, and
// only a chunk that reaches the end of the buffer needs the rest of the maximum read first.
// A page more for direct reads, which start on a page boundary.
size_t BufferSizeFor(const GearChunker& chunker) {
  return size_t{chunker.sizes().max} + chunker.sizes().avg + kAlign;
}

size_t RoundUp(size_t n) {
  return (n + kAlign - 1) / kAlign * kAlign;
}

}  // namespace

uint8_t* ChunkBuffer::Reserve(size_t n) {
  if (n > capacity_) {
    const size_t size = RoundUp(n);
    data_.reset(static_cast<uint8_t*>(std::aligned_alloc(kAlign, size)));
    if (!data_) std::abort();
    capacity_ = size;
  }
  return data_.get();
}

void ChunkBuffer::Free::operator()(uint8_t* p) const {
  std::free(p);
}

void ChunkStream::UseDirectIo() {
  if (positional_ || direct_ || bytes_read_ != 0) return;
  const int flags = ::fcntl(fd_, F_GETFL);
  direct_ = flags >= 0 && ::fcntl(fd_, F_SETFL, flags | O_DIRECT) == 0;
}

void ChunkStream::StopDirectIo() {
  direct_ = false;
  const int flags = ::fcntl(fd_, F_GETFL);
  if (flags >= 0) (void)::fcntl(fd_, F_SETFL, flags & ~O_DIRECT);
}

// Direct reads go to page-aligned places in the buffer, in whole pages, at page-aligned file
// offsets (every read before was whole pages). What is not cut yet moves so that it ends on a
// page boundary, where the next read starts.
Status ChunkStream::FillDirect() {
  if (buffer_size_ - end_ < kAlign && start_ > 0) {
    const size_t left = end_ - start_;
    const size_t at = RoundUp(left) - left;
    std::memmove(buffer_ + at, buffer_ + start_, left);
    start_ = at;
    end_ = at + left;
  }
  while (direct_ && !eof_ && buffer_size_ - end_ >= kAlign) {
    const size_t want = (buffer_size_ - end_) / kAlign * kAlign;
    const ssize_t n = ::read(fd_, buffer_ + end_, want);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EINVAL) break;  // refused after all: ordinary reads from here
      return Unavailable(std::string("read failed: ") + std::strerror(errno));
    }
    if (n == 0) {
      eof_ = true;
      break;
    }
    end_ += static_cast<size_t>(n);
    bytes_read_ += static_cast<uint64_t>(n);
    direct_bytes_read_ += static_cast<uint64_t>(n);
    // A short read is (almost always) the end of the file; ordinary reads confirm it, and
    // would carry on correctly from an unaligned offset if it was not.
    if (static_cast<size_t>(n) % kAlign != 0) break;
  }
  // Stopped before the buffer was full (refused, or short): ordinary reads from here.
  if (direct_ && !eof_ && (end_ % kAlign != 0 || buffer_size_ - end_ >= kAlign)) StopDirectIo();
  return Status::Ok();
}

ChunkStream::ChunkStream(int fd, const GearChunker& chunker, ChunkBuffer* buffer)
    : fd_(fd),
      chunker_(chunker),
      positional_(false),
      buffer_((buffer ? *buffer : own_).Reserve(BufferSizeFor(chunker))),
      buffer_size_(BufferSizeFor(chunker)) {}

ChunkStream::ChunkStream(int fd, const GearChunker& chunker, uint64_t offset, uint64_t length,
                         ChunkBuffer* buffer)
    : fd_(fd),
      chunker_(chunker),
      positional_(true),
      position_(offset),
      remaining_(length),
      eof_(length == 0),
      // A small range (most files are small) needs no more buffer than its own size.
      buffer_(
          (buffer ? *buffer : own_)
              .Reserve(std::max<size_t>(1, std::min<uint64_t>(length, BufferSizeFor(chunker))))),
      buffer_size_(std::min<uint64_t>(length, BufferSizeFor(chunker))) {}

Status ChunkStream::Fill() {
  if (direct_) {
    FS_RETURN_STATUS_IF_ERROR(FillDirect());
    if (direct_ || eof_) return Status::Ok();
  }
  // Only when the buffer is full up to its end do the bytes not cut yet (less than a maximum
  // chunk, usually about one average chunk) move to its start.
  if (end_ == buffer_size_ && start_ > 0) {
    std::memmove(buffer_, buffer_ + start_, end_ - start_);
    end_ -= start_;
    start_ = 0;
  }
  while (!eof_ && end_ < buffer_size_) {
    size_t want = buffer_size_ - end_;
    ssize_t n;
    if (positional_) {
      want = static_cast<size_t>(std::min<uint64_t>(want, remaining_));
      n = ::pread(fd_, buffer_ + end_, want, static_cast<off_t>(position_));
    } else {
      n = ::read(fd_, buffer_ + end_, want);
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      return Unavailable(std::string("read failed: ") + std::strerror(errno));
    }
    if (n == 0) {
      if (positional_ && remaining_ > 0)
        return Conflict("the file shrank while it was read (" + std::to_string(remaining_) +
                        " bytes missing)");
      eof_ = true;
      break;
    }
    end_ += static_cast<size_t>(n);
    bytes_read_ += static_cast<uint64_t>(n);
    if (positional_) {
      position_ += static_cast<uint64_t>(n);
      remaining_ -= static_cast<uint64_t>(n);
      if (remaining_ == 0) eof_ = true;
    }
  }
  return Status::Ok();
}

Result<std::string_view> ChunkStream::Next() {
  for (;;) {
    const size_t available = end_ - start_;
    if (available == 0) {
      if (eof_) return std::string_view();
      FS_RETURN_IF_ERROR(Fill());
      continue;
    }
    const size_t cut = chunker_.NextCut(buffer_ + start_, available);
    // A cut before the end of the buffered bytes is where the content puts it. One at the end
    // may only be where the buffer ends: read on and cut again, unless the input ended or a
    // maximum chunk is buffered (then the cut is final either way).
    if (cut < available || eof_ || available >= chunker_.sizes().max) {
      std::string_view chunk(reinterpret_cast<const char*>(buffer_ + start_), cut);
      start_ += cut;
      return chunk;
    }
    FS_RETURN_IF_ERROR(Fill());
  }
}

}  // namespace failsafe::backup

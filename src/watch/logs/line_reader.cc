#include "watch/logs/line_reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

namespace failsafe::watch::logs {
namespace {
constexpr size_t kChunk = 1 << 20;
}

Result<uint64_t> ReadLines(std::FILE* in, size_t max_line_bytes, const LineFn& fn) {
  std::vector<char> buf(kChunk + max_line_bytes + 2);
  size_t have = 0;        // bytes of an unfinished line at the start of buf
  bool skipping = false;  // inside the tail of an over-long line already handed over
  uint64_t lines = 0;
  auto emit = [&](const char* p, size_t n) {
    if (n > 0 && p[n - 1] == '\r') --n;
    fn(std::string_view(p, n));
    ++lines;
  };
  for (;;) {
    const size_t got = std::fread(buf.data() + have, 1, buf.size() - have, in);
    if (got == 0) {
      if (std::ferror(in)) return Err(Internal(std::string("read error: ") + std::strerror(errno)));
      if (have > 0 && !skipping) emit(buf.data(), have);
      return lines;
    }
    const char* p = buf.data();
    const char* end = buf.data() + have + got;
    for (;;) {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', end - p));
      if (nl == nullptr) break;
      if (!skipping) emit(p, nl - p);
      skipping = false;
      p = nl + 1;
    }
    size_t rest = end - p;
    if (skipping) {
      rest = 0;  // still in the over-long line: drop what we read of it
    } else if (rest > max_line_bytes) {
      emit(p, max_line_bytes + 1);
      skipping = true;
      rest = 0;
    }
    std::memmove(buf.data(), p, rest);
    have = rest;
  }
}

namespace {

// A regular file is mapped and split in place: no copy through a read buffer.
std::optional<Result<uint64_t>> ReadMapped(const std::string& path, size_t max_line_bytes,
                                           const LineFn& fn) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
    ::close(fd);
    return std::nullopt;
  }
  const size_t size = static_cast<size_t>(st.st_size);
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return std::nullopt;
  ::madvise(map, size, MADV_SEQUENTIAL);
  const char* p = static_cast<const char*>(map);
  const char* end = p + size;
  uint64_t lines = 0;
  // Pages already read are handed back as we go, so a big file does not sit in our RSS; the
  // next window's are mapped in one call ahead of use, not one page fault at a time (kernels
  // before 5.14 refuse MADV_POPULATE_READ: the faults happen then, as before).
  constexpr size_t kWindow = 16 << 20;
  constexpr size_t kRelease = 64 << 20;
  const char* released = p;
  const char* populated = p;
  while (p < end) {
    if (p >= populated) {
      const size_t n = std::min<size_t>(kWindow, static_cast<size_t>(end - populated));
      ::madvise(const_cast<char*>(populated), n, MADV_POPULATE_READ);
      populated += n;
    }
    if (static_cast<size_t>(p - released) >= kRelease) {
      const size_t n = static_cast<size_t>(p - released) & ~size_t{4095};
      ::madvise(const_cast<char*>(released), n, MADV_DONTNEED);
      released += n;
    }
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', end - p));
    const char* line_end = nl ? nl : end;
    size_t n = static_cast<size_t>(line_end - p);
    if (n > 0 && p[n - 1] == '\r') --n;
    if (n > max_line_bytes) n = max_line_bytes + 1;  // the engine counts it as too long
    fn(std::string_view(p, n));
    ++lines;
    p = nl ? nl + 1 : end;
  }
  ::munmap(map, size);
  return Result<uint64_t>(lines);
}

}  // namespace

Result<uint64_t> ReadLinesFromPath(const std::string& path, size_t max_line_bytes,
                                   const LineFn& fn) {
  if (path == "-") return ReadLines(stdin, max_line_bytes, fn);
  if (auto mapped = ReadMapped(path, max_line_bytes, fn)) return *mapped;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return Err(NotFound(path + ": " + std::strerror(errno)));
  return ReadLines(f.get(), max_line_bytes, fn);
}

}  // namespace failsafe::watch::logs

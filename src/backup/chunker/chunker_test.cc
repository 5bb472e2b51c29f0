#include "backup/chunker/chunker.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "backup/chunker/chunk_stream.h"

namespace failsafe::backup {
namespace {

GearTable TestGear(uint64_t seed) {
  std::mt19937_64 rng(seed);
  GearTable g;
  for (auto& v : g) v = rng();
  return g;
}

std::vector<uint8_t> RandomBytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<uint8_t> out(n);
  for (size_t i = 0; i < n; i += 8) {
    uint64_t v = rng();
    for (size_t j = 0; j < 8 && i + j < n; ++j) out[i + j] = static_cast<uint8_t>(v >> (8 * j));
  }
  return out;
}

std::vector<size_t> Cuts(const GearChunker& c, const std::vector<uint8_t>& data) {
  std::vector<size_t> lengths;
  size_t pos = 0;
  while (pos < data.size()) {
    size_t n = c.NextCut(data.data() + pos, data.size() - pos);
    lengths.push_back(n);
    pos += n;
  }
  return lengths;
}

// Small sizes keep the tests fast while exercising the same code as the 512K/1M/8M default.
constexpr ChunkSizes kSmall{4096, 16384, 65536};

TEST(GearChunker, SizesStayWithinBoundsAndClusterAroundTheAverage) {
  auto gear = TestGear(1);
  GearChunker c(gear, kSmall);
  auto data = RandomBytes(8 << 20, 2);
  auto lengths = Cuts(c, data);
  size_t total = 0;
  for (size_t i = 0; i < lengths.size(); ++i) {
    total += lengths[i];
    if (i + 1 < lengths.size()) {
      EXPECT_GE(lengths[i], kSmall.min);
      EXPECT_LE(lengths[i], kSmall.max);
    }
  }
  EXPECT_EQ(total, data.size());
  double mean = static_cast<double>(total) / static_cast<double>(lengths.size());
  EXPECT_GT(mean, 0.7 * kSmall.avg);
  EXPECT_LT(mean, 1.5 * kSmall.avg);
}

TEST(GearChunker, AnInsertionNearTheStartChangesOnlyTheFirstChunks) {
  auto gear = TestGear(1);
  GearChunker c(gear, kSmall);
  auto data = RandomBytes(4 << 20, 3);
  auto shifted = data;
  shifted.insert(shifted.begin() + 100, {1, 2, 3, 4, 5, 6, 7});
  auto a = Cuts(c, data);
  auto b = Cuts(c, shifted);
  // Compare the chunks as sets of (length) from the end: after resynchronising, boundaries
  // are content-defined, so all but the first few chunks are identical.
  size_t same = 0;
  for (size_t i = 1; i <= std::min(a.size(), b.size()); ++i)
    if (a[a.size() - i] == b[b.size() - i]) ++same;
  EXPECT_GE(same, a.size() - 2);
}

TEST(GearChunker, ADifferentGearTableCutsElsewhere) {
  auto g1 = TestGear(1), g2 = TestGear(99);
  auto data = RandomBytes(2 << 20, 4);
  EXPECT_NE(Cuts(GearChunker(g1, kSmall), data), Cuts(GearChunker(g2, kSmall), data));
}

TEST(GearChunker, ConstantInputIsCutAtTheMaximum) {
  auto gear = TestGear(1);
  GearChunker c(gear, kSmall);
  std::vector<uint8_t> zeros(300000, 0);
  auto lengths = Cuts(c, zeros);
  ASSERT_EQ(lengths.size(), 5u);
  EXPECT_EQ(lengths[0], kSmall.max);
  EXPECT_EQ(lengths[4], 300000 - 4 * kSmall.max);
}

class TempFile {
 public:
  explicit TempFile(const std::vector<uint8_t>& data) {
    char name[] = "/tmp/chunker_test_XXXXXX";
    fd_ = mkstemp(name);
    path_ = name;
    EXPECT_EQ(write(fd_, data.data(), data.size()), static_cast<ssize_t>(data.size()));
  }
  ~TempFile() {
    close(fd_);
    unlink(path_.c_str());
  }
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }

 private:
  int fd_;
  std::string path_;
};

std::vector<std::string> StreamChunks(ChunkStream& s) {
  std::vector<std::string> out;
  while (true) {
    auto chunk = s.Next();
    EXPECT_TRUE(chunk.has_value()) << chunk.error().ToString();
    if (!chunk || chunk->empty()) break;
    out.emplace_back(*chunk);
  }
  return out;
}

TEST(ChunkStream, SequentialAndPositionalReadsGiveTheChunksOfTheWholeBuffer) {
  auto gear = TestGear(7);
  GearChunker c(gear, kSmall);
  auto data = RandomBytes(1 << 20, 5);
  TempFile file(data);
  auto expected = Cuts(c, data);

  lseek(file.fd(), 0, SEEK_SET);
  ChunkStream sequential(file.fd(), c);
  auto a = StreamChunks(sequential);
  ChunkStream positional(file.fd(), c, 0, data.size());
  auto b = StreamChunks(positional);
  ASSERT_EQ(a.size(), expected.size());
  EXPECT_EQ(a, b);
  std::string joined;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].size(), expected[i]);
    joined += a[i];
  }
  EXPECT_EQ(joined, std::string(data.begin(), data.end()));
  EXPECT_EQ(sequential.bytes_read(), data.size());
}

// The chunks a stream gave must be those of cutting the whole input at once.
void ExpectChunksOfTheWhole(const GearChunker& c, const std::vector<uint8_t>& data,
                            const std::vector<std::string>& chunks) {
  auto expected = Cuts(c, data);
  ASSERT_EQ(chunks.size(), expected.size());
  std::string joined;
  for (size_t i = 0; i < chunks.size(); ++i) {
    EXPECT_EQ(chunks[i].size(), expected[i]) << "chunk " << i;
    joined += chunks[i];
  }
  EXPECT_EQ(joined, std::string(data.begin(), data.end()));
}

// A pipe hands the stream a few KiB per read, so cuts are searched in partly filled buffers,
// and a constant run forces maximum chunks: the chunks must still be those of the whole input.
TEST(ChunkStream, ShortReadsGiveTheChunksOfTheWholeBuffer) {
  auto gear = TestGear(9);
  GearChunker c(gear, kSmall);
  auto data = RandomBytes(300000, 10);
  data.insert(data.end(), 3 * kSmall.max + 123, uint8_t{'x'});
  auto tail = RandomBytes(250000, 11);
  data.insert(data.end(), tail.begin(), tail.end());
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  std::thread writer([&] {
    for (size_t pos = 0; pos < data.size(); pos += 3000) {
      const size_t n = std::min<size_t>(3000, data.size() - pos);
      EXPECT_EQ(write(fds[1], data.data() + pos, n), static_cast<ssize_t>(n));
    }
    close(fds[1]);
  });
  ChunkStream stream(fds[0], c);
  auto chunks = StreamChunks(stream);
  writer.join();
  close(fds[0]);
  ExpectChunksOfTheWhole(c, data, chunks);
}

// Whether this file system lets a file be read with O_DIRECT (tmpfs does not).
bool DirectReadsWork(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECT);
  if (fd < 0) return false;
  void* page = std::aligned_alloc(4096, 4096);
  const bool ok = ::pread(fd, page, 4096, 0) >= 0;
  std::free(page);
  ::close(fd);
  return ok;
}

// Direct reads land on page boundaries and move what is not cut yet; the chunks must be those
// of the whole input for every size (whole pages or not, smaller than a page, constant runs
// that force maximum chunks), and where O_DIRECT works it must actually have been used.
TEST(ChunkStream, DirectReadsGiveTheChunksOfTheWholeFile) {
  auto gear = TestGear(13);
  GearChunker c(gear, kSmall);
  for (size_t size : {size_t{100}, size_t{3 * 4096}, size_t{1} << 20, size_t{1000003}}) {
    SCOPED_TRACE(size);
    auto data = RandomBytes(size, size);
    data.insert(data.begin() + static_cast<std::ptrdiff_t>(size / 2), 3 * kSmall.max + 77,
                uint8_t{'x'});
    TempFile file(data);
    ASSERT_EQ(::fsync(file.fd()), 0);
    const int fd = ::open(file.path().c_str(), O_RDONLY);
    ASSERT_GE(fd, 0);
    ChunkStream stream(fd, c);
    stream.UseDirectIo();
    auto chunks = StreamChunks(stream);
    ::close(fd);
    ExpectChunksOfTheWhole(c, data, chunks);
    EXPECT_EQ(stream.bytes_read(), data.size());
    if (DirectReadsWork(file.path()))
      EXPECT_GE(stream.direct_bytes_read(), data.size() / 4096 * 4096);
    else
      EXPECT_EQ(stream.direct_bytes_read(), 0u);
  }
}

TEST(ChunkStream, ARangeReadsOnlyThatRange) {
  auto gear = TestGear(7);
  GearChunker c(gear, kSmall);
  auto data = RandomBytes(200000, 6);
  TempFile file(data);
  ChunkStream range(file.fd(), c, 1000, 5000);
  auto chunks = StreamChunks(range);
  ASSERT_EQ(chunks.size(), 2u);  // 5000 > min 4096: one cut search, rest is its own chunk
  EXPECT_EQ(chunks[0] + chunks[1], std::string(data.begin() + 1000, data.begin() + 6000));
}

TEST(ChunkStream, AFileThatShrankIsAnError) {
  auto gear = TestGear(7);
  GearChunker c(gear, kSmall);
  auto data = RandomBytes(10000, 8);
  TempFile file(data);
  ChunkStream range(file.fd(), c, 0, 20000);
  auto chunk = range.Next();
  ASSERT_FALSE(chunk.has_value());
  EXPECT_NE(chunk.error().message().find("shrank"), std::string::npos);
}

}  // namespace
}  // namespace failsafe::backup

// FilePipeline on real files: whatever path a file takes (one pread into the ring when it is
// smaller than a minimum chunk, the cutting reader otherwise, the cutting reader again when a
// small file grew after it was listed), the chunks it hands back are the file's bytes, in
// order, stored in the repository.
#include "backup/ops/file_pipeline.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <mutex>

#include "backup/archive/test_util.h"
#include "backup/repo/test_util.h"

namespace failsafe::backup {
namespace {

namespace fs = std::filesystem;
using archive::testing::WriteFile;

struct Outcome {
  std::vector<ContentEntry> content;
  uint64_t size = 0;
  Status status;
  int calls = 0;
};

class FilePipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_ = repo_testing::InitRepo(mem_);
    ASSERT_TRUE(repo_);
    const ChunkerParams& c = repo_->config().chunker;
    chunker_.emplace(repo_->GearTable(), ChunkSizes{c.min_size, c.avg_size, c.max_size});
  }

  // Runs every (path, listed size) through one pipeline; the outcome per path.
  std::map<std::string, Outcome> Run(const std::vector<std::pair<std::string, uint64_t>>& files,
                                     const PipelineOptions& options) {
    std::map<std::string, Outcome> outcomes;
    std::mutex mu;
    Progress progress;
    {
      FilePipeline pipeline(*repo_, *chunker_, progress, options);
      for (const auto& [path, listed] : files) {
        auto job = std::make_shared<FileJob>();
        job->path = path;
        job->expected_size = listed;
        job->done = [&, path](std::vector<ContentEntry> content, uint64_t size, Status status) {
          std::lock_guard lock(mu);
          Outcome& o = outcomes[path];
          o.content = std::move(content);
          o.size = size;
          o.status = std::move(status);
          ++o.calls;
        };
        EXPECT_TRUE(pipeline.Submit(job));
      }
      Status finished = pipeline.Finish();
      EXPECT_TRUE(finished.ok()) << finished.ToString();
    }
    Status flushed = repo_->Flush();
    EXPECT_TRUE(flushed.ok()) << flushed.ToString();
    return outcomes;
  }

  // The bytes the content entries stand for, read back from the repository.
  std::string Restore(const Outcome& o) {
    std::string bytes;
    for (const ContentEntry& e : o.content) {
      EXPECT_EQ(e.kind, ContentEntry::Kind::kChunk);
      auto blob = repo_->LoadBlob(BlobType::kData, e.id);
      EXPECT_TRUE(blob) << blob.error().ToString();
      if (!blob) return bytes;
      EXPECT_EQ(blob->size(), e.length);
      bytes += *blob;
    }
    return bytes;
  }

  std::string Path(const std::string& name) { return (fs::path(tmp_.path()) / name).string(); }

  archive::testing::TempDir tmp_;
  MemBackend mem_;
  std::unique_ptr<Repository> repo_;
  std::optional<GearChunker> chunker_;
};

TEST_F(FilePipelineTest, EveryReadPathHandsBackTheFileBytesInOrder) {
  // The test repository's chunks: minimum 1 KiB, average 4 KiB, maximum 16 KiB.
  const std::string small = repo_testing::TextBlob(700, 1);
  const std::string grew = repo_testing::RandomBlob(40000);   // listed at 100 bytes
  const std::string shrank = repo_testing::TextBlob(300, 2);  // listed at 900 bytes
  const std::string large = repo_testing::RandomBlob(70000);
  WriteFile(Path("small"), small);
  WriteFile(Path("grew"), grew);
  WriteFile(Path("shrank"), shrank);
  WriteFile(Path("large"), large);
  WriteFile(Path("empty"), "");
  WriteFile(Path("emptied"), "");  // listed at 10 bytes

  PipelineOptions options;
  options.readers = 1;
  options.small_readers = 3;
  options.workers = 2;
  options.bytes_in_flight = 1;  // a ring of one maximum chunk: readers wait for workers
  auto out = Run({{Path("small"), small.size()},
                  {Path("grew"), 100},
                  {Path("shrank"), 900},
                  {Path("large"), large.size()},
                  {Path("empty"), 0},
                  {Path("emptied"), 10}},
                 options);

  const std::map<std::string, std::string> expected = {{"small", small},   {"grew", grew},
                                                       {"shrank", shrank}, {"large", large},
                                                       {"empty", ""},      {"emptied", ""}};
  for (const auto& [name, bytes] : expected) {
    SCOPED_TRACE(name);
    const Outcome& o = out[Path(name)];
    EXPECT_EQ(o.calls, 1);
    ASSERT_TRUE(o.status.ok()) << o.status.ToString();
    EXPECT_EQ(o.size, bytes.size());
    EXPECT_EQ(Restore(o), bytes);
  }
  EXPECT_EQ(out[Path("small")].content.size(), 1u);
  EXPECT_GT(out[Path("grew")].content.size(), 2u) << "a grown file is cut like a large one";
  EXPECT_TRUE(out[Path("empty")].content.empty());
}

TEST_F(FilePipelineTest, ManySmallFilesThroughATinyRing) {
  std::vector<std::pair<std::string, uint64_t>> files;
  std::vector<std::string> contents;
  for (int i = 0; i < 300; ++i) {
    contents.push_back(repo_testing::TextBlob(static_cast<size_t>(50 + i * 3), i));
    files.emplace_back(Path("f" + std::to_string(i)), contents.back().size());
    WriteFile(files.back().first, contents.back());
  }
  PipelineOptions options;
  options.small_readers = 4;
  options.bytes_in_flight = 1;
  auto out = Run(files, options);
  for (size_t i = 0; i < files.size(); ++i) {
    const Outcome& o = out[files[i].first];
    ASSERT_EQ(o.calls, 1) << files[i].first;
    ASSERT_TRUE(o.status.ok()) << o.status.ToString();
    EXPECT_EQ(Restore(o), contents[i]) << files[i].first;
  }
}

TEST_F(FilePipelineTest, AMissingFileIsReportedWithItsPath) {
  PipelineOptions options;
  auto out = Run({{Path("gone"), 10}}, options);
  const Outcome& o = out[Path("gone")];
  EXPECT_EQ(o.calls, 1);
  EXPECT_FALSE(o.status.ok());
  EXPECT_NE(o.status.message().find("gone"), std::string::npos) << o.status.ToString();
}

}  // namespace
}  // namespace failsafe::backup

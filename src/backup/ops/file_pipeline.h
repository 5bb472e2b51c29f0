#pragma once
// FilePipeline: the parallel part of a backup. Reader threads open files and cut them into
// chunks; worker threads compute each chunk's keyed id and, when the repository does not have
// it, hand it to Repository::SaveBlob, which compresses, encrypts and packs it. Chunks wait in
// a ChunkRing between the two, so the bytes in flight are bounded by one region allocated
// once, and while files wait on the disk others are hashed, which keeps both cores busy.
//
// Files smaller than a minimum chunk (most files: they are one chunk each) are read by their
// own readers with one pread straight into the ring: no buffer of their own, no copy, and
// several at once, because on a cold cache reading them is bound by the disk's latency.
// Larger files go to readers with a buffer of a maximum chunk and more, which cut them
// (ChunkStream) and copy each chunk into the ring.
#include <sys/types.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "backup/chunker/chunk_stream.h"
#include "backup/chunker/chunker.h"
#include "backup/format/tree.h"
#include "backup/ops/bounded_queue.h"
#include "backup/ops/chunk_ring.h"
#include "backup/ops/progress.h"
#include "backup/repo/repository.h"

namespace failsafe::backup {

// A regular file whose content is to be read. `done` is called exactly once, from a pipeline
// thread, with the content entries in file order, or with the error that stopped the read
// (the file vanished, could not be opened, shrank).
struct FileJob {
  std::string path;    // opened for reading, and named in errors
  int source_fd = -1;  // when >= 0: read this descriptor to its end instead (a command's output)
  uint64_t expected_size = 0;
  bool maybe_sparse = false;  // allocated blocks < size: look for holes
  std::function<void(std::vector<ContentEntry> content, uint64_t size, Status status)> done;

  // Filled by the pipeline.
  std::mutex mu;
  std::vector<ContentEntry> content;
  uint64_t size = 0;
  Status status;
  std::atomic<int> pending{1};  // chunks in flight + 1 while the reader is still on the file
};

struct PipelineStats {
  std::atomic<uint64_t> bytes_read{0};
  std::atomic<uint64_t> data_added{0};         // plaintext bytes of new chunks
  std::atomic<uint64_t> data_added_stored{0};  // their size in packs
};

struct PipelineOptions {
  int readers = 2;        // threads reading files of more than one chunk
  int small_readers = 4;  // threads reading files smaller than a minimum chunk
  int workers = 2;        // threads hashing, compressing, encrypting
  // Chunks read, not yet saved (the ring holds this and one maximum chunk more).
  size_t bytes_in_flight = 16 << 20;
};

class FilePipeline {
 public:
  FilePipeline(Repository& repo, const GearChunker& chunker, Progress& progress,
               const PipelineOptions& options);
  ~FilePipeline();  // Finish() if not called

  // Queues a file; blocks while too many files wait. False after a fatal error (the
  // repository failed to store data): stop submitting and call Finish for the reason.
  bool Submit(std::shared_ptr<FileJob> job);

  // Waits for every queued file, stops the threads. Returns the first fatal error.
  Status Finish();

  const PipelineStats& stats() const { return stats_; }

 private:
  struct ChunkJob {
    std::shared_ptr<FileJob> file;
    size_t index = 0;
    ChunkRing::Span span;
  };

  bool IsSmall(const FileJob& job) const;
  void ReaderLoop(BoundedQueue<std::shared_ptr<FileJob>>& files);
  void WorkerLoop();
  // Reads a job's file (or descriptor) through, then releases the job.
  void ReadFile(const std::shared_ptr<FileJob>& job, ChunkBuffer& buffer);
  Status ReadSmallFile(const std::shared_ptr<FileJob>& job, int fd, ChunkBuffer& buffer);
  Status ReadLargeFile(const std::shared_ptr<FileJob>& job, int fd, ChunkBuffer& buffer);
  // Queues a chunk that is in `span` for the workers.
  void Enqueue(const std::shared_ptr<FileJob>& job, ChunkRing::Span span);
  void AddHole(FileJob& job, uint64_t length);
  Status ReadRange(const std::shared_ptr<FileJob>& job, int fd, bool positional, off_t offset,
                   uint64_t length, ChunkBuffer& buffer, bool direct = false);
  void Release(const std::shared_ptr<FileJob>& job);
  void Fail(Status status);

  Repository& repo_;
  const GearChunker& chunker_;
  Progress& progress_;
  BoundedQueue<std::shared_ptr<FileJob>> files_;
  BoundedQueue<std::shared_ptr<FileJob>> small_files_;
  ChunkRing ring_;
  BoundedQueue<ChunkJob> chunks_;
  std::vector<std::thread> readers_;
  std::vector<std::thread> workers_;
  PipelineStats stats_;
  std::mutex fatal_mu_;
  Status fatal_;
  std::atomic<bool> failed_{false};
  bool finished_ = false;
};

}  // namespace failsafe::backup

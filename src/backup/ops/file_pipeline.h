#pragma once
// FilePipeline: the parallel part of a backup. Reader threads open files and cut them into
// chunks (ChunkStream); worker threads compute each chunk's keyed id and, when the repository
// does not have it, hand it to Repository::SaveBlob, which compresses, encrypts and packs it.
// Both stages are bounded (files queued, bytes of chunks in flight), so memory stays bounded,
// and while one file waits on the disk others are hashed, which keeps both cores busy.
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

class FilePipeline {
 public:
  FilePipeline(Repository& repo, const GearChunker& chunker, Progress& progress, int readers,
               int workers, size_t bytes_in_flight);
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
    std::string data;
  };

  void ReaderLoop();
  void WorkerLoop();
  void ReadFile(const std::shared_ptr<FileJob>& job, ChunkBuffer& buffer);
  void AddHole(FileJob& job, uint64_t length);
  Status ReadRange(const std::shared_ptr<FileJob>& job, int fd, bool positional, off_t offset,
                   uint64_t length, ChunkBuffer& buffer);
  void Release(const std::shared_ptr<FileJob>& job);
  void Fail(Status status);

  Repository& repo_;
  const GearChunker& chunker_;
  Progress& progress_;
  BoundedQueue<std::shared_ptr<FileJob>> files_;
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

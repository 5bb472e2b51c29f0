#include "backup/ops/file_pipeline.h"

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "backup/archive/fs_metadata.h"
#include "backup/archive/unique_fd.h"
#include "backup/chunker/chunk_stream.h"

namespace failsafe::backup {
namespace {

// Chunks queued for the workers, by count: the ring bounds their bytes.
constexpr size_t kMaxQueuedChunks = 4096;

// Whether the start of the file is in the page cache: a read that must not wait for the disk
// (RWF_NOWAIT) says so without reading from it. Where the kernel cannot tell, assume cached,
// which keeps ordinary reads.
bool InPageCache(int fd) {
  char byte;
  iovec io{&byte, 1};
  return ::preadv2(fd, &io, 1, 0, RWF_NOWAIT) >= 0 || errno != EAGAIN;
}

}  // namespace

FilePipeline::FilePipeline(Repository& repo, const GearChunker& chunker, Progress& progress,
                           const PipelineOptions& options)
    : repo_(repo),
      chunker_(chunker),
      progress_(progress),
      files_(static_cast<size_t>(std::max(options.readers, 1)) * 16),
      small_files_(static_cast<size_t>(std::max(options.small_readers, 1)) * 64),
      ring_(options.bytes_in_flight + chunker.sizes().max),
      chunks_(kMaxQueuedChunks) {
  for (int i = 0; i < std::max(options.readers, 1); ++i)
    readers_.emplace_back([this] { ReaderLoop(files_); });
  for (int i = 0; i < std::max(options.small_readers, 1); ++i)
    readers_.emplace_back([this] { ReaderLoop(small_files_); });
  for (int i = 0; i < std::max(options.workers, 1); ++i)
    workers_.emplace_back([this] { WorkerLoop(); });
}

FilePipeline::~FilePipeline() {
  if (!finished_) (void)Finish();
}

bool FilePipeline::IsSmall(const FileJob& job) const {
  return job.source_fd < 0 && !job.maybe_sparse && job.expected_size < chunker_.sizes().min;
}

bool FilePipeline::Submit(std::shared_ptr<FileJob> job) {
  if (failed_.load(std::memory_order_acquire)) return false;
  auto& queue = IsSmall(*job) ? small_files_ : files_;
  return queue.Push(std::move(job));
}

Status FilePipeline::Finish() {
  if (finished_) return fatal_;
  finished_ = true;
  files_.Close();
  small_files_.Close();
  for (auto& t : readers_) t.join();
  chunks_.Close();
  for (auto& t : workers_) t.join();
  std::lock_guard lock(fatal_mu_);
  return fatal_;
}

void FilePipeline::Fail(Status status) {
  std::lock_guard lock(fatal_mu_);
  if (fatal_.ok()) fatal_ = std::move(status);
  failed_.store(true, std::memory_order_release);
}

void FilePipeline::ReaderLoop(BoundedQueue<std::shared_ptr<FileJob>>& files) {
  // This reader's, for every file it cuts; a reader of small files only allocates it for one
  // that grew past a minimum chunk since it was listed.
  ChunkBuffer buffer;
  while (auto job = files.Pop()) {
    if (failed_.load(std::memory_order_acquire)) {
      (*job)->status = Internal("backup stopped");
      Release(*job);
      continue;
    }
    ReadFile(*job, buffer);
  }
}

void FilePipeline::ReadFile(const std::shared_ptr<FileJob>& job, ChunkBuffer& buffer) {
  Status status;
  if (job->source_fd >= 0) {
    status = ReadRange(job, job->source_fd, false, 0, 0, buffer);
  } else if (auto opened = archive::OpenForBackup(AT_FDCWD, job->path, job->path); !opened) {
    status = opened.error();
  } else if (IsSmall(*job)) {
    status = ReadSmallFile(job, opened->get(), buffer);
  } else {
    status = ReadLargeFile(job, opened->get(), buffer);
  }
  if (!status.ok()) job->status = status;
  Release(job);
}

Status FilePipeline::ReadSmallFile(const std::shared_ptr<FileJob>& job, int fd,
                                   ChunkBuffer& buffer) {
  // A byte more than listed, to see whether the file grew.
  const size_t want = static_cast<size_t>(job->expected_size) + 1;
  std::optional<ChunkRing::Span> span = ring_.Take(want);
  if (!span) return Internal("backup stopped");
  size_t got = 0;
  while (got < want) {
    const ssize_t n = ::pread(fd, span->data + got, want - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ring_.Give(*span);
      return Unavailable(std::string("read failed: ") + std::strerror(error))
          .WithContext("reading " + job->path);
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  if (got == want) {
    // It grew since it was listed: cut it like a large file, to its (new) end.
    ring_.Give(*span);
    return ReadRange(job, fd, false, 0, 0, buffer);
  }
  if (got == 0) {  // empty: no chunk at all
    ring_.Give(*span);
    return Status::Ok();
  }
  ring_.Shrink(*span, got);
  Enqueue(job, *span);
  return Status::Ok();
}

Status FilePipeline::ReadLargeFile(const std::shared_ptr<FileJob>& job, int fd,
                                   ChunkBuffer& buffer) {
  // Straight from the disk when it is not cached (ChunkStream::UseDirectIo), else with the
  // kernel's more aggressive read-ahead for sequential access.
  const bool direct = !job->maybe_sparse && !InPageCache(fd);
  if (!direct) (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  // Read to the end, not to the size seen when listing: a file that grew is saved whole.
  if (!job->maybe_sparse) return ReadRange(job, fd, false, 0, 0, buffer, direct);
  // Data ranges between holes; a hole is an entry of its own, never read or stored.
  auto ranges = archive::DataRanges(fd, job->expected_size);
  if (!ranges) return ranges.error().WithContext(job->path);
  uint64_t pos = 0;
  for (const archive::DataRange& range : *ranges) {
    AddHole(*job, range.offset - pos);
    FS_RETURN_STATUS_IF_ERROR(
        ReadRange(job, fd, true, static_cast<off_t>(range.offset), range.length, buffer));
    pos = range.offset + range.length;
  }
  AddHole(*job, job->expected_size - std::min(pos, job->expected_size));
  return Status::Ok();
}

void FilePipeline::AddHole(FileJob& job, uint64_t length) {
  if (length == 0) return;
  std::lock_guard lock(job.mu);
  job.content.push_back(ContentEntry::Hole(length));
  job.size += length;
}

Status FilePipeline::ReadRange(const std::shared_ptr<FileJob>& job, int fd, bool positional,
                               off_t offset, uint64_t length, ChunkBuffer& buffer, bool direct) {
  ChunkStream stream =
      positional ? ChunkStream(fd, chunker_, static_cast<uint64_t>(offset), length, &buffer)
                 : ChunkStream(fd, chunker_, &buffer);
  if (direct) stream.UseDirectIo();
  while (true) {
    auto chunk = stream.Next();
    if (!chunk) return chunk.error().WithContext("reading " + job->path);
    if (chunk->empty()) break;
    if (failed_.load(std::memory_order_acquire)) return Internal("backup stopped");
    std::optional<ChunkRing::Span> span = ring_.Take(chunk->size());
    if (!span) return Internal("backup stopped");
    std::memcpy(span->data, chunk->data(), chunk->size());
    Enqueue(job, *span);
  }
  return Status::Ok();
}

void FilePipeline::Enqueue(const std::shared_ptr<FileJob>& job, ChunkRing::Span span) {
  size_t index;
  {
    std::lock_guard lock(job->mu);
    index = job->content.size();
    job->content.push_back(ContentEntry::Chunk(BlobId{}, span.size));
    job->size += span.size;
  }
  job->pending.fetch_add(1, std::memory_order_relaxed);
  stats_.bytes_read.fetch_add(span.size, std::memory_order_relaxed);
  chunks_.Push(ChunkJob{job, index, span});
}

void FilePipeline::WorkerLoop() {
  while (auto job = chunks_.Pop()) {
    if (!failed_.load(std::memory_order_acquire)) {
      const std::string_view data(job->span.data, job->span.size);
      BlobId id = repo_.IdOf(data);
      if (!repo_.HasBlob(BlobType::kData, id)) {
        auto saved = repo_.SaveBlob(BlobType::kData, id, data);
        if (!saved) {
          Fail(saved.error().WithContext("saving data"));
        } else if (saved->added) {
          stats_.data_added.fetch_add(data.size(), std::memory_order_relaxed);
          stats_.data_added_stored.fetch_add(saved->stored_bytes, std::memory_order_relaxed);
        }
      }
      {
        std::lock_guard lock(job->file->mu);
        job->file->content[job->index].id = id;
      }
      progress_.AddBytes(data.size());
    }
    ring_.Give(job->span);
    Release(job->file);
  }
}

void FilePipeline::Release(const std::shared_ptr<FileJob>& job) {
  if (job->pending.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  Status status = job->status;
  if (status.ok() && failed_.load(std::memory_order_acquire)) status = Internal("backup stopped");
  progress_.AddFiles(1);
  if (!status.ok()) progress_.AddError();
  std::vector<ContentEntry> content;
  uint64_t size;
  {
    std::lock_guard lock(job->mu);
    content = std::move(job->content);
    size = job->size;
  }
  job->done(std::move(content), size, std::move(status));
}

}  // namespace failsafe::backup

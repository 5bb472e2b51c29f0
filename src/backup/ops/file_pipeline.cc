#include "backup/ops/file_pipeline.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "backup/archive/fs_metadata.h"
#include "backup/archive/unique_fd.h"
#include "backup/chunker/chunk_stream.h"

namespace failsafe::backup {
FilePipeline::FilePipeline(Repository& repo, const GearChunker& chunker, Progress& progress,
                           int readers, int workers, size_t bytes_in_flight)
    : repo_(repo),
      chunker_(chunker),
      progress_(progress),
      files_(static_cast<size_t>(readers) * 64),
      chunks_(bytes_in_flight) {
  for (int i = 0; i < readers; ++i) readers_.emplace_back([this] { ReaderLoop(); });
  for (int i = 0; i < workers; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

FilePipeline::~FilePipeline() {
  if (!finished_) (void)Finish();
}

bool FilePipeline::Submit(std::shared_ptr<FileJob> job) {
  if (failed_.load(std::memory_order_acquire)) return false;
  return files_.Push(std::move(job));
}

Status FilePipeline::Finish() {
  if (finished_) return fatal_;
  finished_ = true;
  files_.Close();
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

void FilePipeline::ReaderLoop() {
  ChunkBuffer buffer;  // this reader's, for every file it reads
  while (auto job = files_.Pop()) {
    if (failed_.load(std::memory_order_acquire)) {
      (*job)->status = Internal("backup stopped");
      Release(*job);
      continue;
    }
    ReadFile(*job, buffer);
  }
}

void FilePipeline::ReadFile(const std::shared_ptr<FileJob>& job, ChunkBuffer& buffer) {
  if (job->source_fd >= 0) {
    Status status = ReadRange(job, job->source_fd, false, 0, 0, buffer);
    if (!status.ok()) job->status = status;
    Release(job);
    return;
  }
  auto opened = archive::OpenForBackup(AT_FDCWD, job->path, job->path);
  if (!opened) {
    job->status = opened.error();
    Release(job);
    return;
  }
  archive::UniqueFd fd = std::move(*opened);
  // The kernel reads ahead more aggressively for sequential access.
  (void)::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
  Status status;
  if (job->maybe_sparse) {
    // Data ranges between holes; a hole is an entry of its own, never read or stored.
    auto ranges = archive::DataRanges(fd.get(), job->expected_size);
    if (!ranges) {
      status = ranges.error().WithContext(job->path);
    } else {
      uint64_t pos = 0;
      for (const archive::DataRange& range : *ranges) {
        if (!status.ok()) break;
        AddHole(*job, range.offset - pos);
        status =
            ReadRange(job, fd.get(), true, static_cast<off_t>(range.offset), range.length, buffer);
        pos = range.offset + range.length;
      }
      if (status.ok()) AddHole(*job, job->expected_size - std::min(pos, job->expected_size));
    }
  } else {
    // Read to the end, not to the size seen when listing: a file that grew is saved whole.
    status = ReadRange(job, fd.get(), false, 0, 0, buffer);
  }
  if (!status.ok()) job->status = status;
  Release(job);
}

void FilePipeline::AddHole(FileJob& job, uint64_t length) {
  if (length == 0) return;
  std::lock_guard lock(job.mu);
  job.content.push_back(ContentEntry::Hole(length));
  job.size += length;
}

Status FilePipeline::ReadRange(const std::shared_ptr<FileJob>& job, int fd, bool positional,
                               off_t offset, uint64_t length, ChunkBuffer& buffer) {
  ChunkStream stream =
      positional ? ChunkStream(fd, chunker_, static_cast<uint64_t>(offset), length, &buffer)
                 : ChunkStream(fd, chunker_, &buffer);
  while (true) {
    auto chunk = stream.Next();
    if (!chunk) return chunk.error().WithContext("reading " + job->path);
    if (chunk->empty()) break;
    if (failed_.load(std::memory_order_acquire)) return Internal("backup stopped");
    size_t index;
    {
      std::lock_guard lock(job->mu);
      index = job->content.size();
      job->content.push_back(ContentEntry::Chunk(BlobId{}, chunk->size()));
      job->size += chunk->size();
    }
    job->pending.fetch_add(1, std::memory_order_relaxed);
    stats_.bytes_read.fetch_add(chunk->size(), std::memory_order_relaxed);
    size_t cost = chunk->size();
    chunks_.Push(ChunkJob{job, index, std::string(*chunk)}, cost);
  }
  return Status::Ok();
}

void FilePipeline::WorkerLoop() {
  while (auto job = chunks_.Pop()) {
    if (!failed_.load(std::memory_order_acquire)) {
      const std::string& data = job->data;
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

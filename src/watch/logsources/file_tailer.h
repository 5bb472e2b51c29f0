#pragma once
// FileTailer: follows one file or a glob of files, like `tail -F` that remembers where it was.
//  - rotation by rename: the old file (same inode, new name) is read to its end, its partial
//    last line included, before the new file at the path is read from its start;
//  - copytruncate: when a file shrinks below the read position, or its first bytes change, it
//    is read again from 0;
//  - files that appear later (or match the glob later) are picked up at the next Poll;
//  - a partial last line is held until its newline arrives;
//  - lines over the cap are cut and counted, invalid UTF-8 replaced and counted.
// The position is saved only by Commit(), after the consumer has taken a batch, atomically
// (Env::WriteFileAtomic). After a restart, Open() resumes every file where the last committed
// batch ended, including a file that was rotated away meanwhile (found again by inode in its
// directory). Polling, single-threaded: the caller decides how often to Poll.
#include <sys/stat.h>

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/env.h"
#include "base/result.h"
#include "watch/logsources/line_splitter.h"
#include "watch/logsources/log_line.h"
#include "watch/logsources/source_stats.h"
#include "watch/logsources/tail_checkpoint.h"

namespace failsafe::watch {

struct TailOptions {
  std::string pattern;     // a path, or a glob ("/var/log/nginx/*.log")
  std::string state_path;  // where Commit saves the position; empty: not saved
  size_t max_line_bytes = kDefaultMaxLineBytes;
  size_t max_bytes_per_poll = 4 << 20;  // per file, so one busy file cannot starve the rest
  // For files present at the first Poll that have no saved position: start at their end
  // (only new lines) instead of their start. Files appearing later are always read from 0.
  bool start_at_end = false;
};

struct TailBatch {
  std::vector<LogLine> lines;  // in file order; source = the path the file was found at
  TailCheckpoint checkpoint;   // the position after these lines
};

class FileTailer {
 public:
  explicit FileTailer(TailOptions options, Env* env = Env::Default());
  ~FileTailer();
  FileTailer(const FileTailer&) = delete;
  FileTailer& operator=(const FileTailer&) = delete;

  // Loads the saved position (a missing state file is a fresh start; a damaged one is an
  // error naming the field, so a bad file is never silently read again from 0).
  Status Open();
  // The consumer_note of the last committed checkpoint ("" when fresh).
  const std::string& consumer_note() const { return consumer_note_; }

  // Reads what has been written since the last Poll. Never blocks on a file.
  Result<TailBatch> Poll();
  // Saves `batch.checkpoint` (with `consumer_note`) once the consumer has taken its lines.
  // Commit batches in the order Poll returned them; committing a later one covers earlier ones.
  Status Commit(const TailBatch& batch, std::string_view consumer_note = {});

  const SourceStats& stats() const { return stats_; }

 private:
  struct File;
  // Reads up to the per-poll budget; true when the end of the file was reached.
  Result<bool> ReadAvailable(File& f, std::vector<LogLine>& out);
  void RecoverRotatedAway(const std::set<std::pair<uint64_t, uint64_t>>& present);
  // Opens a file found by the pattern; nullptr when it cannot be read now.
  std::unique_ptr<File> OpenNew(const std::string& path, const struct stat& listed);
  // Follows a rotated file (read to its end, then dropped) from `from`, or from 0.
  void TrackRotated(const std::string& logical_path, const std::string& real_path,
                    const struct stat& st, const FilePosition* from);
  void Emit(File& f, const SplitLine& line, std::vector<LogLine>& out);
  TailCheckpoint Snapshot() const;
  const FilePosition* Saved(uint64_t dev, uint64_t ino) const;

  TailOptions options_;
  Env* env_;
  SourceStats stats_;
  std::vector<std::unique_ptr<File>> files_;
  std::vector<FilePosition> saved_;  // from Open(), consulted when a file is first seen
  std::string consumer_note_;
  bool first_poll_ = true;
};

}  // namespace failsafe::watch

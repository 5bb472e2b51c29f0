#pragma once
// Where the file tailer has got to, saved so a restart neither skips nor repeats lines. A file
// is known by its identity (device, inode) and the hash of its first bytes, which tells a
// rotated-away file from a new one that reused its inode. Saved as a small JSON document.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace failsafe::watch {

struct FilePosition {
  std::string path;  // where the file was found (it may have been renamed since)
  uint64_t dev = 0;
  uint64_t ino = 0;
  uint64_t offset = 0;    // the first byte not yet handed on as part of a line
  bool skipping = false;  // in the rest of a line already handed on cut to the cap
  uint64_t head_len = 0;  // how many leading bytes head_hash covers
  uint64_t head_hash = 0;
};

struct TailCheckpoint {
  std::vector<FilePosition> files;
  // Opaque to the tailer: what the consumer needs to resume in step (e.g. how much output it
  // had written when it acknowledged these lines).
  std::string consumer_note;
};

std::string EncodeCheckpoint(const TailCheckpoint& checkpoint);
// InvalidArgument naming the field when the text is not a checkpoint.
Result<TailCheckpoint> DecodeCheckpoint(std::string_view text);

// FNV-1a, 64 bit: enough to tell two files' first kilobyte apart.
uint64_t HashBytes(std::string_view bytes);

}  // namespace failsafe::watch

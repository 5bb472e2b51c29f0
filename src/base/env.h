#pragma once
// Env: the seam for file access, as in LevelDB. Key files, the data directory layout and
// config reads go through it so tests can run against MemEnv with no disk.
// Both implementations are thread-safe.
#include <memory>
#include <string>

#include "base/result.h"

namespace failsafe {

class Env {
 public:
  virtual ~Env() = default;

  virtual Result<std::string> ReadFile(const std::string& path) = 0;
  // Writes to a temporary file, fsyncs it, renames it over `path` and fsyncs the directory,
  // so readers see the old or the new content and a crash never leaves a torn file.
  // `mode` applies to the new file (0600 for key material).
  virtual Status WriteFileAtomic(const std::string& path, std::string_view data,
                                 unsigned mode = 0644) = 0;
  virtual bool FileExists(const std::string& path) = 0;
  virtual Status CreateDirs(const std::string& path, unsigned mode = 0755) = 0;
  virtual Status RemoveFile(const std::string& path) = 0;

  static Env* Default();  // the process-wide PosixEnv
};

// An in-memory Env for hermetic tests.
std::unique_ptr<Env> NewMemEnv();

}  // namespace failsafe

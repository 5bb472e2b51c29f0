#pragma once
// Backend: where a repository's files live (docs/backup-format.md, "Layout"). The engine
// above sees only this interface, so a local directory, an SFTP server and S3-compatible
// object storage behave the same, and retry and rate limiting wrap any of them.
//
// Every file is written once under a name derived from its content (or random, for keys and
// locks) and never modified: the interface has no append or overwrite, which is what lets a
// crash at any moment leave either the whole file or none of it.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace failsafe::backup {

enum class FileType { kConfig, kKey, kPack, kIndex, kSnapshot, kLock };

// The directory of a type in every backend's layout: "keys", "data", "index", "snapshots",
// "locks"; the config file is the single file "config" at the top.
std::string_view DirectoryOf(FileType type);
std::string_view NameOf(FileType type);  // "config", "key", "pack", ... for messages
inline constexpr FileType kAllFileTypes[] = {FileType::kConfig,   FileType::kKey,
                                             FileType::kPack,     FileType::kIndex,
                                             FileType::kSnapshot, FileType::kLock};

// File names the layout accepts: "config" for kConfig; otherwise 1 to 128 characters of
// [0-9a-zA-Z_-], and a pack name starts with two lowercase hex digits (its data/xx directory).
// Anything else (slashes, dots, temp files of interrupted saves) is refused by every method
// and skipped by List.
bool IsValidName(FileType type, std::string_view name);
// The file's path below the repository root, "/"-separated: "config", "keys/<name>",
// "data/<first two characters>/<name>", "index/<name>", ... InvalidArgument names a bad name.
Result<std::string> RelativePath(FileType type, std::string_view name);
// FailedPrecondition when a Load would return more than kMaxLoadSize bytes.
Status CheckLoadSize(uint64_t bytes, std::string_view where);
// Every directory Create makes, parents first: keys, data, data/00 ... data/ff, index,
// snapshots, locks.
std::vector<std::string> LayoutDirectories();

inline constexpr uint64_t kMaxLoadSize = uint64_t(4) << 30;  // 4 GiB

// The kind of medium, for the 3-2-1 report ("two kinds of media").
enum class MediaKind { kLocalDisk, kRemoteServer, kObjectStorage };
std::string_view NameOf(MediaKind kind);

struct FileInfo {
  std::string name;  // without directory: 64 hex digits, or "config"
  uint64_t size = 0;
};

// Errors: NotFound when the file does not exist; Unavailable for failures worth retrying
// (network, 5xx, timeouts); DataLoss when the backend returns fewer bytes than asked;
// AlreadyExists when Save finds the name taken with other content; anything else is final.
// Every implementation here is thread-safe (SftpBackend serialises calls on its one session).
class Backend {
 public:
  virtual ~Backend() = default;

  // Where the repository is, for messages and reports: a path or URL without credentials.
  virtual std::string Location() const = 0;
  virtual MediaKind Media() const = 0;

  // Prepares an empty repository location (directories, bucket prefix). Fails with
  // AlreadyExists if a config file is already there.
  virtual Status Create() = 0;

  // Stores `data` under (type, name) atomically: readers and a crash see the whole file or
  // none of it. Saving the same content twice under the same name succeeds (retries do it).
  virtual Status Save(FileType type, const std::string& name, std::string_view data) = 0;

  // Reads `length` bytes from `offset` (length 0: to the end of the file). More than
  // kMaxLoadSize at once is refused (FailedPrecondition) rather than exhausting memory on a
  // file that is damaged, foreign or reported with a wrong size.
  virtual Result<std::string> Load(FileType type, const std::string& name, uint64_t offset = 0,
                                   uint64_t length = 0) = 0;

  // The whole file into *out, reusing its capacity where the backend can (the local one
  // does); the others Load and move. For readers of many large files (check --read-data).
  virtual Status LoadInto(FileType type, const std::string& name, std::string* out);

  virtual Result<FileInfo> Stat(FileType type, const std::string& name) = 0;

  // Every file of a type, in no particular order (kConfig lists "config" if present).
  virtual Result<std::vector<FileInfo>> List(FileType type) = 0;

  // Removing a file that does not exist is NotFound; callers that retry treat it as done.
  virtual Status Remove(FileType type, const std::string& name) = 0;
};

}  // namespace failsafe::backup

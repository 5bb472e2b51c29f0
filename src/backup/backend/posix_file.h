#pragma once
// Small POSIX file helpers for LocalBackend: errno mapped to Status with the path named,
// whole writes and reads that survive EINTR and short transfers, directory fsync.
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace failsafe::backup::posix {

// errno (as left by the failed call) as a Status: ENOENT NotFound, EACCES/EPERM
// PermissionDenied, ENOSPC/EDQUOT/EIO Unavailable... "<what> <path>: <strerror>".
Status ErrnoStatus(std::string_view what, const std::string& path);

Status WriteAll(int fd, std::string_view data, const std::string& path);
// Reads exactly `length` bytes at `offset`; DataLoss when the file ends first.
Result<std::string> ReadAt(int fd, uint64_t offset, uint64_t length, const std::string& path);
// The same into *out, whose capacity is reused: a reader of many large files (check) then
// neither zero-fills nor page-faults a fresh buffer per file.
Status ReadAtInto(int fd, uint64_t offset, uint64_t length, const std::string& path,
                  std::string* out);
Status FsyncDirectory(const std::string& dir);
// mkdir that accepts an existing directory.
Status MakeDirectory(const std::string& path, unsigned mode);

}  // namespace failsafe::backup::posix

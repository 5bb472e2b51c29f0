#pragma once
// Snapshots (docs/backup-format.md, "Snapshots"): the JSON a repository seals under
// "fs/snapshot/1". The decoder is strict: a missing or unknown field, a wrong type, a bad id
// or time, or a newer version is an error naming the field ("summary.files_new").
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backup/format/ids.h"
#include "base/result.h"

namespace failsafe::backup {

inline constexpr int kSnapshotVersion = 1;

enum class SourceKind { kFiles, kStdin, kSqlite, kPostgres, kFailsafeStore };
// "files", "stdin", "sqlite", "postgres", "failsafe-store".
std::string_view NameOf(SourceKind kind);
std::optional<SourceKind> SourceKindFromName(std::string_view name);

struct SnapshotSource {
  SourceKind kind = SourceKind::kFiles;
  std::string command;   // the command whose output was saved (required for stdin)
  std::string filename;  // the name the stream is stored under (required for stdin)
  friend bool operator==(const SnapshotSource&, const SnapshotSource&) = default;
};

struct SnapshotSummary {
  uint64_t files_new = 0;
  uint64_t files_changed = 0;
  uint64_t files_unmodified = 0;
  uint64_t dirs = 0;
  uint64_t bytes_read = 0;         // file bytes read (unchanged files are not read)
  uint64_t data_added = 0;         // bytes of new chunks before compression
  uint64_t data_added_stored = 0;  // the same after compression and encryption
  uint64_t total_files = 0;
  uint64_t total_bytes = 0;
  uint64_t duration_ms = 0;
  friend bool operator==(const SnapshotSummary&, const SnapshotSummary&) = default;
};

struct SnapshotOrigin {
  Id repository;  // the source repository's config id
  Id snapshot;    // the snapshot's id there
  friend bool operator==(const SnapshotOrigin&, const SnapshotOrigin&) = default;
};

struct Snapshot {
  int64_t time_ns = 0;  // when the backup started, ns since the Unix epoch (UTC)
  std::string host;
  std::string user;
  // The paths as given. For display and selection: JSON needs UTF-8, so bytes that are not
  // UTF-8 are replaced by U+FFFD when encoding; the trees keep every name's exact bytes.
  std::vector<std::string> paths;
  std::vector<std::string> tags;
  std::vector<std::string> excludes;
  BlobId tree;
  std::optional<Id> parent;
  bool full = false;
  SnapshotSource source;
  SnapshotSummary summary;
  std::string program;  // "failsafe 0.6.0"
  // Set by `backup copy` on the copy it writes: which repository and snapshot it came from,
  // so a later copy knows what the destination already has. Absent on an original.
  std::optional<SnapshotOrigin> copied_from;
  friend bool operator==(const Snapshot&, const Snapshot&) = default;
};

std::string EncodeSnapshot(const Snapshot& snapshot);
// Errors are InvalidArgument with the field set ("snapshot: field 'summary.dirs' ...").
Result<Snapshot> DecodeSnapshot(std::string_view json);

// RFC 3339 UTC with nine fraction digits: "2026-11-22T02:00:00.123456789Z".
std::string FormatTimeNs(int64_t unix_ns);
// Accepts RFC 3339 with 0 to 9 fraction digits and Z or an offset.
std::optional<int64_t> ParseTimeNs(std::string_view text);

}  // namespace failsafe::backup

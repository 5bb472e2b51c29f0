#pragma once
// Stream sources (docs/backup/cli.md, "Stream sources"): what is backed up as a stream of bytes
// rather than by walking directories. Each makes one snapshot whose root tree holds the stream
// as a file (and, for failsafe's own store, the key files beside it), read through the same
// FilePipeline as files, so it is chunked, deduplicated and encrypted the same way.
//
// A stream is only good when its producer says so: a command that exits non-zero, a SQLite
// copy or a pg_dump that fails saves no snapshot (the chunks already written stay as
// unreferenced data until prune, as after a crash).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "backup/format/snapshot.h"
#include "backup/ops/backup_run.h"
#include "backup/ops/progress.h"
#include "backup/repo/repository.h"

namespace failsafe::backup {

// What every stream backup shares with a file backup.
struct StreamOptions {
  std::vector<std::string> tags;
  std::string host;         // default: this machine's name
  std::string scratch_dir;  // SQLite copies are made here; default $TMPDIR or /tmp
  int workers = 0;          // 0: one per core
  Progress* progress = nullptr;
};

// Standard input (or any descriptor) saved as `filename`.
Result<BackupResult> BackupStream(Repository& repo, const StreamOptions& options, int fd,
                                  const std::string& filename);

// A command's standard output saved as `filename` (default: the command's base name + ".out").
// No shell; the command must exit 0, else the error names it with the tail of its stderr.
Result<BackupResult> BackupCommandOutput(Repository& repo, const StreamOptions& options,
                                         const std::vector<std::string>& argv,
                                         std::string filename = {});

// A SQLite database copied online (consistent while written to) into a scratch file, saved
// under the database's base name.
Result<BackupResult> BackupSqlite(Repository& repo, const StreamOptions& options,
                                  const std::string& db_path);

// `pg_dump -Fc` of the database at `url` (postgresql://user[:password]@host[:port]/db), saved
// as "<db>.pgdump" (restore it with pg_restore). A password in the URL goes to pg_dump
// through PGPASSWORD, never on its command line or into the snapshot.
Result<BackupResult> BackupPostgres(Repository& repo, const StreamOptions& options,
                                    const std::string& url);

// failsafe's own store: the database named by `db` (the server's `db` setting:
// "sqlite:PATH" copied online, or a PostgreSQL URL dumped with pg_dump) and the key files of
// `data_dir` (secret.key, audit.key) without which encrypted fields and the audit chain
// cannot be used after a restore.
Result<BackupResult> BackupFailsafeStore(Repository& repo, const StreamOptions& options,
                                         const std::string& data_dir, const std::string& db);

// A PostgreSQL URL split for safe use: the URL without its password (for argv, snapshots and
// messages) and the password (for PGPASSWORD). InvalidArgument when it is not a
// postgres:// or postgresql:// URL with a database name.
struct PostgresTarget {
  std::string url_without_password;
  std::string password;  // empty when the URL has none
  std::string database;
  std::string host;  // for the snapshot's path: "postgresql://host:port/db"
};
Result<PostgresTarget> ParsePostgresUrl(const std::string& url);

}  // namespace failsafe::backup

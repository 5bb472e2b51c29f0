#include "backup/sources/sqlite_source.h"

#include <sqlite3.h>
#include <unistd.h>

#include <memory>

namespace failsafe::backup {
namespace {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;

Result<Db> OpenDb(const std::string& path, int flags, const std::string& role) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK)
    return Err(InvalidArgument(
        role + " " + path + ": " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)), role));
  sqlite3_busy_timeout(raw, 10'000);
  return db;
}

}  // namespace

Status CopySqliteOnline(const std::string& source_path, const std::string& dest_path) {
  if (::access(source_path.c_str(), R_OK) != 0)
    return InvalidArgument("SQLite database " + source_path + " cannot be read", "sqlite");
  if (::access(dest_path.c_str(), F_OK) == 0)
    return AlreadyExists("copy target " + dest_path + " exists");
  FS_ASSIGN_OR_RETURN_STATUS(Db source, OpenDb(source_path, SQLITE_OPEN_READONLY, "sqlite"));
  // A file that is not a database opens fine and fails at the first read: ask now.
  if (int rc = sqlite3_exec(source.get(), "SELECT count(*) FROM sqlite_schema", nullptr, nullptr,
                            nullptr);
      rc != SQLITE_OK)
    return InvalidArgument(
        source_path + " is not a usable SQLite database: " + sqlite3_errmsg(source.get()),
        "sqlite");
  FS_ASSIGN_OR_RETURN_STATUS(
      Db dest, OpenDb(dest_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "copy target"));
  sqlite3_backup* backup = sqlite3_backup_init(dest.get(), "main", source.get(), "main");
  if (backup == nullptr)
    return Internal(std::string("sqlite backup: ") + sqlite3_errmsg(dest.get()));
  // All pages in one step: one read transaction, so one consistent moment.
  int rc;
  do {
    rc = sqlite3_backup_step(backup, -1);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  int finish = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE || finish != SQLITE_OK) {
    ::unlink(dest_path.c_str());
    return Unavailable("copying " + source_path + ": " +
                       sqlite3_errstr(rc == SQLITE_DONE ? finish : rc));
  }
  return Status::Ok();
}

}  // namespace failsafe::backup

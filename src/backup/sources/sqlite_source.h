#pragma once
// A consistent copy of a SQLite database that is in use, through SQLite's online backup API:
// the copy is taken in one read transaction, so it is the database as of one moment, while
// writers go on (in WAL mode they are not even blocked). The copy is then backed up as a file.
#include <string>

#include "base/result.h"

namespace failsafe::backup {

// Copies `source_path` to `dest_path` (created; must not exist). Fails clearly when the source
// is not a SQLite database or cannot be opened read-only.
Status CopySqliteOnline(const std::string& source_path, const std::string& dest_path);

}  // namespace failsafe::backup

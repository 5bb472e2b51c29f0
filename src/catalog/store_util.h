#pragma once
// Module-internal helpers shared by the catalog's storage files.
#include <string>
#include <vector>

#include "store/store.h"

namespace failsafe::catalog::internal {

// Runs `sql` (one text column: who refers to the row) and, when it returns rows, fails with
// kConflict: "<what> is still used by <rows...>: <hint>". OK when nothing refers to it.
inline Status RefuseIfReferenced(store::Tx& tx, const std::string& what, std::string_view sql,
                                 const std::vector<store::Value>& params) {
  auto rows = tx.Query(sql, params);
  if (!rows) return rows.error();
  if (rows->empty()) return Status::Ok();
  std::string users;
  for (size_t i = 0; i < rows->size() && i < 10; ++i) {
    if (i > 0) users += ", ";
    users += (*rows)[i].Text(0);
  }
  if (rows->size() > 10) users += ", ...";
  return Conflict(what + " is still used by " + users + ": remove those references first");
}

// Fails with kAlreadyExists naming `field` when `sql` (a SELECT with one `?`) finds a row
// other than `self_id`.
inline Status RefuseDuplicate(store::Tx& tx, std::string_view sql, const std::string& value,
                              int64_t self_id, const std::string& what, const std::string& field) {
  auto row = tx.QueryOne(sql, {value});
  if (!row) return row.error();
  if (*row && (*row)->Int(0) != self_id) {
    return AlreadyExists(what + " \"" + value + "\" already exists", field);
  }
  return Status::Ok();
}

}  // namespace failsafe::catalog::internal

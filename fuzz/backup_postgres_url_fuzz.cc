// Fuzzes ParsePostgresUrl (backup/ops/stream_backup.h): the URL comes from the command line
// and from the server's config. Any input must parse or fail with a message; a parsed URL
// must not keep its password in the part that reaches argv and snapshots.
#include <cstddef>
#include <cstdint>
#include <string>

#include "backup/ops/stream_backup.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  auto target = failsafe::backup::ParsePostgresUrl(in);
  if (!target) {
    if (target.error().message().empty()) __builtin_trap();
    return 0;
  }
  if (target->database.empty()) __builtin_trap();
  // Re-parsing the password-free form gives the same database and no password.
  auto again = failsafe::backup::ParsePostgresUrl(target->url_without_password);
  if (!again || again->database != target->database || !again->password.empty()) __builtin_trap();
  return 0;
}

#include "backup/repo/release_memory.h"

#include <malloc.h>

#include <cstddef>

// jemalloc's control interface, weak so that builds without jemalloc (tests, sanitizers)
// link too and see a null pointer.
extern "C" int mallctl(const char* name, void* oldp, size_t* oldlenp, void* newp, size_t newlen)
    __attribute__((weak));

namespace failsafe::backup {

void ReleaseFreedMemory() {
  if (mallctl != nullptr) {
    // "arena.<MALLCTL_ARENAS_ALL>.purge": every arena's unused dirty pages.
    mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0);
    return;
  }
  malloc_trim(0);
}

}  // namespace failsafe::backup

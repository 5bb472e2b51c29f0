#pragma once
// Resident memory of this process for the bench/backup tools, read from /proc/self/status.
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace failsafe::bench {

// "VmRSS:" (resident now) or "VmHWM:" (the peak) in KiB; -1 when not found.
inline long ProcStatusKiB(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key, 0) == 0) return std::strtol(line.c_str() + std::strlen(key), nullptr, 10);
  return -1;
}

}  // namespace failsafe::bench

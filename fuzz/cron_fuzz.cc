// Fuzzes cron schedules (backup policies and drills come from users and the API): any text
// must parse or give an error naming a field, never crash or hang; a schedule that parses
// must give a next run after the start time, or say it never runs.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "base/cron.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto schedule = failsafe::CronSchedule::Parse(text, "Europe/Berlin");
  if (!schedule) {
    if (schedule.error().message().empty()) std::abort();
    return 0;
  }
  std::chrono::sys_seconds start{std::chrono::seconds{1'790'000'000}};
  auto next = schedule->Next(start);
  if (next && *next <= start) std::abort();
  return 0;
}

#include "base/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>

#include "base/clock.h"

namespace failsafe::log {
namespace {

std::atomic<int> g_min_level{static_cast<int>(Level::kInfo)};

std::shared_ptr<spdlog::logger> Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto l = spdlog::stderr_logger_mt("failsafe");
    l->set_pattern("%v");
    l->set_level(spdlog::level::trace);
    l->flush_on(spdlog::level::trace);
    return l;
  }();
  return logger;
}

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}

}  // namespace

void Init(std::string_view level) {
  Level l = Level::kInfo;
  if (level == "debug")
    l = Level::kDebug;
  else if (level == "warn")
    l = Level::kWarn;
  else if (level == "error")
    l = Level::kError;
  g_min_level = static_cast<int>(l);
  Logger();
}

bool Enabled(Level level) {
  return static_cast<int>(level) >= g_min_level.load();
}

void Write(Level level, std::string_view event, boost::json::object fields) {
  if (!Enabled(level)) return;
  boost::json::object line;
  line["ts"] = FormatRfc3339(SystemClock::Instance().NowMillis());
  line["level"] = LevelName(level);
  line["event"] = event;
  for (auto& kv : fields) line[kv.key()] = std::move(kv.value());
  Logger()->info(boost::json::serialize(line));
}

}  // namespace failsafe::log

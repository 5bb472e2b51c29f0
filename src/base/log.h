#pragma once
// Structured logs: one JSON object per line on stderr, through spdlog.
// Every line has "ts", "level" and "event"; callers add fields. Thread-safe.
// Never pass secrets (passwords, tokens, cookies, keys) as fields: nothing here filters them.
#include <boost/json.hpp>
#include <string_view>

namespace failsafe::log {

enum class Level { kDebug, kInfo, kWarn, kError };

// Configures the process logger; call once at start. `level` is debug|info|warn|error.
void Init(std::string_view level);
bool Enabled(Level level);
void Write(Level level, std::string_view event, boost::json::object fields = {});

inline void Info(std::string_view event, boost::json::object fields = {}) {
  Write(Level::kInfo, event, std::move(fields));
}
inline void Warn(std::string_view event, boost::json::object fields = {}) {
  Write(Level::kWarn, event, std::move(fields));
}
inline void Error(std::string_view event, boost::json::object fields = {}) {
  Write(Level::kError, event, std::move(fields));
}
inline void Debug(std::string_view event, boost::json::object fields = {}) {
  Write(Level::kDebug, event, std::move(fields));
}

}  // namespace failsafe::log

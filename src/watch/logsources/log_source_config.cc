#include "watch/logsources/log_source_config.h"

#include <yaml-cpp/yaml.h>

#include <map>
#include <set>

#include "base/duration.h"

namespace failsafe::watch {
namespace {

constexpr size_t kMaxBytesLimit = 16 << 20;

// One entry of the list being read: knows its index and the lines of its keys, for errors.
class Entry {
 public:
  Entry(const YAML::Node& node, size_t index)
      : node_(node), prefix_("log_sources[" + std::to_string(index) + "]") {}

  Status Error(const std::string& key, const std::string& message) const {
    const YAML::Node v = key.empty() ? node_ : node_[key];
    const int line = (v ? v.Mark() : node_.Mark()).line + 1;
    const std::string field = key.empty() ? prefix_ : prefix_ + "." + key;
    return InvalidArgument(field + " (line " + std::to_string(line) + "): " + message, field);
  }

  bool Has(const std::string& key) const { return static_cast<bool>(node_[key]); }

  Result<std::string> String(const std::string& key, bool required) {
    used_.insert(key);
    const YAML::Node v = node_[key];
    if (!v) {
      if (required) return Err(Error("", "'" + key + "' is required"));
      return std::string();
    }
    if (!v.IsScalar()) return Err(Error(key, "expected a text value"));
    return v.Scalar();
  }

  Result<size_t> Bytes(const std::string& key, size_t fallback) {
    FS_ASSIGN_OR_RETURN(std::string text, String(key, false));
    if (text.empty()) return fallback;
    size_t v = 0;
    for (char c : text) {
      if (c < '0' || c > '9' || v > kMaxBytesLimit) {
        return Err(
            Error(key, "expected a whole number from 1 to " + std::to_string(kMaxBytesLimit)));
      }
      v = v * 10 + static_cast<size_t>(c - '0');
    }
    if (v == 0 || v > kMaxBytesLimit) {
      return Err(Error(key, "expected a whole number from 1 to " + std::to_string(kMaxBytesLimit)));
    }
    return v;
  }

  Result<bool> Bool(const std::string& key) {
    FS_ASSIGN_OR_RETURN(std::string text, String(key, false));
    if (text.empty() || text == "false") return false;
    if (text == "true") return true;
    return Err(Error(key, "expected true or false"));
  }

  // Keys present but not read by this type are mistakes (a typo, or an option of another type).
  Status CheckUnknown() const {
    for (auto it = node_.begin(); it != node_.end(); ++it) {
      const std::string key = it->first.Scalar();
      if (used_.count(key) == 0) {
        const int line = it->first.Mark().line + 1;
        return InvalidArgument(prefix_ + " (line " + std::to_string(line) + "): key '" + key +
                                   "' is unknown for this type of source",
                               prefix_ + "." + key);
      }
    }
    return Status::Ok();
  }

 private:
  YAML::Node node_;
  std::string prefix_;
  std::set<std::string> used_;
};

const std::map<std::string, LogSourceType>& Types() {
  static const std::map<std::string, LogSourceType> types = {
      {"file", LogSourceType::kFile},
      {"syslog-udp", LogSourceType::kSyslogUdp},
      {"syslog-tcp", LogSourceType::kSyslogTcp},
      {"http", LogSourceType::kHttp},
      {"stdin", LogSourceType::kStdin}};
  return types;
}

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

Status ReadSyslog(Entry& e, LogSourceSpec& spec) {
  SyslogListenerOptions& o = spec.syslog;
  o.source = spec.name;
  FS_ASSIGN_OR_RETURN_STATUS(o.listen, e.String("listen", true));
  FS_ASSIGN_OR_RETURN_STATUS(o.max_message_bytes,
                             e.Bytes("max_message_bytes", o.max_message_bytes));
  FS_ASSIGN_OR_RETURN_STATUS(std::string zone, e.String("timezone", false));
  if (!zone.empty()) {
    auto found = LocalZone::Find(zone);
    if (!found) return e.Error("timezone", found.error().message());
    o.timezone = zone;
  }
  if (spec.type == LogSourceType::kSyslogTcp) {
    FS_ASSIGN_OR_RETURN_STATUS(o.max_connections, e.Bytes("max_connections", o.max_connections));
    FS_ASSIGN_OR_RETURN_STATUS(std::string idle, e.String("idle_timeout", false));
    if (!idle.empty()) {
      auto d = ParseDuration(idle);
      if (!d) return e.Error("idle_timeout", d.error().message());
      o.idle_timeout_ms = static_cast<int>(std::min<int64_t>(d->count(), INT32_MAX));
    }
  }
  // The address is checked the way the listener will read it, so a typo fails at load time.
  const size_t colon = o.listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == o.listen.size()) {
    return e.Error("listen", "expected HOST:PORT such as 0.0.0.0:5514");
  }
  return Status::Ok();
}

Result<LogSourceSpec> ReadEntry(const YAML::Node& node, size_t index) {
  Entry e(node, index);
  if (!node.IsMap()) return Err(e.Error("", "expected a mapping with 'name' and 'type'"));
  LogSourceSpec spec;
  FS_ASSIGN_OR_RETURN(spec.name, e.String("name", true));
  if (!ValidName(spec.name)) {
    return Err(e.Error("name", "use 1 to 64 letters, digits, '-', '_' or '.'"));
  }
  FS_ASSIGN_OR_RETURN(std::string type, e.String("type", true));
  auto t = Types().find(type);
  if (t == Types().end()) {
    return Err(
        e.Error("type", "'" + type + "' is not one of file, syslog-udp, syslog-tcp, http, stdin"));
  }
  spec.type = t->second;
  // Each case in braces: FS_ASSIGN_OR_RETURN declares variables.
  switch (spec.type) {
    case LogSourceType::kFile: {
      FS_ASSIGN_OR_RETURN(spec.file.pattern, e.String("path", true));
      FS_ASSIGN_OR_RETURN(spec.file.max_line_bytes,
                          e.Bytes("max_line_bytes", spec.file.max_line_bytes));
      FS_ASSIGN_OR_RETURN(spec.file.start_at_end, e.Bool("start_at_end"));
      break;
    }
    case LogSourceType::kSyslogUdp:
    case LogSourceType::kSyslogTcp: {
      FS_RETURN_IF_ERROR(ReadSyslog(e, spec));
      break;
    }
    case LogSourceType::kHttp: {
      spec.http.source = "http:" + spec.name;
      FS_ASSIGN_OR_RETURN(spec.http.max_line_bytes,
                          e.Bytes("max_line_bytes", spec.http.max_line_bytes));
      FS_ASSIGN_OR_RETURN(spec.http.max_lines, e.Bytes("max_lines", spec.http.max_lines));
      break;
    }
    case LogSourceType::kStdin: {
      spec.stdin.source = spec.name;
      FS_ASSIGN_OR_RETURN(spec.stdin.max_line_bytes,
                          e.Bytes("max_line_bytes", spec.stdin.max_line_bytes));
      break;
    }
  }
  FS_RETURN_IF_ERROR(e.CheckUnknown());
  return spec;
}

}  // namespace

Result<std::vector<LogSourceSpec>> ParseLogSources(const YAML::Node& list) {
  std::vector<LogSourceSpec> out;
  if (!list || list.IsNull()) return out;
  if (!list.IsSequence()) {
    return Err(InvalidArgument("log_sources (line " + std::to_string(list.Mark().line + 1) +
                                   "): expected a list of sources",
                               "log_sources"));
  }
  std::set<std::string> names;
  std::set<std::string> listens;
  for (size_t i = 0; i < list.size(); ++i) {
    FS_ASSIGN_OR_RETURN(LogSourceSpec spec, ReadEntry(list[i], i));
    if (!names.insert(spec.name).second) {
      return Err(
          Entry(list[i], i).Error("name", "'" + spec.name + "' is used by an earlier source"));
    }
    if (spec.type == LogSourceType::kSyslogUdp || spec.type == LogSourceType::kSyslogTcp) {
      const std::string key =
          (spec.type == LogSourceType::kSyslogUdp ? "udp " : "tcp ") + spec.syslog.listen;
      if (!listens.insert(key).second) {
        return Err(Entry(list[i], i)
                       .Error("listen", spec.syslog.listen + " is used by an earlier source"));
      }
    }
    out.push_back(std::move(spec));
  }
  return out;
}

Result<std::vector<LogSourceSpec>> ParseLogSourcesYaml(std::string_view text) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return Err(
        InvalidArgument("line " + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg));
  }
  if (!root || root.IsNull()) return std::vector<LogSourceSpec>{};
  if (!root.IsMap()) return Err(InvalidArgument("expected a mapping with 'log_sources'"));
  try {
    return ParseLogSources(root["log_sources"]);
  } catch (const YAML::Exception& e) {
    // yaml-cpp throws on odd shapes (e.g. a non-scalar key); an input error all the same.
    return Err(
        InvalidArgument("line " + std::to_string(e.mark.line + 1) + ": " + e.msg, "log_sources"));
  }
}

}  // namespace failsafe::watch

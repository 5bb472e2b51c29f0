#include "watch/watch_config.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "base/env.h"
#include "watch/probes/yaml_fields.h"

namespace failsafe::watch {
namespace {

using probes::YamlError;
using probes::YamlFields;

std::string Resolve(const std::string& file, const std::string& path) {
  std::filesystem::path p(path);
  if (p.is_absolute() || file.empty()) return path;
  return (std::filesystem::path(file).parent_path() / p).lexically_normal().string();
}

Status ReadScrape(const std::string& file, const YAML::Node& list, WatchConfig& out) {
  if (!list) return Status::Ok();
  if (!list.IsSequence()) return YamlError(file, list, "scrape", "must be a list of targets");
  for (size_t i = 0; i < list.size(); ++i) {
    YamlFields f(file, list[i], "scrape[" + std::to_string(i) + "]");
    ScrapeConfig s;
    s.target.job = f.String("job", /*required=*/true);
    s.target.url = f.String("url", /*required=*/true);
    s.target.instance = f.String("instance");
    s.target.timeout_ms = f.Duration("timeout", std::chrono::seconds(10)).count();
    s.target.max_series = static_cast<size_t>(f.Int("max_series", 20'000, 0, 10'000'000));
    s.interval_ms = f.Duration("interval", std::chrono::milliseconds(0)).count();
    FS_RETURN_STATUS_IF_ERROR(f.Finish());
    if (s.target.url.rfind("http://", 0) != 0 && s.target.url.rfind("https://", 0) != 0) {
      return YamlError(file, list[i]["url"], "scrape[" + std::to_string(i) + "].url",
                       "must start with http:// or https://");
    }
    out.scrape.push_back(std::move(s));
  }
  return Status::Ok();
}

}  // namespace

Result<WatchConfig> ParseWatchConfig(std::string_view text, const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return Err(InvalidArgument(file + ":" + std::to_string(e.mark.line + 1) + ":" +
                               std::to_string(e.mark.column + 1) + ": " + e.msg));
  }
  WatchConfig c;
  c.file = file;
  if (!root || root.IsNull()) return c;
  YamlFields f(file, root, "");
  c.interval_ms = f.Duration("interval", std::chrono::seconds(15)).count();
  c.retention_ms = f.Duration("retention", std::chrono::hours(6)).count();
  c.host = f.Bool("host", true);
  for (auto& p : f.Strings("rule_files")) c.rule_files.push_back(Resolve(file, p));
  for (auto& p : f.Strings("probe_files")) c.probe_files.push_back(Resolve(file, p));
  for (auto& p : f.Strings("log_rule_files")) c.log_rule_files.push_back(Resolve(file, p));
  YAML::Node log_sources = f.Node("log_sources");
  c.default_host_rules = f.Bool("default_host_rules", c.rule_files.empty());
  YAML::Node scrape = f.Node("scrape");
  FS_RETURN_IF_ERROR(f.Finish());
  if (c.interval_ms < 1000) {
    return Err(YamlError(file, root["interval"], "interval", "must be at least 1s"));
  }
  if (c.retention_ms < c.interval_ms) {
    return Err(YamlError(file, root["retention"], "retention", "must be at least the interval"));
  }
  FS_RETURN_IF_ERROR(ReadScrape(file, scrape, c));
  if (log_sources) {
    auto sources = ParseLogSources(log_sources);
    if (!sources) return Err(sources.error().WithContext(file));
    c.log_sources = std::move(*sources);
  }
  return c;
}

Result<WatchConfig> LoadWatchConfig(const std::string& path) {
  auto text = Env::Default()->ReadFile(path);
  if (!text) return Err(text.error().WithContext("reading the watch file").WithField("watch_file"));
  return ParseWatchConfig(*text, path);
}

}  // namespace failsafe::watch

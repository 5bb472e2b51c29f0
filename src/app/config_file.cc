#include "app/config_file.h"

#include <yaml-cpp/yaml.h>

#include <functional>
#include <map>
#include <set>
#include <vector>

#include "app/config_values.h"

namespace failsafe::app {
namespace {

// One YAML value being applied: knows where it is, to say so in errors.
struct Item {
  const std::string& file;
  std::string key;  // dotted: "http.idle_timeout"
  YAML::Mark mark;

  Status Fail(const std::string& complaint) const {
    return InvalidArgument(
        file + ":" + std::to_string(mark.line + 1) + ": key '" + key + "' " + complaint, key);
  }
  Status Fail(const Status& s) const { return Fail(s.message()); }
};

using Setter = std::function<Status(const Item&, const std::string&)>;

Setter String(std::string& target) {
  return [&target](const Item&, const std::string& v) {
    target = v;
    return Status::Ok();
  };
}

Setter Checked(std::string& target, Status (*check)(std::string_view)) {
  return [&target, check](const Item& item, const std::string& v) {
    Status s = check(v);
    if (!s.ok()) return item.Fail(s);
    target = v;
    return Status::Ok();
  };
}

Setter Duration(std::chrono::milliseconds& target) {
  return [&target](const Item& item, const std::string& v) {
    auto d = ParsePositiveDuration(v);
    if (!d) return item.Fail(d.error());
    target = *d;
    return Status::Ok();
  };
}

Setter Int(int& target, int min, int max) {
  return [&target, min, max](const Item& item, const std::string& v) {
    auto n = ParseIntInRange(v, min, max);
    if (!n) return item.Fail(n.error());
    target = *n;
    return Status::Ok();
  };
}

Setter Bytes(size_t& target) {
  return [&target](const Item& item, const std::string& v) {
    auto n = ParseByteSize(v);
    if (!n) return item.Fail(n.error());
    target = *n;
    return Status::Ok();
  };
}

// A mapping in the file: its scalar keys, and its nested sections.
struct Section {
  std::map<std::string, Setter, std::less<>> scalars;
  std::map<std::string, Section, std::less<>> sections;

  std::vector<std::string_view> Keys() const {
    std::vector<std::string_view> keys;
    for (const auto& [k, v] : scalars) keys.push_back(k);
    for (const auto& [k, v] : sections) keys.push_back(k);
    return keys;
  }
};

YAML::Mark MarkOf(const YAML::Node& value, const YAML::Node& key) {
  YAML::Mark m = value.Mark();
  return m.line >= 0 ? m : key.Mark();
}

Status ApplySection(const YAML::Node& node, const Section& section, const std::string& prefix,
                    const std::string& file) {
  std::set<std::string> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    // Copies: yaml-cpp's iterator hands out a temporary pair, so references would dangle.
    const YAML::Node key_node = it->first;
    const YAML::Node value = it->second;
    if (!key_node.IsScalar()) {
      return InvalidArgument(file + ":" + std::to_string(key_node.Mark().line + 1) +
                             ": keys must be plain names" +
                             (prefix.empty() ? "" : " (in '" + prefix + "')"));
    }
    std::string name = key_node.Scalar();
    // Key problems point at the key's line, value problems at the value's.
    Item item{file, prefix.empty() ? name : prefix + "." + name, key_node.Mark()};
    if (!seen.insert(name).second) return item.Fail("is given twice");

    if (auto s = section.scalars.find(name); s != section.scalars.end()) {
      if (value.IsNull()) continue;
      if (!value.IsScalar()) return item.Fail("must be a single value, not a list or a mapping");
      item.mark = MarkOf(value, key_node);
      FS_RETURN_STATUS_IF_ERROR(s->second(item, value.Scalar()));
      continue;
    }
    if (auto s = section.sections.find(name); s != section.sections.end()) {
      if (value.IsNull()) continue;
      if (!value.IsMap()) return item.Fail("must be a mapping of keys to values");
      FS_RETURN_STATUS_IF_ERROR(ApplySection(value, s->second, item.key, file));
      continue;
    }
    std::string suggestion = ClosestMatch(name, section.Keys());
    return item.Fail("is unknown" + (suggestion.empty() ? std::string()
                                                        : " (did you mean '" + suggestion + "'?)"));
  }
  return Status::Ok();
}

Section Schema(ServerConfig& c) {
  Section http;
  http.scalars = {
      {"body_limit", Bytes(c.http.body_limit_bytes)},
      {"header_timeout", Duration(c.http.header_timeout)},
      {"idle_timeout", Duration(c.http.idle_timeout)},
      {"threads", Int(c.http.threads, 0, 256)},
  };
  Section auth;
  auth.scalars = {
      {"lockout_threshold", Int(c.auth.lockout_threshold, 1, 1000)},
      {"lockout_duration", Duration(c.auth.lockout_duration)},
      {"session_idle_timeout", Duration(c.auth.session_idle_timeout)},
      {"session_max_age", Duration(c.auth.session_max_age)},
  };
  Section notify;
  notify.scalars = {
      {"retry_initial", Duration(c.notify.retry_initial)},
      {"retry_max", Duration(c.notify.retry_max)},
      {"send_timeout", Duration(c.notify.send_timeout)},
      {"max_attempts", Int(c.notify.max_attempts, 1, 1000)},
  };
  Section incidents;
  incidents.scalars = {
      {"ack_link_ttl", Duration(c.incidents.ack_link_ttl)},
      {"timer_max_sleep", Duration(c.incidents.timer_max_sleep)},
  };
  Section alerts;
  alerts.scalars = {{"routing_file", String(c.alerts.routing_file)}};
  Section root;
  root.scalars = {
      {"data_dir", String(c.data_dir)},
      {"listen", Checked(c.listen, CheckListen)},
      {"db", Checked(c.db, CheckDbUrl)},
      {"tls_cert", String(c.tls_cert)},
      {"tls_key", String(c.tls_key)},
      {"log_level", Checked(c.log_level, CheckLogLevel)},
      {"console_dir", String(c.console_dir)},
      {"public_url", Checked(c.public_url, CheckPublicUrl)},
      {"time_zone", Checked(c.time_zone, CheckTimeZoneName)},
      {"watch_file", String(c.watch_file)},
  };
  root.sections = {{"http", std::move(http)},
                   {"auth", std::move(auth)},
                   {"notify", std::move(notify)},
                   {"incidents", std::move(incidents)},
                   {"alerts", std::move(alerts)}};
  return root;
}

}  // namespace

Status ApplyYamlConfig(std::string_view text, const std::string& file_name, ServerConfig& config) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    std::string where = file_name;
    if (e.mark.line >= 0) where += ":" + std::to_string(e.mark.line + 1);
    return InvalidArgument(where + ": invalid YAML: " + e.msg);
  }
  if (root.IsNull()) return Status::Ok();  // an empty file: all defaults
  if (!root.IsMap()) {
    return InvalidArgument(file_name + ":" + std::to_string(root.Mark().line + 1) +
                           ": the config must be a mapping of keys to values");
  }
  try {
    return ApplySection(root, Schema(config), "", file_name);
  } catch (const YAML::Exception& e) {
    // yaml-cpp reports some structural problems (e.g. nesting too deep) only on access.
    return InvalidArgument(file_name + ":" + std::to_string(e.mark.line + 1) +
                           ": invalid YAML: " + e.msg);
  }
}

}  // namespace failsafe::app

#include "watch/alerts/routing_config.h"

#include <yaml-cpp/yaml.h>

#include <set>

#include "base/duration.h"

namespace failsafe::watch::alerts {
namespace {

// Reads one YAML node with errors that name file, line and key.
class Reader {
 public:
  explicit Reader(const std::string& file) : file_(file) {}

  Status Fail(const YAML::Node& node, const std::string& key, const std::string& msg) const {
    return InvalidArgument(
        file_ + ":" + std::to_string(node.Mark().line + 1) + ": " + key + ": " + msg, key);
  }
  Result<std::string> Text(const YAML::Node& node, const std::string& key) const {
    if (!node.IsScalar()) return Err(Fail(node, key, "must be a single value"));
    return node.Scalar();
  }
  Result<std::vector<std::string>> List(const YAML::Node& node, const std::string& key) const {
    if (!node.IsSequence()) return Err(Fail(node, key, "must be a list"));
    std::vector<std::string> out;
    for (const auto& item : node) {
      FS_ASSIGN_OR_RETURN(auto s, Text(item, key));
      out.push_back(std::move(s));
    }
    return out;
  }
  Result<int64_t> Millis(const YAML::Node& node, const std::string& key) const {
    FS_ASSIGN_OR_RETURN(auto s, Text(node, key));
    auto d = ParseDuration(s);
    if (!d || d->count() < 0) return Err(Fail(node, key, "must be a duration such as 30s or 5m"));
    return static_cast<int64_t>(d->count());
  }
  Result<bool> Bool(const YAML::Node& node, const std::string& key) const {
    FS_ASSIGN_OR_RETURN(auto s, Text(node, key));
    if (s == "true") return true;
    if (s == "false") return false;
    return Err(Fail(node, key, "must be true or false"));
  }
  Result<Matchers> MatcherList(const YAML::Node& node, const std::string& key) const {
    FS_ASSIGN_OR_RETURN(auto texts, List(node, key));
    auto m = ParseMatchers(texts, key);
    if (!m) return Err(Fail(node, key, m.error().message()));
    return std::move(*m);
  }
  Status Keys(const YAML::Node& node, const std::string& where,
              const std::set<std::string>& allowed) const {
    if (!node.IsMap()) return Fail(node, where, "must be a mapping");
    for (const auto& kv : node) {
      const std::string k = kv.first.as<std::string>("");
      if (!allowed.count(k))
        return Fail(kv.first, where.empty() ? k : where + "." + k, "unknown key");
    }
    return Status::Ok();
  }

 private:
  const std::string& file_;
};

const std::set<std::string> kTimingKeys = {"group_by", "group_wait", "group_interval",
                                           "repeat_interval", "resolve_incident"};

// Fills the grouping/timing fields present in `node` (defaults or one route).
Status ReadTiming(const Reader& r, const YAML::Node& node, const std::string& where, Route& route) {
  for (const auto& kv : node) {
    const std::string k = kv.first.as<std::string>("");
    const std::string key = where + "." + k;
    if (k == "group_by") {
      FS_ASSIGN_OR_RETURN_STATUS(route.group_by, r.List(kv.second, key));
    } else if (k == "group_wait") {
      FS_ASSIGN_OR_RETURN_STATUS(route.group_wait_ms, r.Millis(kv.second, key));
    } else if (k == "group_interval") {
      FS_ASSIGN_OR_RETURN_STATUS(route.group_interval_ms, r.Millis(kv.second, key));
    } else if (k == "repeat_interval") {
      FS_ASSIGN_OR_RETURN_STATUS(route.repeat_interval_ms, r.Millis(kv.second, key));
    } else if (k == "resolve_incident") {
      FS_ASSIGN_OR_RETURN_STATUS(route.resolve_incident, r.Bool(kv.second, key));
    }
  }
  return Status::Ok();
}

Result<Route> ReadRoute(const Reader& r, const YAML::Node& node, const std::string& where,
                        const Route& defaults) {
  std::set<std::string> allowed = kTimingKeys;
  allowed.insert({"name", "matchers", "service", "severity", "plan", "declare"});
  FS_RETURN_IF_ERROR(r.Keys(node, where, allowed));
  Route route = defaults;
  FS_RETURN_IF_ERROR(ReadTiming(r, node, where, route));
  if (node["name"]) {
    FS_ASSIGN_OR_RETURN(route.name, r.Text(node["name"], where + ".name"));
  }
  if (node["matchers"]) {
    FS_ASSIGN_OR_RETURN(route.matchers, r.MatcherList(node["matchers"], where + ".matchers"));
  }
  if (node["service"]) {
    FS_ASSIGN_OR_RETURN(route.service, r.Text(node["service"], where + ".service"));
  }
  if (node["severity"]) {
    FS_ASSIGN_OR_RETURN(route.severity, r.Text(node["severity"], where + ".severity"));
    if (route.severity != "P1" && route.severity != "P2" && route.severity != "P3" &&
        route.severity != "P4") {
      return Err(r.Fail(node["severity"], where + ".severity", "must be P1, P2, P3 or P4"));
    }
  }
  if (node["plan"]) {
    FS_ASSIGN_OR_RETURN(route.plan, r.Text(node["plan"], where + ".plan"));
  }
  if (node["declare"]) {
    FS_ASSIGN_OR_RETURN(route.declare, r.Bool(node["declare"], where + ".declare"));
  }
  return route;
}

Result<RoutingConfig> Parse(const YAML::Node& root, const Reader& r) {
  RoutingConfig config;
  if (root.IsNull()) return config;
  FS_RETURN_IF_ERROR(r.Keys(root, "", {"defaults", "routes", "inhibit_rules", "resolve_timeout"}));
  if (root["defaults"]) {
    FS_RETURN_IF_ERROR(r.Keys(root["defaults"], "defaults", kTimingKeys));
    FS_RETURN_IF_ERROR(ReadTiming(r, root["defaults"], "defaults", config.fallback));
  }
  if (root["resolve_timeout"]) {
    FS_ASSIGN_OR_RETURN(config.resolve_timeout_ms,
                        r.Millis(root["resolve_timeout"], "resolve_timeout"));
  }
  std::set<std::string> names = {config.fallback.name};
  if (const auto routes = root["routes"]) {
    if (!routes.IsSequence()) return Err(r.Fail(routes, "routes", "must be a list"));
    for (size_t i = 0; i < routes.size(); ++i) {
      const std::string where = "routes[" + std::to_string(i) + "]";
      FS_ASSIGN_OR_RETURN(Route route, ReadRoute(r, routes[i], where, config.fallback));
      if (!routes[i]["name"]) route.name = "route-" + std::to_string(i + 1);
      if (!names.insert(route.name).second) {
        return Err(r.Fail(routes[i], where + ".name", "'" + route.name + "' is used twice"));
      }
      config.routes.push_back(std::move(route));
    }
  }
  if (const auto rules = root["inhibit_rules"]) {
    if (!rules.IsSequence()) return Err(r.Fail(rules, "inhibit_rules", "must be a list"));
    for (size_t i = 0; i < rules.size(); ++i) {
      const std::string where = "inhibit_rules[" + std::to_string(i) + "]";
      FS_RETURN_IF_ERROR(r.Keys(rules[i], where, {"source_matchers", "target_matchers", "equal"}));
      InhibitRule rule;
      if (!rules[i]["source_matchers"] || !rules[i]["target_matchers"]) {
        return Err(r.Fail(rules[i], where, "needs source_matchers and target_matchers"));
      }
      FS_ASSIGN_OR_RETURN(rule.source,
                          r.MatcherList(rules[i]["source_matchers"], where + ".source_matchers"));
      FS_ASSIGN_OR_RETURN(rule.target,
                          r.MatcherList(rules[i]["target_matchers"], where + ".target_matchers"));
      if (rules[i]["equal"]) {
        FS_ASSIGN_OR_RETURN(rule.equal, r.List(rules[i]["equal"], where + ".equal"));
      }
      config.inhibit_rules.push_back(std::move(rule));
    }
  }
  return config;
}

}  // namespace

const Route& RoutingConfig::RouteFor(const Labels& labels) const {
  for (const auto& route : routes) {
    if (MatchesAll(route.matchers, labels)) return route;
  }
  return fallback;
}

std::vector<std::string> RoutingConfig::ReceiverNames() const {
  std::vector<std::string> out;
  for (const auto& r : routes) out.push_back(r.name);
  out.push_back(fallback.name);
  return out;
}

Result<RoutingConfig> ParseRoutingConfig(std::string_view yaml_text, const std::string& file) {
  Reader r(file);
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    FS_ASSIGN_OR_RETURN(RoutingConfig config, Parse(root, r));
    config.original = std::string(yaml_text);
    return config;
  } catch (const YAML::Exception& e) {
    return Err(
        InvalidArgument(file + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg));
  }
}

std::string IncidentSeverity(std::string_view s) {
  if (s == "P1" || s == "P2" || s == "P3" || s == "P4") return std::string(s);
  if (s == "critical" || s == "page" || s == "disaster") return "P2";
  if (s == "error" || s == "warning" || s == "high") return "P3";
  return "P4";
}

}  // namespace failsafe::watch::alerts

#include "watch/probes/yaml_fields.h"

#include <algorithm>
#include <charconv>

#include "base/duration.h"

namespace failsafe::watch::probes {

Status YamlError(const std::string& file, const YAML::Node& at, const std::string& field,
                 const std::string& message) {
  int line = 1, column = 1;
  if (at.IsDefined()) {
    line = at.Mark().line + 1;
    column = at.Mark().column + 1;
  }
  std::string text = file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
  if (!field.empty()) text += field + ": ";
  return InvalidArgument(text + message, field);
}

YamlFields::YamlFields(const std::string& file, const YAML::Node& node, std::string path)
    : file_(file), node_(node), path_(std::move(path)) {
  if (!node_.IsMap()) FailAt(node_, path_.empty() ? "(document)" : path_, "expected a mapping");
}

void YamlFields::FailAt(const YAML::Node& at, const std::string& field,
                        const std::string& message) {
  if (first_error_.ok()) first_error_ = YamlError(file_, at, field, message);
}

void YamlFields::Fail(const std::string& key, const std::string& message) {
  YAML::Node at = node_.IsMap() ? node_[key] : YAML::Node(YAML::NodeType::Undefined);
  FailAt(at.IsDefined() ? at : node_, Path(key), message);
}

bool YamlFields::Has(const std::string& key) const {
  return node_.IsMap() && node_[key].IsDefined() && !node_[key].IsNull();
}

YAML::Node YamlFields::Lookup(const std::string& key) {
  read_.push_back(key);
  if (!node_.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  YAML::Node v = node_[key];
  return v.IsDefined() && !v.IsNull() ? v : YAML::Node(YAML::NodeType::Undefined);
}

YAML::Node YamlFields::Node(const std::string& key) {
  return Lookup(key);
}

std::string YamlFields::String(const std::string& key, bool required, std::string fallback) {
  YAML::Node v = Lookup(key);
  if (!v.IsDefined()) {
    if (required) Fail(key, "required");
    return fallback;
  }
  if (!v.IsScalar()) {
    Fail(key, "expected a string");
    return fallback;
  }
  return v.Scalar();
}

int YamlFields::Int(const std::string& key, int fallback, int min, int max) {
  YAML::Node v = Lookup(key);
  if (!v.IsDefined()) return fallback;
  int value = 0;
  const std::string& s = v.IsScalar() ? v.Scalar() : std::string();
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (!v.IsScalar() || ec != std::errc() || end != s.data() + s.size() || value < min ||
      value > max) {
    Fail(key, "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    return fallback;
  }
  return value;
}

bool YamlFields::Bool(const std::string& key, bool fallback) {
  YAML::Node v = Lookup(key);
  if (!v.IsDefined()) return fallback;
  if (v.IsScalar() && (v.Scalar() == "true" || v.Scalar() == "false")) return v.Scalar() == "true";
  Fail(key, "expected true or false");
  return fallback;
}

std::chrono::milliseconds YamlFields::Duration(const std::string& key,
                                               std::chrono::milliseconds fallback) {
  YAML::Node v = Lookup(key);
  if (!v.IsDefined()) return fallback;
  auto d = v.IsScalar() ? ParseDuration(v.Scalar()) : Result<std::chrono::milliseconds>();
  if (!v.IsScalar() || !d || d->count() == 0) {
    Fail(key, "expected a positive duration such as 500ms, 15s or 5m");
    return fallback;
  }
  return *d;
}

std::vector<std::string> YamlFields::Strings(const std::string& key) {
  YAML::Node v = Lookup(key);
  std::vector<std::string> out;
  if (!v.IsDefined()) return out;
  if (!v.IsSequence()) {
    Fail(key, "expected a list of strings");
    return out;
  }
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].IsScalar()) {
      FailAt(v[i], Path(key) + "[" + std::to_string(i) + "]", "expected a string");
      return {};
    }
    out.push_back(v[i].Scalar());
  }
  return out;
}

std::vector<int> YamlFields::Ints(const std::string& key, int min, int max) {
  YAML::Node v = Lookup(key);
  std::vector<int> out;
  if (!v.IsDefined()) return out;
  if (!v.IsSequence()) {
    Fail(key, "expected a list of numbers");
    return out;
  }
  for (size_t i = 0; i < v.size(); ++i) {
    int value = 0;
    const std::string s = v[i].IsScalar() ? v[i].Scalar() : std::string();
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || value < min ||
        value > max) {
      FailAt(v[i], Path(key) + "[" + std::to_string(i) + "]",
             "expected a number from " + std::to_string(min) + " to " + std::to_string(max));
      return {};
    }
    out.push_back(value);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> YamlFields::StringMap(const std::string& key) {
  YAML::Node v = Lookup(key);
  std::vector<std::pair<std::string, std::string>> out;
  if (!v.IsDefined()) return out;
  if (!v.IsMap()) {
    Fail(key, "expected a mapping of names to strings");
    return out;
  }
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (!it->first.IsScalar() || !it->second.IsScalar()) {
      FailAt(it->first, Path(key), "expected a mapping of names to strings");
      return {};
    }
    out.emplace_back(it->first.Scalar(), it->second.Scalar());
  }
  return out;
}

Status YamlFields::Finish() {
  if (!first_error_.ok()) return first_error_;
  std::vector<std::string> seen;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string("?");
    if (std::find(seen.begin(), seen.end(), key) != seen.end())
      return YamlError(file_, it->first, Path(key), "duplicate field");
    seen.push_back(key);
    if (std::find(read_.begin(), read_.end(), key) == read_.end())
      return YamlError(file_, it->first, Path(key), "unknown field");
  }
  return Status::Ok();
}

}  // namespace failsafe::watch::probes

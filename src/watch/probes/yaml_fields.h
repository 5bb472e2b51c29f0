#pragma once
// Strict reading of one YAML mapping for config files: every error names the file, line and
// column and the field path ("probes.yaml:7:14: probes[2].timeout: ..."), and fields nobody
// read are reported as unknown, so a typo is never silently ignored.
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace failsafe::watch::probes {

// "file:line:column: field: message" as InvalidArgument with `field` set.
Status YamlError(const std::string& file, const YAML::Node& at, const std::string& field,
                 const std::string& message);

class YamlFields {
 public:
  // `node` must be a mapping (else the first getter reports it).
  YamlFields(const std::string& file, const YAML::Node& node, std::string path);

  bool Has(const std::string& key) const;
  std::string String(const std::string& key, bool required = false, std::string fallback = {});
  int Int(const std::string& key, int fallback, int min, int max);
  bool Bool(const std::string& key, bool fallback);
  std::chrono::milliseconds Duration(const std::string& key, std::chrono::milliseconds fallback);
  std::vector<std::string> Strings(const std::string& key);
  std::vector<int> Ints(const std::string& key, int min, int max);
  // A mapping of string to string (headers, labels), in file order.
  std::vector<std::pair<std::string, std::string>> StringMap(const std::string& key);
  // The raw node of `key` (Undefined when absent), marked as read.
  YAML::Node Node(const std::string& key);

  std::string Path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  // Records an error at `key`'s value (or the mapping when absent). The first one wins.
  void Fail(const std::string& key, const std::string& message);
  void FailAt(const YAML::Node& at, const std::string& field, const std::string& message);
  // Keeps `error` (from a nested mapping's reader) as this reader's first error.
  void Adopt(const Status& error) {
    if (first_error_.ok()) first_error_ = error;
  }
  bool failed() const { return !first_error_.ok(); }
  const std::string& file() const { return file_; }

  // The first error, or an unknown-field error, or OK.
  Status Finish();

 private:
  YAML::Node Lookup(const std::string& key);
  const std::string& file_;
  YAML::Node node_;
  std::string path_;
  std::vector<std::string> read_;
  Status first_error_;
};

}  // namespace failsafe::watch::probes

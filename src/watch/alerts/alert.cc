#include "watch/alerts/alert.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>

#include "base/json.h"

namespace failsafe::watch::alerts {

bool ValidLabelName(std::string_view name) {
  return name.size() <= 256 && IsValidLabelName(name);
}

Result<Labels> LabelsFromJson(const boost::json::object& obj, const std::string& field) {
  Labels out;
  out.reserve(obj.size());
  for (const auto& kv : obj) {
    const std::string name(kv.key());
    if (!ValidLabelName(name)) {
      return Err(InvalidArgument(
          "invalid label name '" + name.substr(0, 64) + "' (names are [a-zA-Z_][a-zA-Z0-9_]*)",
          field));
    }
    if (!kv.value().is_string()) {
      return Err(InvalidArgument("label values must be strings", field + "." + name));
    }
    const auto& v = kv.value().get_string();
    if (v.empty()) continue;
    out.push_back({name, std::string(v)});
  }
  return SortedLabels(std::move(out));
}

Labels SortedLabels(Labels labels) {
  std::stable_sort(labels.begin(), labels.end(),
                   [](const Label& a, const Label& b) { return a.name < b.name; });
  Labels out;
  out.reserve(labels.size());
  for (auto& l : labels) {
    if (!out.empty() && out.back().name == l.name) {
      out.back().value = std::move(l.value);
    } else {
      out.push_back(std::move(l));
    }
  }
  std::erase_if(out, [](const Label& l) { return l.value.empty(); });
  return out;
}

void AddLabelIfAbsent(Labels& labels, std::string_view name, std::string_view value) {
  if (value.empty()) return;
  auto it = std::lower_bound(labels.begin(), labels.end(), name,
                             [](const Label& l, std::string_view n) { return l.name < n; });
  if (it != labels.end() && it->name == name) return;
  labels.insert(it, Label{std::string(name), std::string(value)});
}

std::string FingerprintHex(uint64_t fingerprint) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fingerprint));
  return buf;
}

std::string LabelsJson(const Labels& labels) {
  std::string out;
  json::Writer w(out);
  w.BeginObject();
  for (const auto& l : labels) w.Field(l.name, l.value);
  w.EndObject();
  return out;
}

}  // namespace failsafe::watch::alerts

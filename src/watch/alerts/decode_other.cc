// DecodeZabbixWebhook and DecodeGenericAlerts: the two formats failsafe defines itself
// (docs/watch/alerts.md gives the Zabbix media type script that produces the first).
#include <cctype>

#include "watch/alerts/decode_common.h"

namespace failsafe::watch::alerts {
namespace {

using decode::Finish;
using decode::LabelsMember;
using decode::OptionalText;
using decode::OptionalTime;

// Zabbix severities to failsafe's P1..P4.
std::string_view SeverityFromZabbix(std::string_view s) {
  if (s == "Disaster" || s == "5") return "P1";
  if (s == "High" || s == "4") return "P2";
  if (s == "Average" || s == "3") return "P3";
  return "P4";  // Warning, Information, Not classified
}

// A Zabbix tag name as a label name: other characters become '_'.
std::string LabelNameFrom(std::string_view tag) {
  std::string out;
  for (char c : tag) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out.insert(0, "tag_");
  return out.substr(0, 256);
}

Result<std::string> RequiredText(const boost::json::object& obj, std::string_view key) {
  FS_ASSIGN_OR_RETURN(std::string v, OptionalText(obj, key, std::string(key)));
  if (v.empty()) return Err(InvalidArgument("is required", std::string(key)));
  return v;
}

Result<Alert> GenericAlert(const boost::json::value& v, const std::string& field,
                           const DecodeOptions& o) {
  if (!v.is_object()) return Err(InvalidArgument("each alert must be an object", field));
  const auto& obj = v.get_object();
  auto at = [&field](std::string_view key) {
    return field.empty() ? std::string(key) : field + "." + std::string(key);
  };
  Alert a;
  FS_ASSIGN_OR_RETURN(a.labels, LabelsMember(obj, "labels", at("labels"), false));
  FS_ASSIGN_OR_RETURN(a.annotations, LabelsMember(obj, "annotations", at("annotations"), false));
  FS_ASSIGN_OR_RETURN(std::string name, OptionalText(obj, "name", at("name")));
  if (name.empty() && LabelValue(a.labels, "alertname").empty()) {
    return Err(InvalidArgument("is required (or labels.alertname)", at("name")));
  }
  // Shortcuts override the labels: they are what the sender stated most plainly.
  for (auto [key, label] : {std::pair{"name", "alertname"}, std::pair{"service", "service"},
                            std::pair{"severity", "severity"}}) {
    FS_ASSIGN_OR_RETURN(std::string text, OptionalText(obj, key, at(key)));
    if (!text.empty()) a.labels.push_back({label, text});
  }
  a.labels = SortedLabels(std::move(a.labels));
  for (auto key : {"summary", "description"}) {
    FS_ASSIGN_OR_RETURN(std::string text, OptionalText(obj, key, at(key)));
    AddLabelIfAbsent(a.annotations, key, text);
  }
  FS_ASSIGN_OR_RETURN(a.generator_url, OptionalText(obj, "url", at("url")));
  FS_ASSIGN_OR_RETURN(std::string status, OptionalText(obj, "status", at("status")));
  if (!status.empty() && status != "firing" && status != "resolved") {
    return Err(InvalidArgument("must be \"firing\" or \"resolved\"", at("status")));
  }
  FS_ASSIGN_OR_RETURN(auto starts, OptionalTime(obj, "starts_at", at("starts_at")));
  FS_ASSIGN_OR_RETURN(auto ends, OptionalTime(obj, "ends_at", at("ends_at")));
  FS_RETURN_IF_ERROR(Finish(a, starts, ends, status == "resolved", o, field));
  return a;
}

}  // namespace

Result<std::vector<Alert>> DecodeZabbixWebhook(std::string_view body, const DecodeOptions& o) {
  FS_ASSIGN_OR_RETURN(auto v, decode::ParseBody(body, "Zabbix webhook"));
  if (!v.is_object()) return Err(InvalidArgument("Zabbix webhook must be a JSON object"));
  const auto& obj = v.get_object();
  FS_ASSIGN_OR_RETURN(std::string event_id, RequiredText(obj, "event_id"));
  FS_ASSIGN_OR_RETURN(std::string event_name, RequiredText(obj, "event_name"));
  FS_ASSIGN_OR_RETURN(std::string host, RequiredText(obj, "host"));
  FS_ASSIGN_OR_RETURN(std::string value, RequiredText(obj, "event_value"));
  // One character, '0' or '1' (compared as a char: GCC 12 -O2 warns falsely on the strings).
  if (value.size() != 1 || (value[0] != '0' && value[0] != '1')) {
    return Err(InvalidArgument("must be \"1\" (problem) or \"0\" (resolved), from {EVENT.VALUE}",
                               "event_value"));
  }
  FS_ASSIGN_OR_RETURN(std::string severity, OptionalText(obj, "severity", "severity"));
  FS_ASSIGN_OR_RETURN(std::string trigger_id, OptionalText(obj, "trigger_id", "trigger_id"));
  FS_ASSIGN_OR_RETURN(std::string message, OptionalText(obj, "message", "message"));
  FS_ASSIGN_OR_RETURN(std::string url, OptionalText(obj, "url", "url"));
  FS_ASSIGN_OR_RETURN(std::string tags, OptionalText(obj, "tags", "tags"));
  Alert a;
  // Tags first so the fixed labels win: "service:jira, team:ops" ({EVENT.TAGS}).
  size_t pos = 0;
  while (pos < tags.size()) {
    size_t end = tags.find(',', pos);
    if (end == std::string::npos) end = tags.size();
    std::string_view tag = std::string_view(tags).substr(pos, end - pos);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    size_t colon = tag.find(':');
    if (!tag.empty() && colon != 0) {
      std::string_view name = tag.substr(0, colon);
      std::string_view val = colon == std::string_view::npos ? "" : tag.substr(colon + 1);
      a.labels.push_back({LabelNameFrom(name), std::string(val.empty() ? "true" : val)});
    }
    pos = end + 1;
  }
  a.labels.push_back({"alertname", event_name});
  a.labels.push_back({"host", host});
  // Problem and recovery messages of one problem share {EVENT.ID}: it makes them one alert.
  a.labels.push_back({"zabbix_event_id", event_id});
  a.labels.push_back({"zabbix_trigger_id", trigger_id});
  if (!severity.empty()) {
    a.labels.push_back({"zabbix_severity", severity});
    a.labels.push_back({"severity", std::string(SeverityFromZabbix(severity))});
  }
  a.labels = SortedLabels(std::move(a.labels));
  AddLabelIfAbsent(a.annotations, "summary", event_name + " on " + host);
  AddLabelIfAbsent(a.annotations, "description", message);
  a.generator_url = url;
  FS_ASSIGN_OR_RETURN(auto starts, OptionalTime(obj, "event_time", "event_time"));
  const bool resolved = value[0] == '0';
  FS_RETURN_IF_ERROR(Finish(a, resolved ? std::nullopt : starts, std::nullopt, resolved, o, ""));
  return std::vector<Alert>{std::move(a)};
}

Result<std::vector<Alert>> DecodeGenericAlerts(std::string_view body, const DecodeOptions& o) {
  FS_ASSIGN_OR_RETURN(auto v, decode::ParseBody(body, "generic alerts"));
  if (!v.is_object()) {
    return Err(InvalidArgument("the body must be a JSON object: {\"alerts\": [...]} or one alert"));
  }
  std::vector<Alert> out;
  const auto* alerts = v.get_object().if_contains("alerts");
  if (alerts == nullptr) {
    FS_ASSIGN_OR_RETURN(Alert a, GenericAlert(v, "", o));
    out.push_back(std::move(a));
    return out;
  }
  if (!alerts->is_array()) return Err(InvalidArgument("must be an array", "alerts"));
  size_t i = 0;
  for (const auto& item : alerts->get_array()) {
    FS_ASSIGN_OR_RETURN(Alert a, GenericAlert(item, "alerts[" + std::to_string(i++) + "]", o));
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace failsafe::watch::alerts

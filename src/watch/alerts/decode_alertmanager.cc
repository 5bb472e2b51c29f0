// DecodeV2Alerts, DecodeAlertmanagerWebhook, DecodeGrafanaWebhook: the Alertmanager shapes.
#include "watch/alerts/decode_common.h"

namespace failsafe::watch::alerts {
namespace {

using decode::Finish;
using decode::LabelsMember;
using decode::OptionalText;
using decode::OptionalTime;

// One alert object of either shape; `status` ("firing"/"resolved") is read when `with_status`.
Result<Alert> AlertFromObject(const boost::json::value& v, const std::string& field,
                              bool with_status, const DecodeOptions& o) {
  if (!v.is_object()) return Err(InvalidArgument("each alert must be an object", field));
  const auto& obj = v.get_object();
  Alert a;
  FS_ASSIGN_OR_RETURN(a.labels, LabelsMember(obj, "labels", field + ".labels", true));
  FS_ASSIGN_OR_RETURN(a.annotations,
                      LabelsMember(obj, "annotations", field + ".annotations", false));
  FS_ASSIGN_OR_RETURN(a.generator_url, OptionalText(obj, "generatorURL", field + ".generatorURL"));
  FS_ASSIGN_OR_RETURN(auto starts, OptionalTime(obj, "startsAt", field + ".startsAt"));
  FS_ASSIGN_OR_RETURN(auto ends, OptionalTime(obj, "endsAt", field + ".endsAt"));
  bool resolved = false;
  if (with_status) {
    FS_ASSIGN_OR_RETURN(std::string status, OptionalText(obj, "status", field + ".status"));
    if (status != "firing" && status != "resolved") {
      return Err(InvalidArgument("must be \"firing\" or \"resolved\"", field + ".status"));
    }
    resolved = status == "resolved";
    if (!resolved) ends.reset();  // a firing alert's endsAt is Go's zero time or stale
  }
  FS_RETURN_IF_ERROR(Finish(a, starts, ends, resolved, o, field));
  return a;
}

Result<std::vector<Alert>> DecodeWebhook(std::string_view body, const DecodeOptions& o,
                                         std::string_view what, bool grafana) {
  FS_ASSIGN_OR_RETURN(auto v, decode::ParseBody(body, what));
  if (!v.is_object()) return Err(InvalidArgument(std::string(what) + " must be a JSON object"));
  const auto& obj = v.get_object();
  const auto* alerts = obj.if_contains("alerts");
  if (alerts == nullptr) return Err(InvalidArgument("is required", "alerts"));
  if (!alerts->is_array()) return Err(InvalidArgument("must be an array", "alerts"));
  if (!grafana) {
    FS_ASSIGN_OR_RETURN(std::string version, OptionalText(obj, "version", "version"));
    if (version != "4") {
      return Err(
          InvalidArgument("must be \"4\" (the Alertmanager webhook payload version)", "version"));
    }
  }
  std::vector<Alert> out;
  out.reserve(alerts->get_array().size());
  size_t i = 0;
  for (const auto& item : alerts->get_array()) {
    const std::string field = "alerts[" + std::to_string(i++) + "]";
    FS_ASSIGN_OR_RETURN(Alert a, AlertFromObject(item, field, true, o));
    if (grafana) {
      // Grafana carries the measured value and links outside the annotations.
      const auto& ao = item.get_object();
      for (auto [key, name] :
           {std::pair{"valueString", "value"}, std::pair{"dashboardURL", "dashboard_url"},
            std::pair{"panelURL", "panel_url"}}) {
        FS_ASSIGN_OR_RETURN(std::string text, OptionalText(ao, key, field + "." + key));
        AddLabelIfAbsent(a.annotations, name, text);
      }
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

Result<std::vector<Alert>> DecodeV2AlertsDom(std::string_view body, const DecodeOptions& o) {
  FS_ASSIGN_OR_RETURN(auto v, decode::ParseBody(body, "alerts"));
  if (!v.is_array()) {
    return Err(InvalidArgument("the body must be a JSON array of alerts ([{\"labels\": {...}}])"));
  }
  std::vector<Alert> out;
  out.reserve(v.get_array().size());
  size_t i = 0;
  for (const auto& item : v.get_array()) {
    FS_ASSIGN_OR_RETURN(Alert a, AlertFromObject(item, "[" + std::to_string(i++) + "]", false, o));
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<Alert>> DecodeAlertmanagerWebhook(std::string_view body,
                                                     const DecodeOptions& o) {
  return DecodeWebhook(body, o, "Alertmanager webhook", false);
}

Result<std::vector<Alert>> DecodeGrafanaWebhook(std::string_view body, const DecodeOptions& o) {
  return DecodeWebhook(body, o, "Grafana webhook", true);
}

Decoder DecoderFor(std::string_view kind) {
  if (kind == "v2") return &DecodeV2Alerts;
  if (kind == "alertmanager") return &DecodeAlertmanagerWebhook;
  if (kind == "grafana") return &DecodeGrafanaWebhook;
  if (kind == "zabbix") return &DecodeZabbixWebhook;
  if (kind == "generic") return &DecodeGenericAlerts;
  return nullptr;
}

}  // namespace failsafe::watch::alerts

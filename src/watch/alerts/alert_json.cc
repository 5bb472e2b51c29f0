#include "watch/alerts/alert_json.h"

#include "base/clock.h"
#include "base/encoding.h"

namespace failsafe::watch::alerts {
namespace {

Result<bool> BoolParam(const server::Request& r, const std::string& name) {
  auto v = r.Query(name);
  if (!v || v->empty() || *v == "true") return true;
  if (*v == "false") return false;
  return Err(InvalidArgument("must be true or false", name));
}

std::string DecodeQueryPart(std::string_view s) {
  std::string plus(s);
  for (char& c : plus) {
    if (c == '+') c = ' ';
  }
  auto d = UrlDecode(plus);
  return d ? *d : std::string();
}

}  // namespace

std::vector<std::string> QueryValues(std::string_view target, std::string_view key) {
  std::vector<std::string> out;
  size_t q = target.find('?');
  if (q == std::string_view::npos) return out;
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    size_t eq = part.find('=');
    if (DecodeQueryPart(part.substr(0, eq)) == key && eq != std::string_view::npos) {
      out.push_back(DecodeQueryPart(part.substr(eq + 1)));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

Result<AlertFilter> FilterFrom(const server::Request& request) {
  AlertFilter f;
  FS_ASSIGN_OR_RETURN(f.active, BoolParam(request, "active"));
  FS_ASSIGN_OR_RETURN(f.silenced, BoolParam(request, "silenced"));
  FS_ASSIGN_OR_RETURN(f.inhibited, BoolParam(request, "inhibited"));
  FS_ASSIGN_OR_RETURN(f.unprocessed, BoolParam(request, "unprocessed"));
  for (const auto& text : QueryValues(request.target, "filter")) {
    FS_ASSIGN_OR_RETURN(auto m, Matcher::Parse(text, "filter"));
    f.matchers.push_back(std::move(m));
  }
  if (auto r = request.Query("receiver"); r && !r->empty()) {
    FS_ASSIGN_OR_RETURN(auto m, Matcher::Make("receiver", *r, true, true, "receiver"));
    f.receiver_re = std::make_shared<Matcher>(std::move(m));
  }
  return f;
}

bool Passes(const AlertFilter& f, const Alert& alert, const MuteState& state,
            const std::string& receiver, int64_t now_ms) {
  if (alert.Resolved(now_ms)) return false;
  const bool silenced = !state.silenced_by.empty() || state.maintenance_id.has_value();
  const bool inhibited = !state.inhibited_by.empty();
  if (!f.active && !silenced && !inhibited) return false;
  if (!f.silenced && silenced) return false;
  if (!f.inhibited && inhibited) return false;
  if (f.receiver_re && !f.receiver_re->Matches(Labels{{"receiver", receiver}})) return false;
  return MatchesAll(f.matchers, alert.labels);
}

void WriteAlert(json::Writer& w, const Alert& a, const MuteState& state,
                const std::string& receiver) {
  w.BeginObject();
  w.Key("annotations");
  w.BeginObject();
  for (const auto& l : a.annotations) w.Field(l.name, l.value);
  w.EndObject();
  w.Field("endsAt", FormatRfc3339(a.ends_at));
  w.Field("fingerprint", FingerprintHex(a.fingerprint));
  w.Key("receivers");
  w.BeginArray();
  w.BeginObject();
  w.Field("name", receiver);
  w.EndObject();
  w.EndArray();
  w.Field("startsAt", FormatRfc3339(a.starts_at));
  w.Key("status");
  w.BeginObject();
  w.Key("inhibitedBy");
  w.BeginArray();
  for (const auto& fp : state.inhibited_by) w.String(fp);
  w.EndArray();
  w.Key("silencedBy");
  w.BeginArray();
  for (const auto& id : state.silenced_by) w.String(id);
  // Maintenance mutes like a silence; its id says where it comes from.
  if (state.maintenance_id) w.String("maintenance-" + std::to_string(*state.maintenance_id));
  w.EndArray();
  w.Field("state", state.muted() ? "suppressed" : "active");
  w.EndObject();
  w.Field("updatedAt", FormatRfc3339(a.updated_at));
  if (!a.generator_url.empty()) w.Field("generatorURL", a.generator_url);
  w.Key("labels");
  w.BeginObject();
  for (const auto& l : a.labels) w.Field(l.name, l.value);
  w.EndObject();
  w.EndObject();
}

}  // namespace failsafe::watch::alerts

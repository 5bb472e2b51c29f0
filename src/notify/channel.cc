#include "notify/channel.h"

#include <algorithm>
#include <array>

#include "base/clock.h"
#include "base/json.h"
#include "notify/email.h"
#include "notify/http_post.h"

namespace failsafe::notify {
namespace {

namespace bj = boost::json;

constexpr std::array<const char*, 6> kTypes = {"dingtalk", "feishu",  "wecom",
                                               "slack",    "webhook", "email"};
// The same words as catalog::kAudiences (catalog/catalog.h documents the vocabulary).
constexpr std::array<const char*, 3> kAudiences = {"internal", "customers", "leadership"};
constexpr std::array<const char*, 4> kSeverities = {"P1", "P2", "P3", "P4"};
constexpr int kMaxListItems = 100;

template <size_t N>
bool OneOf(const std::array<const char*, N>& set, const std::string& v) {
  return std::any_of(set.begin(), set.end(), [&](const char* s) { return v == s; });
}

// A list of strings from `key`; records the error on `reader` and returns nullopt when the
// value is not an array of at most kMaxListItems non-empty strings.
std::optional<std::vector<std::string>> StringList(json::ObjectReader& reader,
                                                   std::string_view key) {
  const bj::array* arr = reader.OptionalArray(key);
  if (arr == nullptr) return std::nullopt;
  if (arr->size() > kMaxListItems) {
    reader.Fail(key, "field '" + reader.FieldName(key) + "' has more than 100 items");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < arr->size(); ++i) {
    const bj::value& v = (*arr)[i];
    if (!v.is_string() || v.as_string().empty() || v.as_string().size() > 200) {
      reader.Fail(key, "field '" + reader.FieldName(key) + "[" + std::to_string(i) +
                           "]' must be a non-empty string of at most 200 bytes");
      return std::nullopt;
    }
    out.emplace_back(v.as_string());
  }
  return out;
}

std::optional<int> Rate(json::ObjectReader& reader, std::string_view key) {
  auto v = reader.OptionalInt(key);
  if (!v) return std::nullopt;
  if (*v < 0 || *v > 100000) {
    reader.Fail(key, "field '" + reader.FieldName(key) + "' must be between 0 and 100000");
    return std::nullopt;
  }
  return static_cast<int>(*v);
}

bj::array JsonList(const std::vector<std::string>& v) {
  bj::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

std::string ListText(const std::vector<std::string>& v) {
  return bj::serialize(JsonList(v));
}

std::vector<std::string> ParseList(const std::string& text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  bj::value v = bj::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& item : v.as_array()) {
    if (item.is_string()) out.emplace_back(item.as_string());
  }
  return out;
}

std::string Aad(const std::string& name, const char* what) {
  return "channel:" + name + ":" + what;
}

bool StartsWith(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

bool LooksLikeAddress(const std::string& s) {
  const std::string bare = BareAddress(s);
  const size_t at = bare.find('@');
  return at != std::string::npos && at > 0 && at + 1 < bare.size() &&
         bare.find_first_of(" \r\n<>,") == std::string::npos;
}

}  // namespace

bool IsChannelType(const std::string& type) {
  return OneOf(kTypes, type);
}
bool IsAudience(const std::string& audience) {
  return OneOf(kAudiences, audience);
}

void DefaultRates(const std::string& type, int* per_second, int* per_minute) {
  *per_second = 0;
  *per_minute = 0;
  if (type == "dingtalk" || type == "wecom") *per_minute = 20;
  if (type == "feishu") {
    *per_second = 5;
    *per_minute = 100;
  }
  if (type == "slack") *per_second = 1;
}

Result<ChannelInput> ParseChannelInput(const bj::object& body, bool create) {
  ChannelInput in;
  json::ObjectReader r(body);
  if (create) {
    in.name = r.RequiredString("name", 100);
    in.type = r.RequiredString("type", 20);
    in.url = r.RequiredString("url", 2000);
  } else {
    in.name = r.OptionalString("name", 100);
    in.type = r.OptionalString("type", 20);
    in.url = r.OptionalString("url", 2000);
  }
  in.secret = r.OptionalString("secret", 500);
  in.enabled = r.OptionalBool("enabled");
  in.audiences = StringList(r, "audiences");
  if (const bj::object* scope = r.OptionalObject("scope")) {
    json::ObjectReader s(*scope, "scope");
    in.services = StringList(s, "services");
    in.teams = StringList(s, "teams");
    in.severities = StringList(s, "severities");
    FS_RETURN_IF_ERROR(s.Finish());
  }
  if (const bj::object* rate = r.OptionalObject("rate_limit")) {
    json::ObjectReader s(*rate, "rate_limit");
    in.rate_per_second = Rate(s, "per_second");
    in.rate_per_minute = Rate(s, "per_minute");
    FS_RETURN_IF_ERROR(s.Finish());
  }
  if (const bj::object* email = r.OptionalObject("email")) {
    json::ObjectReader s(*email, "email");
    in.starttls = s.OptionalString("starttls", 20);
    in.smtp_user = s.OptionalString("user", 200);
    in.smtp_password = s.OptionalString("password", 500);
    in.from = s.OptionalString("from", 300);
    in.to = StringList(s, "to");
    in.ca_file = s.OptionalString("ca_file", 1000);
    FS_RETURN_IF_ERROR(s.Finish());
  }
  FS_RETURN_IF_ERROR(r.Finish());
  return in;
}

Status ApplyChannelInput(const ChannelInput& in, const auth::SecretBox& box, Channel& ch) {
  const bool create = ch.id == 0;
  const std::string old_name = ch.name;
  // Open what is sealed under the old name first: a rename re-seals under the new one.
  std::optional<std::string> url, secret, password;
  if (!create) {
    auto opened = box.Open(ch.url_sealed, Aad(old_name, "url"));
    if (!opened) return opened.error().WithContext("opening channel " + old_name);
    url = *opened;
    if (ch.secret_sealed) {
      auto s = box.Open(*ch.secret_sealed, Aad(old_name, "secret"));
      if (!s) return s.error().WithContext("opening channel " + old_name);
      secret = *s;
    }
    if (ch.smtp_password_sealed) {
      auto s = box.Open(*ch.smtp_password_sealed, Aad(old_name, "smtp_password"));
      if (!s) return s.error().WithContext("opening channel " + old_name);
      password = *s;
    }
  }
  if (in.name) ch.name = *in.name;
  if (in.type) {
    if (!create && *in.type != ch.type) {
      return InvalidArgument("a channel's type cannot change; add a new channel", "type");
    }
    ch.type = *in.type;
  }
  if (in.url) url = *in.url;
  if (in.secret) secret = in.secret->empty() ? std::nullopt : in.secret;
  if (in.smtp_password) password = in.smtp_password->empty() ? std::nullopt : in.smtp_password;
  if (in.enabled) ch.enabled = *in.enabled;
  if (in.audiences) ch.audiences = *in.audiences;
  if (in.services) ch.services = *in.services;
  if (in.teams) ch.teams = *in.teams;
  if (in.severities) ch.severities = *in.severities;
  if (in.starttls) ch.email.starttls = *in.starttls;
  if (in.smtp_user) ch.email.user = *in.smtp_user;
  if (in.from) ch.email.from = *in.from;
  if (in.to) ch.email.to = *in.to;
  if (in.ca_file) ch.email.ca_file = *in.ca_file;

  if (ch.name.empty()) return InvalidArgument("name must not be empty", "name");
  if (ch.name.find_first_of("/\r\n\t") != std::string::npos) {
    return InvalidArgument("name must not contain '/' or control characters", "name");
  }
  if (!IsChannelType(ch.type)) {
    return InvalidArgument("type must be one of dingtalk, feishu, wecom, slack, webhook, email",
                           "type");
  }
  if (create) {
    DefaultRates(ch.type, &ch.rate_per_second, &ch.rate_per_minute);
  }
  if (in.rate_per_second) ch.rate_per_second = *in.rate_per_second;
  if (in.rate_per_minute) ch.rate_per_minute = *in.rate_per_minute;

  const std::string& u = *url;
  if (ch.type == "email") {
    if (!StartsWith(u, "smtp://") && !StartsWith(u, "smtps://")) {
      return InvalidArgument("an email channel's url must start with smtp:// or smtps://", "url");
    }
    if (ch.email.starttls != "required" && ch.email.starttls != "optional" &&
        ch.email.starttls != "off") {
      return InvalidArgument("email.starttls must be required, optional or off", "email.starttls");
    }
    if (!LooksLikeAddress(ch.email.from)) {
      return InvalidArgument("email.from must be an email address", "email.from");
    }
    for (const auto& to : ch.email.to) {
      if (!LooksLikeAddress(to)) {
        return InvalidArgument("email.to has an invalid address '" + to + "'", "email.to");
      }
    }
  } else {
    if (!StartsWith(u, "https://") && !StartsWith(u, "http://")) {
      return InvalidArgument("url must start with https:// (or http://)", "url");
    }
    if (in.starttls || in.smtp_user || in.smtp_password || in.from || in.to || in.ca_file) {
      return InvalidArgument("email settings apply only to email channels", "email");
    }
  }
  if (u.size() <= u.find("://") + 3 || u.find_first_of(" \r\n\t") != std::string::npos) {
    return InvalidArgument("url must be an absolute URL with a host", "url");
  }
  if (ch.audiences.empty()) {
    return InvalidArgument("audiences must name at least one of internal, customers, leadership",
                           "audiences");
  }
  for (const auto& a : ch.audiences) {
    if (!IsAudience(a)) {
      return InvalidArgument("audience '" + a + "' must be internal, customers or leadership",
                             "audiences");
    }
  }
  for (const auto& s : ch.severities) {
    if (!OneOf(kSeverities, s)) {
      return InvalidArgument("severity '" + s + "' must be one of P1, P2, P3, P4",
                             "scope.severities");
    }
  }
  ch.url_hint = RedactedUrl(u);
  ch.url_sealed = box.Seal(u, Aad(ch.name, "url"));
  ch.secret_sealed =
      secret ? std::optional<std::string>(box.Seal(*secret, Aad(ch.name, "secret"))) : std::nullopt;
  ch.smtp_password_sealed =
      password ? std::optional<std::string>(box.Seal(*password, Aad(ch.name, "smtp_password")))
               : std::nullopt;
  return Status::Ok();
}

bj::object ChannelJson(const Channel& ch) {
  bj::object o{
      {"id", ch.id},
      {"name", ch.name},
      {"type", ch.type},
      {"url", ch.url_hint},
      {"has_secret", ch.secret_sealed.has_value()},
      {"enabled", ch.enabled},
      {"audiences", JsonList(ch.audiences)},
      {"scope",
       {{"services", JsonList(ch.services)},
        {"teams", JsonList(ch.teams)},
        {"severities", JsonList(ch.severities)}}},
      {"rate_limit", {{"per_second", ch.rate_per_second}, {"per_minute", ch.rate_per_minute}}},
      {"created_at", FormatRfc3339(ch.created_at)},
      {"updated_at", FormatRfc3339(ch.updated_at)}};
  if (ch.type == "email") {
    o["email"] = {{"starttls", ch.email.starttls},
                  {"user", ch.email.user},
                  {"has_password", ch.smtp_password_sealed.has_value()},
                  {"from", ch.email.from},
                  {"to", JsonList(ch.email.to)},
                  {"ca_file", ch.email.ca_file}};
  }
  return o;
}

Result<SendTarget> OpenTarget(const Channel& ch, const auth::SecretBox& box) {
  SendTarget t;
  t.channel_id = ch.id;
  t.name = ch.name;
  t.type = ch.type;
  FS_ASSIGN_OR_RETURN(t.url, box.Open(ch.url_sealed, Aad(ch.name, "url")));
  if (ch.secret_sealed) {
    FS_ASSIGN_OR_RETURN(t.secret, box.Open(*ch.secret_sealed, Aad(ch.name, "secret")));
  }
  t.email = ch.email;
  if (ch.smtp_password_sealed) {
    FS_ASSIGN_OR_RETURN(t.email.password,
                        box.Open(*ch.smtp_password_sealed, Aad(ch.name, "smtp_password")));
  }
  return t;
}

// ---- storage ----
namespace {

constexpr const char* kColumns =
    "id, name, type, url_sealed, url_hint, secret_sealed, enabled, audiences, scope_services, "
    "scope_teams, scope_severities, rate_per_second, rate_per_minute, email_settings, "
    "smtp_password_sealed, created_at, updated_at";

std::string EmailText(const EmailSettings& e) {
  bj::object o{{"starttls", e.starttls},
               {"user", e.user},
               {"from", e.from},
               {"to", JsonList(e.to)},
               {"ca_file", e.ca_file}};
  return bj::serialize(o);
}

EmailSettings ParseEmail(const std::string& text) {
  EmailSettings e;
  boost::system::error_code ec;
  bj::value v = bj::parse(text, ec);
  if (ec || !v.is_object()) return e;
  const auto& o = v.as_object();
  auto str = [&](const char* k, std::string& out) {
    if (const auto* f = o.if_contains(k); f && f->is_string()) out = std::string(f->as_string());
  };
  str("starttls", e.starttls);
  str("user", e.user);
  str("from", e.from);
  str("ca_file", e.ca_file);
  if (const auto* f = o.if_contains("to"); f && f->is_array()) {
    for (const auto& t : f->as_array()) {
      if (t.is_string()) e.to.emplace_back(t.as_string());
    }
  }
  return e;
}

Channel FromRow(const store::Row& r) {
  Channel c;
  c.id = r.Int(0);
  c.name = r.Text(1);
  c.type = r.Text(2);
  c.url_sealed = r.Text(3);
  c.url_hint = r.Text(4);
  c.secret_sealed = r.OptText(5);
  c.enabled = r.Int(6) != 0;
  c.audiences = ParseList(r.Text(7));
  c.services = ParseList(r.Text(8));
  c.teams = ParseList(r.Text(9));
  c.severities = ParseList(r.Text(10));
  c.rate_per_second = static_cast<int>(r.Int(11));
  c.rate_per_minute = static_cast<int>(r.Int(12));
  c.email = ParseEmail(r.Text(13));
  c.smtp_password_sealed = r.OptText(14);
  c.created_at = r.Int(15);
  c.updated_at = r.Int(16);
  return c;
}

std::vector<store::Value> Params(const Channel& c) {
  return {c.name,
          c.type,
          c.url_sealed,
          c.url_hint,
          store::OptionalText(c.secret_sealed),
          int64_t{c.enabled ? 1 : 0},
          ListText(c.audiences),
          ListText(c.services),
          ListText(c.teams),
          ListText(c.severities),
          int64_t{c.rate_per_second},
          int64_t{c.rate_per_minute},
          EmailText(c.email),
          store::OptionalText(c.smtp_password_sealed),
          c.updated_at};
}

Status NameTaken(const Status& s, const std::string& name) {
  if (s.code() == ErrorCode::kAlreadyExists) {
    return AlreadyExists("a channel named '" + name + "' already exists", "name");
  }
  return s;
}

}  // namespace

Result<int64_t> InsertChannel(store::Tx& tx, const Channel& c) {
  std::vector<store::Value> p = Params(c);
  p.push_back(c.created_at);
  auto id = tx.Insert(
      "INSERT INTO notify_channels (name, type, url_sealed, url_hint, secret_sealed, enabled, "
      "audiences, scope_services, scope_teams, scope_severities, rate_per_second, "
      "rate_per_minute, email_settings, smtp_password_sealed, updated_at, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      p);
  if (!id) return Err(NameTaken(id.error(), c.name));
  return *id;
}

Status UpdateChannel(store::Tx& tx, const Channel& c) {
  std::vector<store::Value> p = Params(c);
  p.push_back(c.id);
  auto n = tx.Exec(
      "UPDATE notify_channels SET name = ?, type = ?, url_sealed = ?, url_hint = ?, "
      "secret_sealed = ?, enabled = ?, audiences = ?, scope_services = ?, scope_teams = ?, "
      "scope_severities = ?, rate_per_second = ?, rate_per_minute = ?, email_settings = ?, "
      "smtp_password_sealed = ?, updated_at = ? WHERE id = ?",
      p);
  if (!n) return NameTaken(n.error(), c.name);
  if (*n == 0) return NotFound("channel " + std::to_string(c.id) + " not found");
  return Status::Ok();
}

Status DeleteChannel(store::Tx& tx, int64_t id) {
  auto n = tx.Exec("DELETE FROM notify_channels WHERE id = ?", {id});
  if (!n) return n.error();
  if (*n == 0) return NotFound("channel " + std::to_string(id) + " not found");
  return Status::Ok();
}

Result<std::optional<Channel>> LoadChannel(store::Tx& tx, int64_t id) {
  FS_ASSIGN_OR_RETURN(
      auto row,
      tx.QueryOne(std::string("SELECT ") + kColumns + " FROM notify_channels WHERE id = ?", {id}));
  if (!row) return std::optional<Channel>();
  return std::optional<Channel>(FromRow(*row));
}

Result<std::optional<Channel>> LoadChannelByName(store::Tx& tx, const std::string& name) {
  FS_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kColumns +
                                                " FROM notify_channels WHERE name = ?",
                                            {name}));
  if (!row) return std::optional<Channel>();
  return std::optional<Channel>(FromRow(*row));
}

Result<std::vector<Channel>> ListChannels(store::Tx& tx) {
  FS_ASSIGN_OR_RETURN(
      auto rows, tx.Query(std::string("SELECT ") + kColumns + " FROM notify_channels ORDER BY id"));
  std::vector<Channel> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(FromRow(r));
  return out;
}

}  // namespace failsafe::notify

#include "watch/alerts/silences.h"

#include <boost/json.hpp>
#include <cstdio>

#include "base/clock.h"
#include "base/json.h"
#include "base/random.h"

namespace failsafe::watch::alerts {
namespace {

namespace bj = boost::json;

Result<Matchers> MatchersFromJson(const bj::value* v) {
  if (v == nullptr || !v->is_array() || v->get_array().empty()) {
    return Err(InvalidArgument("is required: a non-empty array of matchers", "matchers"));
  }
  Matchers out;
  size_t i = 0;
  for (const auto& item : v->get_array()) {
    const std::string field = "matchers[" + std::to_string(i++) + "]";
    if (!item.is_object()) return Err(InvalidArgument("must be an object", field));
    json::ObjectReader r(item.get_object(), field);
    std::string name = r.RequiredString("name", 256);
    std::string value = r.RequiredString("value", 4096);
    bool is_regex = r.OptionalBool("isRegex").value_or(false);
    bool is_equal = r.OptionalBool("isEqual").value_or(true);
    FS_RETURN_IF_ERROR(r.Finish());
    FS_ASSIGN_OR_RETURN(
        auto m, Matcher::Make(std::move(name), std::move(value), is_regex, is_equal, field));
    out.push_back(std::move(m));
  }
  return out;
}

bj::array MatchersToJson(const Matchers& matchers) {
  bj::array out;
  for (const auto& m : matchers) {
    out.push_back(bj::object{{"name", m.name()},
                             {"value", m.value()},
                             {"isRegex", m.is_regex()},
                             {"isEqual", m.is_equal()}});
  }
  return out;
}

Silence FromRow(const store::Row& row) {
  Silence s;
  s.id = row.Text(0);
  auto parsed = json::Parse(row.Text(1));
  if (parsed) {
    if (auto m = MatchersFromJson(&*parsed)) s.matchers = std::move(*m);
  }
  s.starts_at = row.Int(2);
  s.ends_at = row.Int(3);
  s.created_by = row.Text(4);
  s.comment = row.Text(5);
  s.updated_at = row.Int(6);
  return s;
}

}  // namespace

std::string_view Silence::State(int64_t now_ms) const {
  if (now_ms < starts_at) return "pending";
  if (now_ms < ends_at) return "active";
  return "expired";
}

Result<Silence> SilenceFromJson(const bj::value& body, int64_t now_ms) {
  if (!body.is_object()) return Err(InvalidArgument("the silence must be a JSON object"));
  const auto& obj = body.get_object();
  Silence s;
  FS_ASSIGN_OR_RETURN(s.matchers, MatchersFromJson(obj.if_contains("matchers")));
  bool all_match_empty = true;
  for (const auto& m : s.matchers) all_match_empty = all_match_empty && m.Matches(Labels{});
  if (all_match_empty) {
    return Err(InvalidArgument(
        "at least one matcher must not match the empty string (it would silence every alert)",
        "matchers"));
  }
  json::ObjectReader r(obj);
  s.id = r.OptionalString("id", 64).value_or("");
  s.created_by = r.RequiredString("createdBy", 256);
  s.comment = r.RequiredString("comment", 4096);
  std::string starts = r.RequiredString("startsAt", 64);
  std::string ends = r.RequiredString("endsAt", 64);
  (void)r.OptionalArray("matchers");
  FS_RETURN_IF_ERROR(r.Finish());
  if (s.created_by.empty()) return Err(InvalidArgument("must not be empty", "createdBy"));
  if (s.comment.empty()) return Err(InvalidArgument("must not be empty", "comment"));
  auto st = ParseRfc3339(starts);
  if (!st) return Err(InvalidArgument("must be an RFC 3339 time", "startsAt"));
  auto en = ParseRfc3339(ends);
  if (!en) return Err(InvalidArgument("must be an RFC 3339 time", "endsAt"));
  s.starts_at = std::max(*st, now_ms);
  s.ends_at = *en;
  if (s.ends_at <= now_ms) return Err(InvalidArgument("must be in the future", "endsAt"));
  if (s.ends_at <= s.starts_at) return Err(InvalidArgument("must be after startsAt", "endsAt"));
  s.updated_at = now_ms;
  return s;
}

bj::object SilenceToJson(const Silence& s, int64_t now_ms) {
  return bj::object{{"id", s.id},
                    {"status", bj::object{{"state", s.State(now_ms)}}},
                    {"updatedAt", FormatRfc3339(s.updated_at)},
                    {"matchers", MatchersToJson(s.matchers)},
                    {"startsAt", FormatRfc3339(s.starts_at)},
                    {"endsAt", FormatRfc3339(s.ends_at)},
                    {"createdBy", s.created_by},
                    {"comment", s.comment}};
}

std::string NewUuid() {
  std::string b = RandomBytes(16);
  b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);
  std::string out;
  char hex[3];
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    std::snprintf(hex, sizeof hex, "%02x", static_cast<unsigned char>(b[i]));
    out += hex;
  }
  return out;
}

Status Silences::Reload(store::Store& store) {
  std::vector<Silence> loaded;
  Status st = store.Read([&](store::Tx& tx) -> Status {
    FS_ASSIGN_OR_RETURN_STATUS(
        auto rows, tx.Query("SELECT id, matchers, starts_at, ends_at, created_by, comment, "
                            "updated_at FROM alert_silences ORDER BY starts_at"));
    for (const auto& row : rows) loaded.push_back(FromRow(row));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  std::lock_guard lock(mu_);
  bool changed = loaded.size() != silences_.size();
  for (size_t i = 0; !changed && i < loaded.size(); ++i) {
    changed = loaded[i].id != silences_[i].id || loaded[i].updated_at != silences_[i].updated_at;
  }
  silences_ = std::move(loaded);
  if (changed) ++generation_;
  return Status::Ok();
}

Status Silences::Save(store::Tx& tx, const Silence& s) {
  const std::string matchers = json::Serialize(MatchersToJson(s.matchers));
  auto updated = tx.Exec(
      "UPDATE alert_silences SET matchers = ?, starts_at = ?, ends_at = ?, created_by = ?, "
      "comment = ?, updated_at = ? WHERE id = ?",
      {matchers, s.starts_at, s.ends_at, s.created_by, s.comment, s.updated_at, s.id});
  if (!updated) return updated.error();
  if (*updated > 0) return Status::Ok();
  return StatusOf(
      tx.Exec("INSERT INTO alert_silences (id, matchers, starts_at, ends_at, created_by, comment, "
              "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
              {s.id, matchers, s.starts_at, s.ends_at, s.created_by, s.comment, s.updated_at}));
}

void Silences::Remember(const Silence& s) {
  std::lock_guard lock(mu_);
  ++generation_;
  for (auto& known : silences_) {
    if (known.id == s.id) {
      known = s;
      return;
    }
  }
  silences_.push_back(s);
}

std::optional<Silence> Silences::Get(std::string_view id) const {
  std::lock_guard lock(mu_);
  for (const auto& s : silences_) {
    if (s.id == id) return s;
  }
  return std::nullopt;
}

std::vector<Silence> Silences::List() const {
  std::lock_guard lock(mu_);
  return silences_;
}

std::vector<std::string> Silences::Muting(const Labels& labels, int64_t now_ms) const {
  std::vector<std::string> ids;
  std::lock_guard lock(mu_);
  for (const auto& s : silences_) {
    if (s.Mutes(labels, now_ms)) ids.push_back(s.id);
  }
  return ids;
}

uint64_t Silences::generation() const {
  std::lock_guard lock(mu_);
  return generation_;
}

}  // namespace failsafe::watch::alerts

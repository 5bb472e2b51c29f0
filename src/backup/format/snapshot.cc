#include "backup/format/snapshot.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "base/clock.h"
#include "base/json.h"
#include "base/utf8.h"

namespace failsafe::backup {
namespace {

namespace bj = boost::json;

constexpr int64_t kNsPerSecond = 1'000'000'000;

// Replaces each byte that does not start a well-formed UTF-8 sequence with U+FFFD.
std::string ToUtf8(std::string_view text) {
  if (IsValidUtf8(text)) return std::string(text);
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const size_t len = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    if (i + len <= text.size() && IsValidUtf8(text.substr(i, len))) {
      out.append(text.substr(i, len));
      i += len;
    } else {
      out.append("\xef\xbf\xbd");
      ++i;
    }
  }
  return out;
}

int64_t Clamp(uint64_t v) {
  return static_cast<int64_t>(std::min<uint64_t>(v, INT64_MAX));
}

void WriteStrings(json::Writer& w, std::string_view key, const std::vector<std::string>& items) {
  w.Key(key);
  w.BeginArray();
  for (const std::string& s : items) w.String(ToUtf8(s));
  w.EndArray();
}

std::vector<std::string> ReadStrings(json::ObjectReader& r, std::string_view key) {
  std::vector<std::string> out;
  const bj::array* arr = r.OptionalArray(key);
  if (!arr) {
    r.Fail(key, "field '" + r.FieldName(key) + "' is required");  // no-op after an error
    return out;
  }
  for (size_t i = 0; i < arr->size(); ++i) {
    const bj::value& v = (*arr)[i];
    const std::string field = r.FieldName(key) + "[" + std::to_string(i) + "]";
    if (!v.is_string()) {
      r.Fail(key, "field '" + field + "' must be a string");
      return {};
    }
    out.emplace_back(v.as_string().data(), v.as_string().size());
  }
  return out;
}

uint64_t ReadCount(json::ObjectReader& r, std::string_view key) {
  const int64_t v = r.RequiredInt(key);
  if (v < 0) r.Fail(key, "field '" + r.FieldName(key) + "' must not be negative");
  return v < 0 ? 0 : static_cast<uint64_t>(v);
}

bool ReadBool(json::ObjectReader& r, std::string_view key) {
  std::optional<bool> v = r.OptionalBool(key);
  if (!v) r.Fail(key, "field '" + r.FieldName(key) + "' is required");  // no-op after an error
  return v.value_or(false);
}

const bj::object* ReadObject(json::ObjectReader& r, std::string_view key) {
  const bj::object* v = r.OptionalObject(key);
  if (!v) r.Fail(key, "field '" + r.FieldName(key) + "' is required");  // no-op after an error
  return v;
}

Status ReadSource(const bj::object& obj, SnapshotSource* out) {
  json::ObjectReader r(obj, "source");
  const std::string kind = r.RequiredString("kind");
  std::optional<std::string> command = r.OptionalString("command");
  std::optional<std::string> filename = r.OptionalString("filename");
  FS_RETURN_STATUS_IF_ERROR(r.Finish());
  std::optional<SourceKind> k = SourceKindFromName(kind);
  if (!k) {
    return InvalidArgument("field 'source.kind' has unknown value '" + kind + "'", "source.kind");
  }
  out->kind = *k;
  if (*k == SourceKind::kStdin && (!command || !filename)) {
    const char* missing = command ? "source.filename" : "source.command";
    return InvalidArgument(std::string("field '") + missing + "' is required for stdin", missing);
  }
  out->command = command.value_or("");
  out->filename = filename.value_or("");
  return Status::Ok();
}

Status ReadSummary(const bj::object& obj, SnapshotSummary* s) {
  json::ObjectReader r(obj, "summary");
  s->files_new = ReadCount(r, "files_new");
  s->files_changed = ReadCount(r, "files_changed");
  s->files_unmodified = ReadCount(r, "files_unmodified");
  s->dirs = ReadCount(r, "dirs");
  s->bytes_read = ReadCount(r, "bytes_read");
  s->data_added = ReadCount(r, "data_added");
  s->data_added_stored = ReadCount(r, "data_added_stored");
  s->total_files = ReadCount(r, "total_files");
  s->total_bytes = ReadCount(r, "total_bytes");
  s->duration_ms = ReadCount(r, "duration_ms");
  return r.Finish();
}

Result<SnapshotOrigin> ReadOrigin(const bj::object& obj) {
  json::ObjectReader r(obj, "copied_from");
  const std::string repository = r.RequiredString("repository", 64);
  const std::string snapshot = r.RequiredString("snapshot", 64);
  FS_RETURN_IF_ERROR(r.Finish());
  std::optional<Id> repo_id = Id::FromHex(repository);
  if (!repo_id) {
    return Err(InvalidArgument("field 'copied_from.repository' is not a 64-digit hex id",
                               "copied_from.repository"));
  }
  std::optional<Id> snapshot_id = Id::FromHex(snapshot);
  if (!snapshot_id) {
    return Err(InvalidArgument("field 'copied_from.snapshot' is not a 64-digit hex id",
                               "copied_from.snapshot"));
  }
  return SnapshotOrigin{*repo_id, *snapshot_id};
}

Result<Snapshot> Decode(std::string_view text) {
  FS_ASSIGN_OR_RETURN(bj::object obj, json::ParseObject(text));
  // The version first: a newer snapshot's unknown fields should not be the error shown.
  if (auto it = obj.find("version"); it != obj.end() && it->value().is_number()) {
    bj::error_code ec;
    const auto version = it->value().to_number<int64_t>(ec);
    if (ec || version != kSnapshotVersion) {
      return Err(InvalidArgument(
          "version " + bj::serialize(it->value()) +
              (!ec && version > kSnapshotVersion ? " is newer than" : " is not") +
              " the version this program reads (" + std::to_string(kSnapshotVersion) + ")",
          "version"));
    }
  }
  json::ObjectReader r(obj);
  r.RequiredInt("version");
  Snapshot s;
  const std::string time = r.RequiredString("time", 64);
  s.host = r.RequiredString("host");
  s.user = r.RequiredString("user");
  s.paths = ReadStrings(r, "paths");
  s.tags = ReadStrings(r, "tags");
  s.excludes = ReadStrings(r, "excludes");
  const std::string tree = r.RequiredString("tree", 64);
  const std::string parent = r.RequiredString("parent", 64);
  // RequiredString fails on "" only when the key is absent: an empty parent means none.
  s.full = ReadBool(r, "full");
  const bj::object* source = ReadObject(r, "source");
  const bj::object* summary = ReadObject(r, "summary");
  s.program = r.RequiredString("program");
  const bj::object* copied_from = r.OptionalObject("copied_from");
  FS_RETURN_IF_ERROR(r.Finish());
  if (copied_from != nullptr) {
    FS_ASSIGN_OR_RETURN(s.copied_from, ReadOrigin(*copied_from));
  }

  std::optional<int64_t> t = ParseTimeNs(time);
  if (!t) return Err(InvalidArgument("field 'time' is not an RFC 3339 time: " + time, "time"));
  s.time_ns = *t;
  std::optional<Id> tree_id = Id::FromHex(tree);
  if (!tree_id) return Err(InvalidArgument("field 'tree' is not a 64-digit hex id", "tree"));
  s.tree = *tree_id;
  if (!parent.empty()) {
    s.parent = Id::FromHex(parent);
    if (!s.parent) {
      return Err(InvalidArgument("field 'parent' is not a 64-digit hex id or empty", "parent"));
    }
  }
  FS_RETURN_IF_ERROR(ReadSource(*source, &s.source));
  FS_RETURN_IF_ERROR(ReadSummary(*summary, &s.summary));
  return s;
}

bool Digits(std::string_view s, size_t pos, size_t n, int64_t* out) {
  if (pos + n > s.size()) return false;
  int64_t v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

std::string_view NameOf(SourceKind kind) {
  switch (kind) {
    case SourceKind::kFiles: return "files";
    case SourceKind::kStdin: return "stdin";
    case SourceKind::kSqlite: return "sqlite";
    case SourceKind::kPostgres: return "postgres";
    case SourceKind::kFailsafeStore: return "failsafe-store";
  }
  return "unknown";
}

std::optional<SourceKind> SourceKindFromName(std::string_view name) {
  for (SourceKind k : {SourceKind::kFiles, SourceKind::kStdin, SourceKind::kSqlite,
                       SourceKind::kPostgres, SourceKind::kFailsafeStore}) {
    if (NameOf(k) == name) return k;
  }
  return std::nullopt;
}

std::string FormatTimeNs(int64_t unix_ns) {
  // Floor division so times before 1970 get a positive fraction.
  int64_t secs = unix_ns / kNsPerSecond;
  int64_t frac = unix_ns % kNsPerSecond;
  if (frac < 0) {
    frac += kNsPerSecond;
    --secs;
  }
  const std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(frac));
  return buf;
}

std::optional<int64_t> ParseTimeNs(std::string_view text) {
  // The fraction is read here (ParseRfc3339 keeps milliseconds); the rest, without the
  // fraction, goes to ParseRfc3339.
  constexpr size_t kFractionAt = 19;  // after "YYYY-MM-DDTHH:MM:SS"
  if (text.size() <= kFractionAt) return std::nullopt;
  int64_t frac = 0;
  size_t end = kFractionAt;
  if (text[kFractionAt] == '.') {
    size_t digits = 0;
    while (kFractionAt + 1 + digits < text.size() && text[kFractionAt + 1 + digits] >= '0' &&
           text[kFractionAt + 1 + digits] <= '9') {
      ++digits;
    }
    if (digits == 0 || digits > 9 || !Digits(text, kFractionAt + 1, digits, &frac)) {
      return std::nullopt;
    }
    for (size_t i = digits; i < 9; ++i) frac *= 10;
    end = kFractionAt + 1 + digits;
  }
  std::string rest(text.substr(0, kFractionAt));
  rest.append(text.substr(end));
  std::optional<int64_t> ms = ParseRfc3339(rest);
  if (!ms) return std::nullopt;
  const int64_t secs = *ms / 1000;
  if (secs > INT64_MAX / kNsPerSecond - 1 || secs < INT64_MIN / kNsPerSecond + 1) {
    return std::nullopt;
  }
  return secs * kNsPerSecond + frac;
}

std::string EncodeSnapshot(const Snapshot& s) {
  std::string out;
  json::Writer w(out);
  w.BeginObject();
  w.Field("version", int64_t{kSnapshotVersion});
  w.Field("time", FormatTimeNs(s.time_ns));
  w.Field("host", ToUtf8(s.host));
  w.Field("user", ToUtf8(s.user));
  WriteStrings(w, "paths", s.paths);
  WriteStrings(w, "tags", s.tags);
  WriteStrings(w, "excludes", s.excludes);
  w.Field("tree", s.tree.Hex());
  w.Field("parent", s.parent ? s.parent->Hex() : std::string());
  w.Key("full");
  w.Bool(s.full);
  w.Key("source");
  w.BeginObject();
  w.Field("kind", NameOf(s.source.kind));
  if (!s.source.command.empty()) w.Field("command", ToUtf8(s.source.command));
  if (!s.source.filename.empty()) w.Field("filename", ToUtf8(s.source.filename));
  w.EndObject();
  w.Key("summary");
  w.BeginObject();
  const SnapshotSummary& m = s.summary;
  w.Field("files_new", Clamp(m.files_new));
  w.Field("files_changed", Clamp(m.files_changed));
  w.Field("files_unmodified", Clamp(m.files_unmodified));
  w.Field("dirs", Clamp(m.dirs));
  w.Field("bytes_read", Clamp(m.bytes_read));
  w.Field("data_added", Clamp(m.data_added));
  w.Field("data_added_stored", Clamp(m.data_added_stored));
  w.Field("total_files", Clamp(m.total_files));
  w.Field("total_bytes", Clamp(m.total_bytes));
  w.Field("duration_ms", Clamp(m.duration_ms));
  w.EndObject();
  w.Field("program", ToUtf8(s.program));
  if (s.copied_from) {
    w.Key("copied_from");
    w.BeginObject();
    w.Field("repository", s.copied_from->repository.Hex());
    w.Field("snapshot", s.copied_from->snapshot.Hex());
    w.EndObject();
  }
  w.EndObject();
  return out;
}

Result<Snapshot> DecodeSnapshot(std::string_view json) {
  Result<Snapshot> s = Decode(json);
  if (!s) return Err(s.error().WithContext("snapshot"));
  return s;
}

}  // namespace failsafe::backup

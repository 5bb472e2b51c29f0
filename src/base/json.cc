#include "base/json.h"

#include <charconv>

namespace failsafe::json {

Result<bj::value> Parse(std::string_view text) {
  bj::parse_options opts;
  opts.max_depth = 64;
  bj::stream_parser parser({}, opts);
  bj::error_code ec;
  size_t consumed = parser.write_some(text.data(), text.size(), ec);
  if (!ec && consumed < text.size()) {
    return Err(InvalidArgument("malformed JSON: unexpected data after the document at byte " +
                               std::to_string(consumed)));
  }
  if (!ec) parser.finish(ec);
  if (ec) {
    return Err(InvalidArgument("malformed JSON at byte " + std::to_string(consumed) + ": " +
                               ec.message()));
  }
  return parser.release();
}

Result<bj::object> ParseObject(std::string_view text) {
  auto v = Parse(text);
  if (!v) return Err(v.error());
  if (!v->is_object()) return Err(InvalidArgument("expected a JSON object"));
  return std::move(v->as_object());
}

ObjectReader::ObjectReader(const bj::object& obj, std::string prefix)
    : obj_(obj), prefix_(std::move(prefix)) {}

std::string ObjectReader::FieldName(std::string_view key) const {
  if (prefix_.empty()) return std::string(key);
  return prefix_ + "." + std::string(key);
}

void ObjectReader::Fail(std::string_view key, std::string message) {
  if (first_error_.ok()) first_error_ = InvalidArgument(std::move(message), FieldName(key));
}

const bj::value* ObjectReader::Lookup(std::string_view key, bool required) {
  seen_.emplace(key);
  if (!first_error_.ok()) return nullptr;
  auto it = obj_.find(key);
  if (it == obj_.end() || it->value().is_null()) {
    if (required) Fail(key, "field '" + FieldName(key) + "' is required");
    return nullptr;
  }
  return &it->value();
}

std::string ObjectReader::RequiredString(std::string_view key, size_t max_len) {
  auto v = OptionalString(key, max_len);
  if (!v && first_error_.ok()) Fail(key, "field '" + FieldName(key) + "' is required");
  return v.value_or("");
}

std::optional<std::string> ObjectReader::OptionalString(std::string_view key, size_t max_len) {
  const bj::value* v = Lookup(key, false);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    Fail(key, "field '" + FieldName(key) + "' must be a string");
    return std::nullopt;
  }
  const auto& s = v->as_string();
  if (s.size() > max_len) {
    Fail(key,
         "field '" + FieldName(key) + "' is longer than " + std::to_string(max_len) + " bytes");
    return std::nullopt;
  }
  return std::string(s.data(), s.size());
}

int64_t ObjectReader::RequiredInt(std::string_view key) {
  auto v = OptionalInt(key);
  if (!v && first_error_.ok()) Fail(key, "field '" + FieldName(key) + "' is required");
  return v.value_or(0);
}

std::optional<int64_t> ObjectReader::OptionalInt(std::string_view key) {
  const bj::value* v = Lookup(key, false);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= uint64_t(INT64_MAX)) return int64_t(v->as_uint64());
  Fail(key, "field '" + FieldName(key) + "' must be an integer");
  return std::nullopt;
}

std::optional<bool> ObjectReader::OptionalBool(std::string_view key) {
  const bj::value* v = Lookup(key, false);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    Fail(key, "field '" + FieldName(key) + "' must be true or false");
    return std::nullopt;
  }
  return v->as_bool();
}

const bj::object* ObjectReader::OptionalObject(std::string_view key) {
  const bj::value* v = Lookup(key, false);
  if (!v) return nullptr;
  if (!v->is_object()) {
    Fail(key, "field '" + FieldName(key) + "' must be an object");
    return nullptr;
  }
  return &v->as_object();
}

const bj::array* ObjectReader::OptionalArray(std::string_view key) {
  const bj::value* v = Lookup(key, false);
  if (!v) return nullptr;
  if (!v->is_array()) {
    Fail(key, "field '" + FieldName(key) + "' must be an array");
    return nullptr;
  }
  return &v->as_array();
}

Status ObjectReader::Finish() {
  if (!first_error_.ok()) return first_error_;
  for (const auto& kv : obj_) {
    std::string_view k(kv.key().data(), kv.key().size());
    if (!seen_.count(k)) {
      return InvalidArgument("unknown field '" + FieldName(k) + "'", FieldName(k));
    }
  }
  return Status::Ok();
}

std::string Serialize(const bj::value& v) {
  return bj::serialize(v);
}

namespace {

// Boost.JSON's escaping: the two-character forms for \b \t \n \f \r, \u00xx (lower-case
// hex) for the other control characters, and backslash-escaped '"' and '\\'. Everything else,
// including bytes >= 0x80 and DEL, is copied as it is.
constexpr char EscapeFor(unsigned char c) {
  switch (c) {
    case '\b': return 'b';
    case '\t': return 't';
    case '\n': return 'n';
    case '\f': return 'f';
    case '\r': return 'r';
    case '"': return '"';
    case '\\': return '\\';
    default: return c < 0x20 ? 'u' : 0;
  }
}

struct EscapeTable {
  char code[256];
  constexpr EscapeTable() : code() {
    for (int c = 0; c < 256; ++c) code[c] = EscapeFor(static_cast<unsigned char>(c));
  }
};
constexpr EscapeTable kEscape;

}  // namespace

void Writer::Key(std::string_view key) {
  Separate();
  AppendEscaped(key);
  out_ += ':';
  comma_ = false;
}

void Writer::String(std::string_view s) {
  Separate();
  AppendEscaped(s);
  comma_ = true;
}

void Writer::Int(int64_t v) {
  Separate();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, end);
  comma_ = true;
}

void Writer::Bool(bool v) {
  Separate();
  out_ += v ? "true" : "false";
  comma_ = true;
}

void Writer::Null() {
  Separate();
  out_ += "null";
  comma_ = true;
}

void Writer::AppendEscaped(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out_ += '"';
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const char code = kEscape.code[c];
    if (code == 0) continue;
    out_.append(s.data() + run, i - run);
    run = i + 1;
    if (code != 'u') {
      const char pair[2] = {'\\', code};
      out_.append(pair, 2);
    } else {
      const char seq[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
      out_.append(seq, 6);
    }
  }
  out_.append(s.data() + run, s.size() - run);
  out_ += '"';
}

}  // namespace failsafe::json

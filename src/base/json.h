#pragma once
// JSON helpers over Boost.JSON: parsing with positioned errors, and ObjectReader, which reads
// a request object strictly (wrong types and unknown keys are errors that name the field).
#include <boost/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "base/result.h"

namespace failsafe::json {

namespace bj = boost::json;

// Parses one JSON document. Invalid UTF-8, trailing garbage, nesting deeper than 64 and
// malformed text fail with InvalidArgument naming the byte offset.
Result<bj::value> Parse(std::string_view text);
// Same, and requires a top-level object.
Result<bj::object> ParseObject(std::string_view text);

// Reads fields from one object. The first problem is kept and returned by Finish(); after
// a problem, getters return empty values. Field names in errors are prefixed
// ("plan.steps[2].role"). Not thread-safe; cheap to construct.
class ObjectReader {
 public:
  explicit ObjectReader(const bj::object& obj, std::string prefix = {});

  std::string RequiredString(std::string_view key, size_t max_len = 4096);
  std::optional<std::string> OptionalString(std::string_view key, size_t max_len = 4096);
  int64_t RequiredInt(std::string_view key);
  std::optional<int64_t> OptionalInt(std::string_view key);
  std::optional<bool> OptionalBool(std::string_view key);
  const bj::object* OptionalObject(std::string_view key);
  const bj::array* OptionalArray(std::string_view key);

  // Records an error for `key` (e.g. a value outside its allowed set).
  void Fail(std::string_view key, std::string message);
  std::string FieldName(std::string_view key) const;

  // OK when every read succeeded and the object had no keys that were not read.
  Status Finish();

 private:
  const bj::value* Lookup(std::string_view key, bool required);
  const bj::object& obj_;
  std::string prefix_;
  std::set<std::string, std::less<>> seen_;
  Status first_error_;
};

// Serialises compactly.
std::string Serialize(const bj::value& v);

// Writes compact JSON text straight into a string, for hot list endpoints that would
// otherwise build a DOM per row only to serialise it once. The text is byte-for-byte what
// Serialize() gives for the same values in the same order (same string escaping, no spaces),
// so a route can switch between the two without clients seeing a difference. The caller
// keeps the nesting balanced (a bug otherwise, not checked). Cheap; not thread-safe.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  // An object key; the next call writes its value.
  void Key(std::string_view key);
  void String(std::string_view s);
  void Int(int64_t v);
  void Bool(bool v);
  void Null();
  // Key and value in one call.
  void Field(std::string_view key, std::string_view s) { Key(key), String(s); }
  void Field(std::string_view key, const char* s) { Key(key), String(s); }
  void Field(std::string_view key, int64_t v) { Key(key), Int(v); }
  void NullField(std::string_view key) { Key(key), Null(); }

 private:
  void Separate() {
    if (comma_) out_ += ',';
  }
  void Open(char c) {
    Separate();
    out_ += c;
    comma_ = false;
  }
  void Close(char c) {
    out_ += c;
    comma_ = true;
  }
  void AppendEscaped(std::string_view s);

  std::string& out_;
  bool comma_ = false;  // a value was written at this level: the next one needs a comma
};

}  // namespace failsafe::json

#include "watch/logsources/tail_checkpoint.h"

#include "base/json.h"

namespace failsafe::watch {

namespace bj = boost::json;

uint64_t HashBytes(std::string_view bytes) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string EncodeCheckpoint(const TailCheckpoint& checkpoint) {
  bj::array files;
  for (const FilePosition& f : checkpoint.files) {
    // 64-bit values as strings: JSON readers elsewhere may hold numbers as doubles.
    files.push_back(bj::object{{"path", f.path},
                               {"dev", std::to_string(f.dev)},
                               {"ino", std::to_string(f.ino)},
                               {"offset", std::to_string(f.offset)},
                               {"skipping", f.skipping},
                               {"head_len", std::to_string(f.head_len)},
                               {"head_hash", std::to_string(f.head_hash)}});
  }
  bj::object doc{
      {"version", 1}, {"files", std::move(files)}, {"consumer_note", checkpoint.consumer_note}};
  return json::Serialize(doc) + "\n";
}

namespace {

Result<uint64_t> ReadU64(json::ObjectReader& r, std::string_view key) {
  const std::string text = r.RequiredString(key, 24);
  if (text.empty()) return uint64_t{0};  // the reader has recorded the error
  uint64_t v = 0;
  for (char c : text) {
    const auto digit = static_cast<uint64_t>(c - '0');
    if (c < '0' || c > '9' || v > (UINT64_MAX - digit) / 10) {
      return Err(InvalidArgument("expected an unsigned integer in a string", r.FieldName(key)));
    }
    v = v * 10 + digit;
  }
  return v;
}

}  // namespace

Result<TailCheckpoint> DecodeCheckpoint(std::string_view text) {
  FS_ASSIGN_OR_RETURN(bj::object doc, json::ParseObject(text));
  json::ObjectReader top(doc);
  TailCheckpoint out;
  const auto version = top.OptionalInt("version");
  if (version && *version != 1) top.Fail("version", "unsupported checkpoint version");
  out.consumer_note = top.OptionalString("consumer_note", 1 << 16).value_or("");
  if (const bj::array* files = top.OptionalArray("files")) {
    for (size_t i = 0; i < files->size(); ++i) {
      const std::string prefix = "files[" + std::to_string(i) + "]";
      if (!(*files)[i].is_object()) return Err(InvalidArgument("expected an object", prefix));
      json::ObjectReader r((*files)[i].as_object(), prefix);
      FilePosition f;
      f.path = r.RequiredString("path", 4096);
      FS_ASSIGN_OR_RETURN(f.dev, ReadU64(r, "dev"));
      FS_ASSIGN_OR_RETURN(f.ino, ReadU64(r, "ino"));
      FS_ASSIGN_OR_RETURN(f.offset, ReadU64(r, "offset"));
      f.skipping = r.OptionalBool("skipping").value_or(false);
      FS_ASSIGN_OR_RETURN(f.head_len, ReadU64(r, "head_len"));
      FS_ASSIGN_OR_RETURN(f.head_hash, ReadU64(r, "head_hash"));
      FS_RETURN_IF_ERROR(r.Finish());
      out.files.push_back(std::move(f));
    }
  }
  FS_RETURN_IF_ERROR(top.Finish());
  return out;
}

}  // namespace failsafe::watch

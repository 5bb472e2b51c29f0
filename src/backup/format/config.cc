#include "backup/format/config.h"

#include "base/json.h"

namespace failsafe::backup {
namespace {

constexpr int kMaxZstdLevel = 19;

}  // namespace

Status ValidateConfig(const RepoConfig& c) {
  const ChunkerParams& k = c.chunker;
  if (k.min_size < 64 || k.min_size > k.avg_size || k.avg_size > k.max_size ||
      k.max_size > kMaxChunkSize)
    return InvalidArgument("config: chunker sizes must satisfy 64 <= min <= avg <= max <= 64 MiB",
                           "chunker");
  if ((k.avg_size & (k.avg_size - 1)) != 0)
    return InvalidArgument("config: chunker average size must be a power of two", "chunker.avg");
  if (c.pack_size < kMinPackSize || c.pack_size > kMaxPackSize)
    return InvalidArgument("config: pack_size must be between 4 KiB and 1 GiB", "pack_size");
  if (c.compression_level < 0 || c.compression_level > kMaxZstdLevel)
    return InvalidArgument("config: compression level must be 0 (off) to 19", "compression_level");
  return Status::Ok();
}

std::string EncodeConfig(const RepoConfig& c) {
  std::string out;
  json::Writer w(out);
  w.BeginObject();
  w.Field("version", int64_t{c.version});
  w.Field("id", c.id.Hex());
  w.Key("chunker");
  w.BeginObject();
  w.Field("min", int64_t{c.chunker.min_size});
  w.Field("avg", int64_t{c.chunker.avg_size});
  w.Field("max", int64_t{c.chunker.max_size});
  w.EndObject();
  w.Field("pack_size", int64_t{c.pack_size});
  w.Field("compression", c.compression_level > 0 ? "zstd" : "none");
  w.Field("compression_level", int64_t{c.compression_level});
  w.EndObject();
  return out;
}

Result<RepoConfig> DecodeConfig(std::string_view text) {
  auto parsed = json::ParseObject(text);
  if (!parsed) return Err(parsed.error().WithContext("config"));
  // The version first: a newer config may have fields this program does not know.
  if (const auto* v = parsed->if_contains("version");
      v && v->is_int64() && v->as_int64() > kRepoVersion)
    return Err(FailedPrecondition("config: the repository is version " +
                                  std::to_string(v->as_int64()) + ", this program reads up to " +
                                  std::to_string(kRepoVersion) + "; upgrade failsafe"));
  json::ObjectReader r(*parsed);
  RepoConfig c;
  const int64_t version = r.RequiredInt("version");
  const std::string id = r.RequiredString("id", 64);
  const json::bj::object* chunker = r.OptionalObject("chunker");
  if (chunker == nullptr) r.Fail("chunker", "field 'chunker' is required");
  const int64_t pack_size = r.RequiredInt("pack_size");
  const std::string compression = r.RequiredString("compression", 16);
  const int64_t level = r.OptionalInt("compression_level").value_or(3);
  FS_RETURN_IF_ERROR(r.Finish().WithContext("config"));
  json::ObjectReader k(*chunker, "chunker");
  const int64_t min = k.RequiredInt("min");
  const int64_t avg = k.RequiredInt("avg");
  const int64_t max = k.RequiredInt("max");
  FS_RETURN_IF_ERROR(k.Finish().WithContext("config"));
  if (version < 1) return Err(InvalidArgument("config: version must be 1", "version"));
  auto parsed_id = Id::FromHex(id);
  if (!parsed_id) return Err(InvalidArgument("config: id is not 64 hex digits", "id"));
  auto in_u32 = [](int64_t v) { return v >= 0 && v <= static_cast<int64_t>(UINT32_MAX); };
  if (!in_u32(min) || !in_u32(avg) || !in_u32(max) || !in_u32(pack_size))
    return Err(InvalidArgument("config: sizes must be between 0 and 4 GiB", "chunker"));
  if (compression != "zstd" && compression != "none")
    return Err(InvalidArgument("config: compression must be zstd or none", "compression"));
  if (level < 0 || level > kMaxZstdLevel || (compression == "none") != (level == 0))
    return Err(InvalidArgument("config: compression_level does not match compression",
                               "compression_level"));
  c.version = static_cast<int>(version);
  c.id = *parsed_id;
  c.chunker = {static_cast<uint32_t>(min), static_cast<uint32_t>(avg), static_cast<uint32_t>(max)};
  c.pack_size = static_cast<uint32_t>(pack_size);
  c.compression_level = static_cast<int>(level);
  FS_RETURN_IF_ERROR(ValidateConfig(c));
  return c;
}

}  // namespace failsafe::backup

#pragma once
// The repository's config (docs/backup-format.md, "Config"): encrypted JSON holding the
// repository id and the parameters every writer must agree on.
#include <cstdint>
#include <string>
#include <string_view>

#include "backup/format/ids.h"
#include "base/result.h"

namespace failsafe::backup {

struct ChunkerParams {
  uint32_t min_size = 512 * 1024;
  uint32_t avg_size = 1024 * 1024;
  uint32_t max_size = 8 * 1024 * 1024;
  friend bool operator==(const ChunkerParams&, const ChunkerParams&) = default;
};

struct RepoConfig {
  int version = 1;
  Id id;  // random, identifies the repository
  ChunkerParams chunker;
  uint32_t pack_size = 16 * 1024 * 1024;
  int compression_level = 3;  // 0: off
  friend bool operator==(const RepoConfig&, const RepoConfig&) = default;
};

inline constexpr int kRepoVersion = 1;

// Bounds that keep every reader's memory bounded; Validate enforces them on init and load.
inline constexpr uint32_t kMinPackSize = 4 * 1024;
inline constexpr uint32_t kMaxPackSize = 1u << 30;
inline constexpr uint32_t kMaxChunkSize = 64u << 20;

Status ValidateConfig(const RepoConfig& config);

std::string EncodeConfig(const RepoConfig& config);
// Strict JSON; a newer version is refused naming both versions. Errors are
// InvalidArgument for text that is not a config and FailedPrecondition for a newer version.
Result<RepoConfig> DecodeConfig(std::string_view json);

}  // namespace failsafe::backup

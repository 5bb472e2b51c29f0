#include "backup/backend/backend.h"

#include <cstdio>

namespace failsafe::backup {

std::string_view DirectoryOf(FileType type) {
  switch (type) {
    case FileType::kConfig: return "";
    case FileType::kKey: return "keys";
    case FileType::kPack: return "data";
    case FileType::kIndex: return "index";
    case FileType::kSnapshot: return "snapshots";
    case FileType::kLock: return "locks";
  }
  return "";
}

std::string_view NameOf(FileType type) {
  switch (type) {
    case FileType::kConfig: return "config";
    case FileType::kKey: return "key";
    case FileType::kPack: return "pack";
    case FileType::kIndex: return "index";
    case FileType::kSnapshot: return "snapshot";
    case FileType::kLock: return "lock";
  }
  return "file";
}

std::string_view NameOf(MediaKind kind) {
  switch (kind) {
    case MediaKind::kLocalDisk: return "local disk";
    case MediaKind::kRemoteServer: return "remote server";
    case MediaKind::kObjectStorage: return "object storage";
  }
  return "unknown";
}

namespace {

bool IsLowerHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

bool IsNameChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         c == '-';
}

}  // namespace

bool IsValidName(FileType type, std::string_view name) {
  if (type == FileType::kConfig) return name == "config";
  if (name.empty() || name.size() > 128) return false;
  for (char c : name) {
    if (!IsNameChar(c)) return false;
  }
  if (type == FileType::kPack)
    return name.size() >= 2 && IsLowerHex(name[0]) && IsLowerHex(name[1]);
  return true;
}

Result<std::string> RelativePath(FileType type, std::string_view name) {
  if (!IsValidName(type, name)) {
    return Err(InvalidArgument("not a valid " + std::string(NameOf(type)) + " name: \"" +
                                   std::string(name.substr(0, 200)) + "\"",
                               "name"));
  }
  if (type == FileType::kConfig) return std::string("config");
  std::string path(DirectoryOf(type));
  path += '/';
  if (type == FileType::kPack) {
    path.append(name.substr(0, 2));
    path += '/';
  }
  path.append(name);
  return path;
}

Status CheckLoadSize(uint64_t bytes, std::string_view where) {
  if (bytes <= kMaxLoadSize) return Status::Ok();
  return FailedPrecondition("refusing to load " + std::to_string(bytes) + " bytes of " +
                            std::string(where) + " at once (the limit is 4 GiB)");
}

std::vector<std::string> LayoutDirectories() {
  std::vector<std::string> dirs = {"keys", "data"};
  for (int i = 0; i < 256; ++i) {
    char sub[8];
    std::snprintf(sub, sizeof sub, "%02x", i);
    dirs.push_back(std::string("data/") + sub);
  }
  for (const char* d : {"index", "snapshots", "locks"}) dirs.emplace_back(d);
  return dirs;
}

Status Backend::LoadInto(FileType type, const std::string& name, std::string* out) {
  FS_ASSIGN_OR_RETURN_STATUS(*out, Load(type, name));
  return Status::Ok();
}

}  // namespace failsafe::backup

#pragma once
// LocalBackend: a repository in a directory of the local file system (or a mounted disk).
// Files are 0600 and directories 0700: a repository holds only ciphertext, but its sizes and
// names are still nobody else's business. Save writes a temp file beside the target, fsyncs
// it, renames it into place without replacing anything and fsyncs the directory, so a crash
// or kill -9 leaves the whole file or none (temp files left behind are skipped by List).
#include "backup/backend/backend.h"

namespace failsafe::backup {

class LocalBackend final : public Backend {
 public:
  explicit LocalBackend(std::string root);

  std::string Location() const override { return root_; }
  MediaKind Media() const override { return MediaKind::kLocalDisk; }

  Status Create() override;
  Status Save(FileType type, const std::string& name, std::string_view data) override;
  Status LoadInto(FileType type, const std::string& name, std::string* out) override;
  Result<std::string> Load(FileType type, const std::string& name, uint64_t offset = 0,
                           uint64_t length = 0) override;
  Result<FileInfo> Stat(FileType type, const std::string& name) override;
  Result<std::vector<FileInfo>> List(FileType type) override;
  Status Remove(FileType type, const std::string& name) override;

 private:
  Result<std::string> PathOf(FileType type, const std::string& name) const;
  // Save found `path` taken: same content is success, other content AlreadyExists.
  Status CompareExisting(FileType type, const std::string& name, const std::string& path,
                         std::string_view data);
  Status ListDirectory(FileType type, const std::string& dir, std::vector<FileInfo>* out);
  Status LoadRange(FileType type, const std::string& name, uint64_t offset, uint64_t length,
                   std::string* out);

  std::string root_;
};

}  // namespace failsafe::backup

#pragma once
// MemBackend: an honest in-memory Backend (same errors and atomicity as the real ones) for
// tests of the repository, archiver and tools above it. Thread-safe. Tamper() and the
// counters exist for tests that damage a repository or count its traffic.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "backup/backend/backend.h"

namespace failsafe::backup {

class MemBackend final : public Backend {
 public:
  explicit MemBackend(std::string location = "mem://test", MediaKind media = MediaKind::kLocalDisk)
      : location_(std::move(location)), media_(media) {}

  std::string Location() const override { return location_; }
  MediaKind Media() const override { return media_; }
  Status Create() override;
  Status Save(FileType type, const std::string& name, std::string_view data) override;
  Result<std::string> Load(FileType type, const std::string& name, uint64_t offset = 0,
                           uint64_t length = 0) override;
  Result<FileInfo> Stat(FileType type, const std::string& name) override;
  Result<std::vector<FileInfo>> List(FileType type) override;
  Status Remove(FileType type, const std::string& name) override;

  // Tests: changes a stored file in place (what a tamperer or bit rot does); false if absent.
  bool Tamper(FileType type, const std::string& name, const std::function<void(std::string&)>& f);
  // Tests: stores a file bypassing the same-name check (a tamperer replacing a file).
  void Put(FileType type, const std::string& name, std::string data);
  // A Backend that forwards to this one (which must outlive it): a test keeps the
  // MemBackend and hands views to each Repository it opens, as processes share a directory.
  std::unique_ptr<Backend> NewView();
  size_t saves() const;
  size_t loads() const;

 private:
  using Key = std::pair<FileType, std::string>;
  mutable std::mutex mu_;
  std::map<Key, std::string> files_;
  std::string location_;
  MediaKind media_;
  size_t saves_ = 0;
  size_t loads_ = 0;
};

}  // namespace failsafe::backup

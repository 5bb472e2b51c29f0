#pragma once
// ForwardingBackend: a Backend that passes every call, LoadInto included, to another one. The
// wrappers (retry, rate limits, MemBackend's views, the benchmarks' backends) derive from it and
// override only the calls they change; a call added to Backend is forwarded here once instead of
// being forgotten in one of them, which then quietly falls back to Backend's default (as
// LoadInto was: a view over a LocalBackend lost its buffer reuse).
#include <memory>

#include "backup/backend/backend.h"

namespace failsafe::backup {

class ForwardingBackend : public Backend {
 public:
  explicit ForwardingBackend(std::unique_ptr<Backend> target);  // owns it
  explicit ForwardingBackend(Backend& target);                  // which must outlive this

  std::string Location() const override { return target_->Location(); }
  MediaKind Media() const override { return target_->Media(); }
  Status Create() override { return target_->Create(); }
  Status Save(FileType type, const std::string& name, std::string_view data) override {
    return target_->Save(type, name, data);
  }
  Result<std::string> Load(FileType type, const std::string& name, uint64_t offset = 0,
                           uint64_t length = 0) override {
    return target_->Load(type, name, offset, length);
  }
  Status LoadInto(FileType type, const std::string& name, std::string* out) override {
    return target_->LoadInto(type, name, out);
  }
  Result<FileInfo> Stat(FileType type, const std::string& name) override {
    return target_->Stat(type, name);
  }
  Result<std::vector<FileInfo>> List(FileType type) override { return target_->List(type); }
  Status Remove(FileType type, const std::string& name) override {
    return target_->Remove(type, name);
  }

 protected:
  Backend& target() const { return *target_; }

 private:
  std::unique_ptr<Backend> owned_;
  Backend* target_;
};

}  // namespace failsafe::backup

#include "backup/backend/mem_backend.h"

#include "backup/backend/forwarding_backend.h"

namespace failsafe::backup {

std::unique_ptr<Backend> MemBackend::NewView() {
  return std::make_unique<ForwardingBackend>(*this);
}

Status MemBackend::Create() {
  std::lock_guard lock(mu_);
  if (files_.count({FileType::kConfig, "config"}) != 0)
    return AlreadyExists(location_ + " already holds a repository (config exists)");
  return Status::Ok();
}

Status MemBackend::Save(FileType type, const std::string& name, std::string_view data) {
  std::lock_guard lock(mu_);
  ++saves_;
  auto [it, inserted] = files_.try_emplace({type, name}, data);
  if (!inserted && it->second != data)
    return AlreadyExists(location_ + ": " + name + " exists with other content");
  return Status::Ok();
}

Result<std::string> MemBackend::Load(FileType type, const std::string& name, uint64_t offset,
                                     uint64_t length) {
  std::lock_guard lock(mu_);
  ++loads_;
  auto it = files_.find({type, name});
  if (it == files_.end()) return Err(NotFound(location_ + ": " + name + " does not exist"));
  const std::string& data = it->second;
  if (offset > data.size() || (length > 0 && data.size() - offset < length))
    return Err(DataLoss(location_ + ": " + name + " has " + std::to_string(data.size()) +
                        " bytes, fewer than asked (" + std::to_string(offset) + "+" +
                        std::to_string(length) + ")"));
  return data.substr(offset, length == 0 ? std::string::npos : length);
}

Result<FileInfo> MemBackend::Stat(FileType type, const std::string& name) {
  std::lock_guard lock(mu_);
  auto it = files_.find({type, name});
  if (it == files_.end()) return Err(NotFound(location_ + ": " + name + " does not exist"));
  return FileInfo{name, it->second.size()};
}

Result<std::vector<FileInfo>> MemBackend::List(FileType type) {
  std::lock_guard lock(mu_);
  std::vector<FileInfo> out;
  for (auto it = files_.lower_bound({type, ""}); it != files_.end() && it->first.first == type;
       ++it)
    out.push_back({it->first.second, it->second.size()});
  return out;
}

Status MemBackend::Remove(FileType type, const std::string& name) {
  std::lock_guard lock(mu_);
  if (files_.erase({type, name}) == 0) return NotFound(location_ + ": " + name + " does not exist");
  return Status::Ok();
}

bool MemBackend::Tamper(FileType type, const std::string& name,
                        const std::function<void(std::string&)>& f) {
  std::lock_guard lock(mu_);
  auto it = files_.find({type, name});
  if (it == files_.end()) return false;
  f(it->second);
  return true;
}

void MemBackend::Put(FileType type, const std::string& name, std::string data) {
  std::lock_guard lock(mu_);
  files_[{type, name}] = std::move(data);
}

size_t MemBackend::saves() const {
  std::lock_guard lock(mu_);
  return saves_;
}

size_t MemBackend::loads() const {
  std::lock_guard lock(mu_);
  return loads_;
}

}  // namespace failsafe::backup

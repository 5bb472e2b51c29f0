#pragma once
// ScratchDir: a fresh directory under $TMPDIR for this library's tests, removed with
// everything in it when the object goes. Header-only, test code only.
#include <stdlib.h>

#include <filesystem>
#include <string>

namespace failsafe::backup::testing {

class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "failsafe-backend-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace failsafe::backup::testing

#pragma once
// A fresh directory under $TMPDIR (default /tmp), removed with everything in it when the
// object is destroyed. For tests; not thread-safe.
#include <sys/types.h>

#include <string>

namespace failsafe::store::testing {

class TempDir {
 public:
  // Aborts the test binary (throws std::runtime_error) if no directory can be created.
  explicit TempDir(const std::string& prefix = "failsafe-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string Join(const std::string& name) const { return path_ + "/" + name; }
  // Gives the directory to a user (the PostgreSQL server when running as root).
  bool ChownTo(uid_t uid, gid_t gid) const;

 private:
  std::string path_;
};

}  // namespace failsafe::store::testing

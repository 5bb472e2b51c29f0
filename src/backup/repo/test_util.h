#pragma once
// Shared set-up of the repository tests: a cheap Argon2 cost, small packs, a MemBackend
// kept by the test and viewed by each Repository it opens.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "backup/backend/mem_backend.h"
#include "backup/repo/repository.h"
#include "base/random.h"

namespace failsafe::backup::repo_testing {

inline InitOptions FastInit(uint32_t pack_size = 64 * 1024) {
  InitOptions o;
  o.argon2_opslimit = 1;
  o.argon2_memlimit = 1 << 16;
  o.config.pack_size = pack_size;
  o.config.chunker = {1024, 4096, 16384};
  return o;
}

inline Credentials Password(std::string pw) {
  Credentials c;
  c.password = std::move(pw);
  return c;
}

inline std::unique_ptr<Repository> InitRepo(MemBackend& mem, const InitOptions& o = FastInit(),
                                            const RepoOptions& ro = {}) {
  auto repo = Repository::Init(mem.NewView(), Password("secret"), o, ro);
  EXPECT_TRUE(repo) << repo.error().ToString();
  return repo ? std::move(*repo) : nullptr;
}

inline std::unique_ptr<Repository> OpenRepo(MemBackend& mem, const RepoOptions& ro = {}) {
  auto repo = Repository::Open(mem.NewView(), Password("secret"), ro);
  EXPECT_TRUE(repo) << repo.error().ToString();
  if (!repo) return nullptr;
  Status s = (*repo)->LoadIndex();
  EXPECT_TRUE(s.ok()) << s.ToString();
  return std::move(*repo);
}

// Text that compresses (log-like lines) and bytes that do not.
inline std::string TextBlob(size_t n, int seed) {
  std::string s;
  while (s.size() < n)
    s += "2026-11-22T02:00:0" + std::to_string(seed % 10) +
         "Z erp-db-01 backup ok rows=" + std::to_string(s.size() * 7 + static_cast<size_t>(seed)) +
         "\n";
  s.resize(n);
  return s;
}
inline std::string RandomBlob(size_t n) {
  return RandomBytes(n);
}

inline bool Contains(const Status& s, std::string_view text) {
  return s.message().find(text) != std::string::npos;
}

}  // namespace failsafe::backup::repo_testing

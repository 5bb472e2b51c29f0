#include "backup/backend/retry_backend.h"

#include <gtest/gtest.h>

#include "backup/backend/local_backend.h"
#include "backup/backend/scratch_dir.h"

namespace failsafe::backup {
namespace {

using namespace std::chrono_literals;

// A real LocalBackend behind a switch that fails the next `failures` calls with `error`,
// optionally after letting the real call happen (a reply lost on the way back).
class FlakyBackend final : public Backend {
 public:
  explicit FlakyBackend(std::string root) : real_(std::move(root)) {}
  int failures = 0;
  bool fail_after_doing = false;
  Status error = Unavailable("connection reset by peer");
  int calls = 0;

  std::string Location() const override { return real_.Location(); }
  MediaKind Media() const override { return real_.Media(); }
  Status Create() override { return Wrap(real_.Create()); }
  Status Save(FileType t, const std::string& n, std::string_view d) override {
    if (Failing() && !fail_after_doing) return error;
    return Wrap(real_.Save(t, n, d));
  }
  Result<std::string> Load(FileType t, const std::string& n, uint64_t o, uint64_t l) override {
    if (Failing()) return Err(error);
    return real_.Load(t, n, o, l);
  }
  Result<FileInfo> Stat(FileType t, const std::string& n) override {
    if (Failing()) return Err(error);
    return real_.Stat(t, n);
  }
  Result<std::vector<FileInfo>> List(FileType t) override {
    if (Failing()) return Err(error);
    return real_.List(t);
  }
  Status Remove(FileType t, const std::string& n) override {
    if (Failing() && !fail_after_doing) return error;
    return Wrap(real_.Remove(t, n));
  }

 private:
  bool Failing() {
    ++calls;
    armed_ = failures > 0;
    if (armed_) --failures;
    return armed_;
  }
  Status Wrap(Status s) { return armed_ && fail_after_doing ? error : s; }
  LocalBackend real_;
  bool armed_ = false;
};

class RetryBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto flaky = std::make_unique<FlakyBackend>(scratch_.path() + "/repo");
    flaky_ = flaky.get();
    RetryOptions o;
    o.max_attempts = 4;
    o.initial_backoff = 100ms;
    o.max_backoff = 250ms;
    retry_ = std::make_unique<RetryBackend>(
        std::move(flaky), o, [this](std::chrono::milliseconds d) { delays_.push_back(d); });
    ASSERT_TRUE(retry_->Create().ok());
  }
  testing::ScratchDir scratch_;
  FlakyBackend* flaky_ = nullptr;
  std::unique_ptr<RetryBackend> retry_;
  std::vector<std::chrono::milliseconds> delays_;
};

TEST_F(RetryBackendTest, UnavailableIsRetriedWithGrowingJitteredBackoff) {
  flaky_->failures = 3;
  flaky_->calls = 0;
  ASSERT_TRUE(retry_->Save(FileType::kIndex, "i1", "abc").ok());
  EXPECT_EQ(flaky_->calls, 4);
  ASSERT_EQ(delays_.size(), 3u);
  // Caps 100, 200, 250 (max): each delay within [cap/2, cap].
  const std::chrono::milliseconds caps[] = {100ms, 200ms, 250ms};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_GE(delays_[i], caps[i] / 2) << i;
    EXPECT_LE(delays_[i], caps[i]) << i;
  }
  EXPECT_EQ(retry_->BackoffFor(1), 100ms);
  EXPECT_EQ(retry_->BackoffFor(10), 250ms);
  EXPECT_EQ(*retry_->Load(FileType::kIndex, "i1"), "abc");
}

TEST_F(RetryBackendTest, GivesUpAfterMaxAttemptsWithTheLastError) {
  flaky_->failures = 100;
  flaky_->calls = 0;
  auto r = retry_->List(FileType::kSnapshot);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(flaky_->calls, 4);
  EXPECT_EQ(delays_.size(), 3u);
}

TEST_F(RetryBackendTest, OtherErrorsAreFinalAtOnce) {
  flaky_->calls = 0;
  auto r = retry_->Load(FileType::kIndex, "missing");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
  flaky_->failures = 1;
  flaky_->error = PermissionDenied("AccessDenied");
  EXPECT_EQ(retry_->Stat(FileType::kIndex, "x").error().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(flaky_->calls, 2);
  EXPECT_TRUE(delays_.empty());
}

// The first attempt did its work but the answer was lost: the retries see the work done.
TEST_F(RetryBackendTest, LostAnswersOfSaveAndRemoveStillSucceed) {
  flaky_->fail_after_doing = true;
  flaky_->failures = 1;
  ASSERT_TRUE(retry_->Save(FileType::kLock, "l1", "lock").ok());
  flaky_->failures = 1;
  EXPECT_TRUE(retry_->Remove(FileType::kLock, "l1").ok());
  EXPECT_EQ(retry_->Stat(FileType::kLock, "l1").error().code(), ErrorCode::kNotFound);
  // Without a failed attempt before it, NotFound stays NotFound.
  EXPECT_EQ(retry_->Remove(FileType::kLock, "l1").code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace failsafe::backup

#include "backup/backend/rate_limit_backend.h"

#include <gtest/gtest.h>

#include "backup/backend/local_backend.h"
#include "backup/backend/scratch_dir.h"

namespace failsafe::backup {
namespace {

using namespace std::chrono_literals;

struct Timeline {
  TokenBucket::Clock::time_point now{};
  TokenBucket::Clock::duration slept{};
  std::unique_ptr<TokenBucket> Bucket(uint64_t rate) {
    return std::make_unique<TokenBucket>(
        rate, 0, [this] { return now; },
        [this](TokenBucket::Clock::duration d) {
          slept += d;
          now += d;
        });
  }
};

class RateLimitBackendTest : public ::testing::Test {
 protected:
  testing::ScratchDir scratch_;
  const std::string dir_ = scratch_.path();
};

TEST_F(RateLimitBackendTest, UploadsAndDownloadsAreChargedToTheirOwnBuckets) {
  Timeline up, down;
  RateLimitBackend b(std::make_unique<LocalBackend>(dir_ + "/repo"), up.Bucket(100'000),
                     down.Bucket(50'000));
  ASSERT_TRUE(b.Create().ok());
  const std::string data(300'000, 'p');
  const std::string name = "aa" + std::string(62, '1');
  ASSERT_TRUE(b.Save(FileType::kPack, name, data).ok());
  // 100 kB burst, then 200 kB of debt at 100 kB/s.
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(up.slept), 2000ms);
  EXPECT_EQ(down.slept, 0s);
  auto part = b.Load(FileType::kPack, name, 0, 150'000);
  ASSERT_TRUE(part);
  EXPECT_EQ(part->size(), 150'000u);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(down.slept), 2000ms);
  ASSERT_TRUE(b.List(FileType::kPack));  // not charged
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(down.slept), 2000ms);
}

TEST_F(RateLimitBackendTest, RealClockHoldsTheRate) {
  RateLimitOptions o;
  o.upload_bytes_per_second = 1'000'000;
  RateLimitBackend b(std::make_unique<LocalBackend>(dir_ + "/repo"), o);
  ASSERT_TRUE(b.Create().ok());
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(b.Save(FileType::kIndex, "i1", std::string(1'300'000, 'x')).ok());
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, 250ms);  // 1 MB burst, 0.3 MB at 1 MB/s
  EXPECT_LT(took, 5s);
}

}  // namespace
}  // namespace failsafe::backup

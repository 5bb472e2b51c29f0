#include "tests/backup/shared_peers.h"

#include <gtest/gtest.h>

#include <memory>

namespace failsafe::backup::testing {
namespace {

std::unique_ptr<SshdPeer> sshd;
std::unique_ptr<S3rverPeer> s3rver;

// Stops the peers after the last test, before static destruction.
class StopPeers : public ::testing::Environment {
 public:
  void TearDown() override {
    sshd.reset();
    s3rver.reset();
  }
};
[[maybe_unused]] ::testing::Environment* const kStopPeers =
    ::testing::AddGlobalTestEnvironment(new StopPeers);

}  // namespace

SshdPeer& SharedSshd() {
  if (!sshd) sshd = std::make_unique<SshdPeer>();
  return *sshd;
}

S3rverPeer& SharedS3rver() {
  if (!s3rver) s3rver = std::make_unique<S3rverPeer>();
  return *s3rver;
}

}  // namespace failsafe::backup::testing

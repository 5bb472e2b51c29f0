#pragma once
// One sshd and one s3rver per test process, started on first use (a test of the local backend
// starts neither) and stopped when the process ends.
#include "tests/backup/peers.h"

namespace failsafe::backup::testing {

SshdPeer& SharedSshd();
S3rverPeer& SharedS3rver();

}  // namespace failsafe::backup::testing

#include "bench/probes/bench_target.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "watch/probes/testing/test_http_server.h"

namespace failsafe::watch::probes::bench {

TargetProcess StartTarget() {
  int fds[2];
  if (pipe(fds) != 0) std::exit(2);
  const pid_t pid = fork();
  if (pid < 0) std::exit(2);
  if (pid == 0) {
    close(fds[0]);
    testing::TestHttpServer server([](const testing::TestRequest&) {
      return testing::TestResponse{200, {}, "ok\n"};
    });
    const uint16_t port = server.port();
    if (write(fds[1], &port, sizeof port) != sizeof port) _exit(2);
    close(fds[1]);
    for (;;) pause();  // until SIGTERM
  }
  close(fds[1]);
  TargetProcess t;
  t.pid = pid;
  if (read(fds[0], &t.port, sizeof t.port) != sizeof t.port) {
    std::fprintf(stderr, "bench target did not start\n");
    std::exit(2);
  }
  close(fds[0]);
  return t;
}

void StopTarget(const TargetProcess& target) {
  kill(target.pid, SIGTERM);
  waitpid(target.pid, nullptr, 0);
}

}  // namespace failsafe::watch::probes::bench

// An acknowledged write survives kill -9: a child process commits rows and reports each
// acknowledged id through a pipe; the parent kills it at a random moment and checks that
// every acknowledged row is there.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <set>
#include <thread>

#include "store/engine_fixture.h"

namespace failsafe::store {
namespace {

class DurabilityTest : public EngineTest {};

// Runs in the forked child: only _exit, never return into gtest.
[[noreturn]] void WriteUntilKilled(const std::string& url, int ack_fd, int64_t first_id) {
  auto store = OpenStore(url);
  if (!store) _exit(2);
  for (int64_t id = first_id; id < first_id + 100000; ++id) {
    Status s = (*store)->Write([&](Tx& tx) -> Status {
      auto r =
          tx.Exec("INSERT INTO acked (id, payload) VALUES (?, ?)", {id, std::string(200, 'x')});
      return r ? Status::Ok() : r.error();
    });
    if (!s.ok()) _exit(3);
    if (write(ack_fd, &id, sizeof id) != sizeof id) _exit(4);
  }
  _exit(0);
}

TEST_P(DurabilityTest, AcknowledgedWritesSurviveKill9) {
  std::string url = NewUrl();
  ASSERT_FALSE(url.empty());
  {
    auto store = OpenUrl(url);
    ASSERT_NE(store, nullptr);
    ASSERT_OK(store->Write([](Tx& tx) -> Status {
      return StatusOf(tx.Exec("CREATE TABLE acked (id BIGINT PRIMARY KEY, payload TEXT)"));
    }));
  }  // closed before fork: the child must not inherit open connections
  std::mt19937 rng(std::random_device{}());
  for (int round = 0; round < 3; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    int64_t first_id = (round + 1) * 1'000'000;
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(fds[0]);
      WriteUntilKilled(url, fds[1], first_id);
    }
    close(fds[1]);
    size_t kill_after = std::uniform_int_distribution<size_t>(3, 30)(rng);
    std::set<int64_t> acked;
    int64_t id = 0;
    while (acked.size() < kill_after && read(fds[0], &id, sizeof id) == sizeof id) {
      acked.insert(id);
    }
    std::this_thread::sleep_for(
        std::chrono::microseconds(std::uniform_int_distribution<int>(0, 3000)(rng)));
    kill(child, SIGKILL);
    int wstatus = 0;
    waitpid(child, &wstatus, 0);
    // Acks written before the kill are still in the pipe.
    while (read(fds[0], &id, sizeof id) == sizeof id) acked.insert(id);
    close(fds[0]);
    ASSERT_TRUE(WIFSIGNALED(wstatus)) << "child ended early with status " << wstatus;
    ASSERT_GE(acked.size(), kill_after);

    auto store = OpenUrl(url);
    ASSERT_NE(store, nullptr);
    std::set<int64_t> present;
    ASSERT_OK(store->Read([&](Tx& tx) -> Status {
      FS_ASSIGN_OR_RETURN_STATUS(auto rows,
                                 tx.Query("SELECT id FROM acked WHERE id >= ?", {first_id}));
      for (const Row& r : rows) present.insert(r.Int(0));
      return Status::Ok();
    }));
    for (int64_t a : acked) EXPECT_TRUE(present.contains(a)) << "acknowledged row " << a << " lost";
    // At most the one write in flight at the kill may be there without an ack.
    EXPECT_LE(present.size(), acked.size() + 1);
  }
}

FAILSAFE_INSTANTIATE_ENGINES(DurabilityTest);

}  // namespace
}  // namespace failsafe::store

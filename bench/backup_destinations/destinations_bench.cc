// Throughput of the backup destinations against their peers' own clients, same file, same
// server, same run: SftpBackend vs OpenSSH's sftp(1) on a temp sshd, S3Backend vs curl(1)
// --aws-sigv4 on s3rver. Prints MiB/s and ratios (failsafe / peer). Bounded: a 128 MiB file,
// three rounds each, about a minute.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>

#include "backup/backend/open_backend.h"
#include "tests/backup/peers.h"

namespace {

using failsafe::backup::BackendOptions;
using failsafe::backup::FileType;
using failsafe::testing::RunCommand;
using Clock = std::chrono::steady_clock;

constexpr size_t kSize = 128u << 20;
constexpr int kRounds = 3;

// The best of kRounds: the machine is shared, the best round is the least disturbed.
double BestMiBps(const std::function<bool()>& run) {
  double best = 0;
  for (int i = 0; i < kRounds; ++i) {
    auto start = Clock::now();
    if (!run()) return -1;
    double s = std::chrono::duration<double>(Clock::now() - start).count();
    best = std::max(best, double(kSize) / (1 << 20) / s);
  }
  return best;
}

void Row(const char* what, double ours, double peer) {
  std::printf("%-14s failsafe %7.1f MiB/s   peer %7.1f MiB/s   ratio %.2f\n", what, ours, peer,
              peer > 0 ? ours / peer : 0.0);
}

}  // namespace

int main() {
  failsafe::testing::TempDir scratch;
  std::string data(kSize, '\0');
  for (size_t i = 0; i < kSize; ++i)
    data[i] = char((i * 2654435761u) >> 13);  // incompressible enough
  const std::string file = scratch.path() + "/payload";
  std::ofstream(file, std::ios::binary).write(data.data(), std::streamsize(data.size()));
  const std::string name(64, 'a');

  {
    failsafe::backup::testing::SshdPeer sshd;
    if (!sshd.ok()) return std::cerr << sshd.error() << "\n", 1;
    BackendOptions o;
    o.sftp = sshd.Options();
    auto b = std::move(*failsafe::backup::OpenBackend(sshd.Url("bench"), o));
    if (!b->Create().ok()) return 1;
    int n = 0;
    double save =
        BestMiBps([&] { return b->Save(FileType::kPack, "aa" + std::to_string(n++), data).ok(); });
    double load = BestMiBps([&] { return b->Load(FileType::kPack, "aa0").has_value(); });
    const std::string batch = scratch.path() + "/batch";
    auto sftp = [&](const std::string& command) {
      std::ofstream(batch) << command << "\n";
      auto r =
          RunCommand("/usr/bin/sftp", {"-q", "-b", batch, "-i", o.sftp.identity_file, "-o",
                                       "UserKnownHostsFile=" + o.sftp.known_hosts_file, "-P",
                                       std::to_string(sshd.port()), sshd.user() + "@127.0.0.1"});
      if (r.exit_code != 0) std::cerr << r.err;
      return r.exit_code == 0;
    };
    double put = BestMiBps([&] { return sftp("put " + file + " " + sshd.dir() + "/peer-copy"); });
    double get =
        BestMiBps([&] { return sftp("get " + sshd.dir() + "/peer-copy " + file + ".got"); });
    Row("sftp save/put", save, put);
    Row("sftp load/get", load, get);
  }
  {
    failsafe::backup::testing::S3rverPeer s3;
    if (!s3.ok()) return std::cerr << s3.error() << "\n", 1;
    BackendOptions o;
    o.s3 = s3.Options();
    auto b = std::move(*failsafe::backup::OpenBackend(s3.Url("bench/r"), o));
    if (!b->Create().ok()) return 1;
    int n = 0;
    double save =
        BestMiBps([&] { return b->Save(FileType::kPack, "bb" + std::to_string(n++), data).ok(); });
    double load = BestMiBps([&] { return b->Load(FileType::kPack, "bb0").has_value(); });
    const std::string url = "http://127.0.0.1:" + std::to_string(s3.port()) + "/bench/peer-copy";
    auto curl = [&](std::vector<std::string> args) {
      args.insert(args.begin(), {"-sSf", "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD",
                                 "--aws-sigv4", "aws:amz:us-east-1:s3", "--user",
                                 o.s3.access_key_id + ":" + o.s3.secret_access_key});
      auto r = RunCommand("/usr/bin/curl", args);
      if (r.exit_code != 0) std::cerr << r.err;
      return r.exit_code == 0;
    };
    double put = BestMiBps([&] { return curl({"-T", file, url}); });
    double get = BestMiBps([&] { return curl({"-o", file + ".got", url}); });
    Row("s3 save/PUT", save, put);
    Row("s3 load/GET", load, get);
  }
  return 0;
}

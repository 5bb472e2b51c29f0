#include "tests/backup/peers.h"

#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace failsafe::backup::testing {

namespace fs = std::filesystem;
using failsafe::testing::FreePort;
using failsafe::testing::PeerProcess;
using failsafe::testing::RunCommand;

bool WaitForTcp(int port, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(uint16_t(port));
    bool up = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    if (up) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string SshdPeer::Run(const std::string& binary, const std::vector<std::string>& args) {
  auto r = RunCommand(binary, args);
  if (r.exit_code != 0) error_ = binary + " failed: " + r.err;
  return r.out;
}

SshdPeer::SshdPeer() {
  const std::string d = dir_.path();
  if (const passwd* pw = ::getpwuid(::geteuid())) user_ = pw->pw_name;
  for (const char* key : {"host_key", "client_key"}) {
    Run("/usr/bin/ssh-keygen", {"-q", "-t", "ed25519", "-N", "", "-C", key, "-f", d + "/" + key});
    if (!ok()) return;
  }
  // "256 SHA256:... host_key (ED25519)"
  std::istringstream line(Run("/usr/bin/ssh-keygen", {"-l", "-f", d + "/host_key.pub"}));
  std::string bits;
  line >> bits >> host_fingerprint_;
  fs::copy_file(d + "/client_key.pub", d + "/authorized_keys");
  ::chmod((d + "/authorized_keys").c_str(), 0600);
  port_ = FreePort();
  std::ofstream(d + "/known_hosts")
      << "[127.0.0.1]:" << port_ << " " << ReadAll(d + "/host_key.pub");
  std::ofstream(d + "/sshd_config") << "HostKey " << d << "/host_key\n"
                                    << "AuthorizedKeysFile " << d << "/authorized_keys\n"
                                    << "PidFile " << d << "/sshd.pid\n"
                                    << "PasswordAuthentication no\n"
                                    << "KbdInteractiveAuthentication no\n"
                                    << "PubkeyAuthentication yes\n"
                                    << "PermitRootLogin prohibit-password\n"
                                    << "StrictModes no\n"
                                    << "UsePAM no\n"
                                    << "Subsystem sftp internal-sftp\n"
                                    << "LogLevel ERROR\n";
  // sshd running as root wants its privilege separation directory.
  if (::geteuid() == 0) ::mkdir("/run/sshd", 0755);
  sshd_ = std::make_unique<PeerProcess>(
      "/usr/sbin/sshd",
      std::vector<std::string>{"-D", "-e", "-f", d + "/sshd_config", "-p", std::to_string(port_),
                               "-o", "ListenAddress=127.0.0.1"},
      d + "/sshd.log");
  if (!WaitForTcp(port_, 15'000)) error_ = "sshd did not start: " + sshd_->log();
}

SshdPeer::~SshdPeer() {
  if (sshd_) {
    KillSessions();
    sshd_->Stop();
  }
}

SftpOptions SshdPeer::Options() const {
  SftpOptions o;
  o.identity_file = dir_.path() + "/client_key";
  o.known_hosts_file = dir_.path() + "/known_hosts";
  o.connect_timeout = std::chrono::seconds(10);
  return o;
}

std::string SshdPeer::Url(const std::string& name) const {
  return "sftp://" + user_ + "@127.0.0.1:" + std::to_string(port_) + dir_.path() + "/" + name;
}

int SshdPeer::KillSessions() {
  const std::string listener = ReadAll(dir_.path() + "/sshd.pid");
  const int sshd_pid = std::atoi(listener.c_str());
  if (sshd_pid <= 0) return 0;
  // Every process whose parent is our listener is one of our sessions.
  int killed = 0;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::istringstream status(ReadAll(e.path().string() + "/status"));
    for (std::string l; std::getline(status, l);) {
      if (l.rfind("PPid:", 0) == 0 && std::atoi(l.c_str() + 5) == sshd_pid) {
        ::kill(std::atoi(name.c_str()), SIGKILL);
        ++killed;
      }
    }
  }
  return killed;
}

namespace {

std::string FindOnPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    std::string candidate = dir + "/" + program;
    if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

}  // namespace

S3rverPeer::S3rverPeer(bool tls) {
  // Our launcher (tests/support/npm/s3rver.js) runs s3rver from node_modules beside it, with
  // s3rver_put_fix.js applied: s3rver 3.7.1 acknowledges a PUT before the object is written.
  const std::string script = FAILSAFE_S3RVER;
  const std::string installed =
      fs::path(script).parent_path().string() + "/node_modules/s3rver/bin/s3rver.js";
  if (::access(installed.c_str(), R_OK) != 0) {
    error_ = installed + " is missing: run `make test-peers` (npm ci in tests/support/npm)";
    return;
  }
  const std::string node = FindOnPath("node");
  if (node.empty()) {
    error_ = "node is not on PATH (s3rver runs on Node.js)";
    return;
  }
  std::vector<std::string> args = {
      "--openssl-legacy-provider", script, "-d", dir_.path() + "/data", "-a", "127.0.0.1", "-s"};
  if (tls) {
    auto made =
        RunCommand("/usr/bin/openssl", {"req", "-x509", "-newkey", "ec", "-pkeyopt",
                                        "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj",
                                        "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                                        "-keyout", dir_.path() + "/key.pem", "-out", ca_file()});
    if (made.exit_code != 0) {
      error_ = "openssl req failed: " + made.err;
      return;
    }
    args.insert(args.end(), {"--key", dir_.path() + "/key.pem", "--cert", ca_file()});
  }
  port_ = FreePort();
  args.push_back("-p");
  args.push_back(std::to_string(port_));
  fs::create_directory(dir_.path() + "/data");
  // s3rver 3.7 encrypts its continuation tokens with DES, which OpenSSL 3 keeps in its legacy
  // provider: without it every listing past 1000 keys fails with a 500.
  s3rver_ = std::make_unique<PeerProcess>(node, args, dir_.path() + "/s3rver.log");
  if (!WaitForTcp(port_, 30'000)) error_ = "s3rver did not start: " + s3rver_->log();
}

S3rverPeer::~S3rverPeer() {
  Stop();
}

void S3rverPeer::Stop() {
  if (s3rver_) s3rver_->Stop();
}

S3Options S3rverPeer::Options() const {
  S3Options o;
  o.access_key_id = "S3RVER";
  o.secret_access_key = "S3RVER";
  o.connect_timeout = std::chrono::seconds(5);
  o.request_timeout = std::chrono::seconds(120);
  return o;
}

std::string S3rverPeer::Url(const std::string& bucket_and_prefix) const {
  return "s3://127.0.0.1:" + std::to_string(port_) + "/" + bucket_and_prefix;
}

}  // namespace failsafe::backup::testing

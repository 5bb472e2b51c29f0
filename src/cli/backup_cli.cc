#include "cli/backup_cli.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "backup/backend/open_backend.h"
#include "cli/commands.h"
#include "cli/secret_input.h"

namespace failsafe::cli {

void AddRepoOptions(CLI::App* cmd, RepoArgs& args, const std::string& repo_flag) {
  cmd->add_option(repo_flag, args.repo,
                  "repository: a directory, sftp://user@host[:port]/path or "
                  "s3://host:port/bucket/prefix")
      ->required();
  cmd->add_option("--password-file", args.password_file,
                  "read the repository password from this file (else FAILSAFE_BACKUP_PASSWORD, "
                  "else a prompt)");
  cmd->add_option("--key-file", args.key_file,
                  "open with a key file written by `backup key add --new-key-file` instead of "
                  "a password (unattended servers)");
  cmd->add_option("--sftp-identity", args.sftp_identity, "SFTP: private key file");
  cmd->add_option("--sftp-known-hosts", args.sftp_known_hosts,
                  "SFTP: known_hosts file (default ~/.ssh/known_hosts)");
  cmd->add_option("--sftp-accept-fingerprint", args.sftp_accept_fingerprint,
                  "SFTP: accept this host key (SHA256:...) even if known_hosts lacks it");
  cmd->add_flag("--sftp-insecure-new-host", args.sftp_insecure_new_host,
                "SFTP: accept an unknown host key (a changed key is still refused)");
  cmd->add_option("--limit-upload", args.limit_upload_kib, "upload limit in KiB/s");
  cmd->add_option("--limit-download", args.limit_download_kib, "download limit in KiB/s");
}

Result<std::string> ReadSecretFile(const std::string& path, const std::string& flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Err(InvalidArgument("cannot read " + path, flag));
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.empty()) return Err(InvalidArgument(path + " is empty", flag));
  return text;
}

Result<backup::Credentials> CredentialsFrom(const RepoArgs& args, bool confirm) {
  backup::Credentials c;
  if (!args.key_file.empty()) {
    c.key_file = args.key_file;
    return c;
  }
  if (const char* env = std::getenv("FAILSAFE_BACKUP_PASSWORD"); env != nullptr && *env) {
    c.password = env;
    return c;
  }
  if (!args.password_file.empty()) {
    FS_ASSIGN_OR_RETURN(c.password, ReadSecretFile(args.password_file, "--password-file"));
    return c;
  }
  if (!::isatty(STDIN_FILENO))
    return Err(
        InvalidArgument("no repository password: set FAILSAFE_BACKUP_PASSWORD, or use "
                        "--password-file or --key-file",
                        "--password-file"));
  FS_ASSIGN_OR_RETURN(std::string first, PromptPassword("Repository password: "));
  if (confirm) {
    FS_ASSIGN_OR_RETURN(std::string again, PromptPassword("Repeat the password: "));
    if (again != first) return Err(InvalidArgument("the passwords differ", "password"));
  }
  c.password = std::move(first);
  return c;
}

backup::BackendOptions BackendOptionsFrom(const RepoArgs& args) {
  backup::BackendOptions o;
  o.sftp.identity_file = args.sftp_identity;
  o.sftp.known_hosts_file = args.sftp_known_hosts;
  o.sftp.accept_fingerprint = args.sftp_accept_fingerprint;
  o.sftp.strict_host_key_checking = !args.sftp_insecure_new_host;
  o.rate_limit.upload_bytes_per_second = args.limit_upload_kib * 1024;
  o.rate_limit.download_bytes_per_second = args.limit_download_kib * 1024;
  return o;
}

Result<std::unique_ptr<backup::Repository>> OpenRepository(const RepoArgs& args) {
  FS_ASSIGN_OR_RETURN(auto credentials, CredentialsFrom(args));
  FS_ASSIGN_OR_RETURN(auto backend, backup::OpenBackend(args.repo, BackendOptionsFrom(args)));
  return backup::Repository::Open(std::move(backend), credentials);
}

std::string ShortId(const backup::Id& id) {
  return id.Hex().substr(0, 8);
}

struct TerminalProgress::State {
  const backup::Progress& progress;
  std::string label;
  std::atomic<bool> stop{false};
  std::thread thread;
};

namespace {

int TerminalWidth() {
  winsize ws{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

}  // namespace

TerminalProgress::TerminalProgress(const backup::Progress& progress, std::string label)
    : state_(new State{progress, std::move(label), {}, {}}) {
  if (!::isatty(STDERR_FILENO)) return;
  state_->thread = std::thread([s = state_.get()] {
    while (!s->stop.load()) {
      int width = TerminalWidth();
      std::string line = s->label + " " +
                         backup::FormatProgressLine(s->progress.Sample(),
                                                    width - static_cast<int>(s->label.size()) - 2);
      std::fprintf(stderr, "\r\033[K%s", line.c_str());
      std::fflush(stderr);
      for (int i = 0; i < 4 && !s->stop.load(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  });
}

TerminalProgress::~TerminalProgress() {
  state_->stop = true;
  if (state_->thread.joinable()) state_->thread.join();
}

}  // namespace failsafe::cli

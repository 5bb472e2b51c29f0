#pragma once
// What every `failsafe backup` command shares: the repository options (--repo, credentials,
// SFTP and S3 settings, bandwidth limits), opening the repository, and showing progress on a
// terminal. Backup commands work on the repository directly; they need no server.
#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>

#include "backup/backend/backend_options.h"
#include "backup/ops/progress.h"
#include "backup/repo/repository.h"
#include "base/result.h"
#include "cli/commands.h"

namespace failsafe::cli {

// Exit code when a snapshot was saved but some files could not be read (as restic).
inline constexpr int kExitIncomplete = 3;

struct RepoArgs {
  std::string repo;
  std::string password_file;
  std::string key_file;
  std::string sftp_identity;
  std::string sftp_known_hosts;
  std::string sftp_accept_fingerprint;
  bool sftp_insecure_new_host = false;
  uint64_t limit_upload_kib = 0;
  uint64_t limit_download_kib = 0;
};

// Adds --repo (required) and the credential and destination options to `cmd`.
void AddRepoOptions(CLI::App* cmd, RepoArgs& args, const std::string& repo_flag = "--repo");

// The password (FAILSAFE_BACKUP_PASSWORD, else --password-file, else a prompt on a terminal)
// or the key file. `confirm` asks twice when prompting (init, key add).
Result<backup::Credentials> CredentialsFrom(const RepoArgs& args, bool confirm = false);
backup::BackendOptions BackendOptionsFrom(const RepoArgs& args);
// A password file's content without trailing newlines; errors name `flag`.
Result<std::string> ReadSecretFile(const std::string& path, const std::string& flag);

Result<std::unique_ptr<backup::Repository>> OpenRepository(const RepoArgs& args);

// Redraws a progress line on stderr every 200 ms while alive, when stderr is a terminal.
class TerminalProgress {
 public:
  explicit TerminalProgress(const backup::Progress& progress, std::string label);
  ~TerminalProgress();  // clears the line
  TerminalProgress(const TerminalProgress&) = delete;
  TerminalProgress& operator=(const TerminalProgress&) = delete;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// "a1b2c3d4" (the first 8 hex digits), as listings show ids.
std::string ShortId(const backup::Id& id);

// `backup run` with a stream instead of paths (cmd_backup_stream.cc).
struct StreamArgs {
  bool stdin_source = false;
  bool command = false;  // the positional arguments are the command's argv
  std::string filename;
  std::string sqlite;
  std::string postgres;
  std::string failsafe_store;
  std::string store_config;
  bool any() const;
};
void AddStreamOptions(CLI::App* run, StreamArgs& args);
int RunStreamBackupCommand(const Context& ctx, const StreamArgs& stream, const RepoArgs& repo,
                           const std::vector<std::string>& rest,
                           const std::vector<std::string>& tags, const std::string& host);

void AddBackupRunCommand(CLI::App* backup, Context& ctx);
void AddBackupCopyCommands(CLI::App* backup, Context& ctx);  // copy, report-321
void AddBackupRestoreCommand(CLI::App* backup, Context& ctx);
void AddBackupKeyCommand(CLI::App* backup, Context& ctx);
void AddBackupMaintainCommands(CLI::App* backup, Context& ctx);  // check, forget, unlock
void AddBackupInspectCommands(CLI::App* backup, Context& ctx);   // ls, diff
void AddBackupPolicyCommand(CLI::App* backup, Context& ctx);     // the server's policies

}  // namespace failsafe::cli

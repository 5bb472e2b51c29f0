#include "backup/ops/stream_backup.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <thread>

#include "backup/archive/unique_fd.h"
#include "backup/chunker/chunker.h"
#include "backup/format/tree.h"
#include "backup/ops/file_pipeline.h"
#include "backup/sources/command_source.h"
#include "backup/sources/sqlite_source.h"

namespace failsafe::backup {
namespace {

namespace fs = std::filesystem;
using archive::UniqueFd;

// One file of a stream snapshot: a name in the root tree and the descriptor it is read from.
struct StreamFile {
  std::string name;
  int fd = -1;  // not owned
};

// What the snapshot records about where the stream came from.
struct StreamSource {
  SourceKind kind = SourceKind::kStdin;
  std::string command;
  std::string label;  // the snapshot's single path, which selects it for 3-2-1 and parents
};

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status CheckName(const std::string& name, const std::string& field) {
  if (!IsValidNodeName(name))
    return InvalidArgument("'" + name + "' cannot name a file in a snapshot (no '/', not empty)",
                           field);
  return Status::Ok();
}

// Reads every file to its end through the pipeline, calls `producer_done` (the command's exit
// status, say) and only when everything succeeded saves the tree and then the snapshot.
Result<BackupResult> SaveStreams(Repository& repo, const StreamOptions& options,
                                 const StreamSource& source, const std::vector<StreamFile>& files,
                                 const std::function<Status()>& producer_done) {
  auto start = std::chrono::steady_clock::now();
  const int64_t start_ns = NowNs();
  Progress own_progress;
  Progress& progress = options.progress ? *options.progress : own_progress;
  progress.AddTotal(files.size(), 0);

  const RepoConfig& config = repo.config();
  GearChunker chunker(repo.GearTable(), ChunkSizes{config.chunker.min_size, config.chunker.avg_size,
                                                   config.chunker.max_size});
  int workers = options.workers > 0
                    ? options.workers
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // What the pipeline hands back per file (from its threads; read after Finish).
  struct Outcome {
    std::vector<ContentEntry> content;
    uint64_t size = 0;
    Status status = Internal("not read");
  };
  std::vector<Outcome> outcomes(files.size());
  size_t submitted = 0;
  Status pipeline_status;
  uint64_t bytes_read = 0, data_added = 0, data_added_stored = 0;
  {
    PipelineOptions pipeline_options;
    pipeline_options.readers = 1;
    pipeline_options.small_readers = 1;  // a stream is never read as a small file
    pipeline_options.workers = workers;
    pipeline_options.bytes_in_flight = 64 << 20;
    FilePipeline pipeline(repo, chunker, progress, pipeline_options);
    for (const StreamFile& f : files) {
      auto job = std::make_shared<FileJob>();
      job->path = f.name;
      job->source_fd = f.fd;
      Outcome* outcome = &outcomes[submitted];
      job->done = [outcome](std::vector<ContentEntry> content, uint64_t size, Status status) {
        *outcome = Outcome{std::move(content), size, std::move(status)};
      };
      if (!pipeline.Submit(job)) break;
      ++submitted;
    }
    pipeline_status = pipeline.Finish();
    bytes_read = pipeline.stats().bytes_read;
    data_added = pipeline.stats().data_added;
    data_added_stored = pipeline.stats().data_added_stored;
  }
  // The producer is asked even when reading failed, so a command is reaped either way; its
  // failure is the more useful message.
  Status produced = producer_done ? producer_done() : Status::Ok();
  if (!produced.ok()) return Err(produced);
  if (!pipeline_status.ok()) return Err(pipeline_status);
  if (submitted != files.size()) return Err(Internal("the backup pipeline stopped early"));

  Tree tree;
  uint64_t total_bytes = 0;
  const int64_t now = NowNs();
  for (size_t i = 0; i < files.size(); ++i) {
    Outcome& outcome = outcomes[i];
    if (!outcome.status.ok()) return Err(outcome.status.WithContext(files[i].name));
    Node node;
    node.type = NodeType::kFile;
    node.name = files[i].name;
    node.mode = 0600;  // dumps and keys are secrets
    node.uid = ::getuid();
    node.gid = ::getgid();
    node.mtime_ns = node.atime_ns = node.ctime_ns = now;
    node.links = 1;
    node.size = outcome.size;
    node.content = std::move(outcome.content);
    total_bytes += outcome.size;
    tree.nodes.push_back(std::move(node));
  }
  FS_ASSIGN_OR_RETURN(std::string tree_bytes, EncodeTree(tree));
  BlobId root = repo.IdOf(tree_bytes);
  if (!repo.HasBlob(BlobType::kTree, root)) {
    FS_ASSIGN_OR_RETURN(SaveBlobResult saved, repo.SaveBlob(BlobType::kTree, root, tree_bytes));
    if (saved.added) {
      data_added += tree_bytes.size();
      data_added_stored += saved.stored_bytes;
    }
  }
  FS_RETURN_IF_ERROR(repo.Flush());

  BackupResult result;
  Snapshot& s = result.snapshot;
  s.time_ns = start_ns;
  s.host = options.host.empty() ? ThisHostName() : options.host;
  if (const char* user = std::getenv("USER")) s.user = user;
  s.paths = {source.label};
  s.tags = options.tags;
  s.tree = root;
  s.full = true;  // a stream is always read whole
  s.source.kind = source.kind;
  s.source.command = source.command;
  s.source.filename = files.empty() ? std::string() : files.front().name;
  s.summary.files_new = files.size();
  s.summary.bytes_read = bytes_read;
  s.summary.data_added = data_added;
  s.summary.data_added_stored = data_added_stored;
  s.summary.total_files = files.size();
  s.summary.total_bytes = total_bytes;
  s.summary.duration_ms =
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - start)
                                .count());
  s.program = "failsafe";
  progress.TotalsFinal();
  FS_ASSIGN_OR_RETURN(result.snapshot_id, repo.SaveSnapshotJson(EncodeSnapshot(s)));
  return result;
}

// A private scratch directory (mode 0700) removed with everything in it on destruction: the
// SQLite copy holds the whole database.
class ScratchDir {
 public:
  static Result<ScratchDir> Create(const std::string& parent) {
    std::string base = parent;
    if (base.empty()) {
      const char* tmp = std::getenv("TMPDIR");
      base = tmp != nullptr && *tmp ? tmp : "/tmp";
    }
    std::string pattern = (fs::path(base) / "failsafe-backup-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
      return Err(Unavailable("cannot create a scratch directory in " + base + ": " +
                             std::strerror(errno)));
    return ScratchDir(pattern);
  }
  ScratchDir(ScratchDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  ScratchDir(const ScratchDir&) = delete;
  ~ScratchDir() {
    if (path_.empty()) return;
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  explicit ScratchDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

Result<UniqueFd> OpenForReading(const std::string& path, const std::string& what) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return Err(NotFound("cannot open " + what + " " + path + ": " + std::strerror(errno)));
  return UniqueFd(fd);
}

// The online copy of a SQLite database, open for reading; the scratch dir keeps it alive.
struct SqliteCopy {
  ScratchDir scratch;
  UniqueFd fd;
};

Result<SqliteCopy> CopySqlite(const StreamOptions& options, const std::string& db_path,
                              const std::string& name) {
  FS_ASSIGN_OR_RETURN(ScratchDir scratch, ScratchDir::Create(options.scratch_dir));
  std::string copy = (fs::path(scratch.path()) / name).string();
  Status copied = CopySqliteOnline(db_path, copy);
  if (!copied.ok())
    return Err(
        copied.WithContext("copying SQLite database " + db_path + "; no snapshot was saved"));
  FS_ASSIGN_OR_RETURN(UniqueFd fd, OpenForReading(copy, "the SQLite copy"));
  return SqliteCopy{std::move(scratch), std::move(fd)};
}

std::vector<std::string> PgDumpArgv(const PostgresTarget& target) {
  const char* bin = std::getenv("FAILSAFE_PG_DUMP");
  return {bin != nullptr && *bin ? bin : "pg_dump", "--format=custom", "--no-password",
          "--dbname=" + target.url_without_password};
}

std::map<std::string, std::string> PgDumpEnv(const PostgresTarget& target) {
  std::map<std::string, std::string> env;
  if (!target.password.empty()) env["PGPASSWORD"] = target.password;
  return env;
}

std::string AbsolutePath(const std::string& path) {
  return fs::absolute(path).lexically_normal().string();
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> PercentDecode(std::string_view s, const std::string& what) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    int hi = i + 2 < s.size() ? HexValue(s[i + 1]) : -1;
    int lo = i + 2 < s.size() ? HexValue(s[i + 2]) : -1;
    if (hi < 0 || lo < 0)
      return Err(InvalidArgument("bad %-escape in the " + what + " of the PostgreSQL URL", "url"));
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

}  // namespace

Result<PostgresTarget> ParsePostgresUrl(const std::string& url) {
  std::string_view rest = url;
  std::string scheme;
  for (std::string_view s : {"postgresql://", "postgres://"}) {
    if (rest.starts_with(s)) {
      scheme = std::string(s);
      rest.remove_prefix(s.size());
      break;
    }
  }
  // The URL itself is never echoed: it may hold a password.
  if (scheme.empty())
    return Err(InvalidArgument("a PostgreSQL URL starts with postgresql:// or postgres://", "url"));
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
  std::string_view db = path.substr(0, path.find('?'));
  std::string_view query =
      path.find('?') == std::string_view::npos ? "" : path.substr(path.find('?') + 1);
  if (query.find("password=") != std::string_view::npos)
    return Err(InvalidArgument(
        "put the PostgreSQL password in the URL's user part (user:password@host) or in "
        "PGPASSWORD, not in a password= parameter",
        "url"));
  PostgresTarget target;
  FS_ASSIGN_OR_RETURN(target.database, PercentDecode(db, "database name"));
  if (target.database.empty())
    return Err(
        InvalidArgument("the PostgreSQL URL names no database (postgresql://host/DB)", "url"));
  size_t at = authority.rfind('@');
  std::string_view userinfo = at == std::string_view::npos ? "" : authority.substr(0, at);
  std::string_view hostport = at == std::string_view::npos ? authority : authority.substr(at + 1);
  std::string_view user = userinfo.substr(0, userinfo.find(':'));
  if (userinfo.find(':') != std::string_view::npos) {
    FS_ASSIGN_OR_RETURN(target.password,
                        PercentDecode(userinfo.substr(userinfo.find(':') + 1), "password"));
  }
  target.host = std::string(hostport);
  target.url_without_password = scheme + (user.empty() ? "" : std::string(user) + "@") +
                                target.host + "/" + std::string(path);
  return target;
}

Result<BackupResult> BackupStream(Repository& repo, const StreamOptions& options, int fd,
                                  const std::string& filename) {
  FS_RETURN_IF_ERROR(CheckName(filename, "--stdin-filename"));
  // The format requires a command for stdin snapshots; piped input has none we can know.
  StreamSource source{SourceKind::kStdin, "(standard input)", "/" + filename};
  return SaveStreams(repo, options, source, {{filename, fd}}, {});
}

Result<BackupResult> BackupCommandOutput(Repository& repo, const StreamOptions& options,
                                         const std::vector<std::string>& argv,
                                         std::string filename) {
  if (argv.empty()) return Err(InvalidArgument("no command given", "--command"));
  if (filename.empty()) filename = fs::path(argv[0]).filename().string() + ".out";
  FS_RETURN_IF_ERROR(CheckName(filename, "--stdin-filename"));
  FS_ASSIGN_OR_RETURN(auto command, CommandSource::Start(argv));
  StreamSource source{SourceKind::kStdin, command->Describe(), "/" + filename};
  return SaveStreams(repo, options, source, {{filename, command->stdout_fd()}},
                     [&] { return command->Finish(); });
}

Result<BackupResult> BackupSqlite(Repository& repo, const StreamOptions& options,
                                  const std::string& db_path) {
  std::string name = fs::path(db_path).filename().string();
  FS_RETURN_IF_ERROR(CheckName(name, "--sqlite"));
  FS_ASSIGN_OR_RETURN(SqliteCopy copy, CopySqlite(options, db_path, name));
  StreamSource source{SourceKind::kSqlite, "", AbsolutePath(db_path)};
  return SaveStreams(repo, options, source, {{name, copy.fd.get()}}, {});
}

Result<BackupResult> BackupPostgres(Repository& repo, const StreamOptions& options,
                                    const std::string& url) {
  FS_ASSIGN_OR_RETURN(PostgresTarget target, ParsePostgresUrl(url));
  std::string name = target.database + ".pgdump";
  FS_RETURN_IF_ERROR(CheckName(name, "--postgres"));
  FS_ASSIGN_OR_RETURN(auto command, CommandSource::Start(PgDumpArgv(target), PgDumpEnv(target)));
  StreamSource source{SourceKind::kPostgres, command->Describe(),
                      "postgresql://" + target.host + "/" + target.database};
  return SaveStreams(repo, options, source, {{name, command->stdout_fd()}},
                     [&] { return command->Finish(); });
}

Result<BackupResult> BackupFailsafeStore(Repository& repo, const StreamOptions& options,
                                         const std::string& data_dir, const std::string& db) {
  // The keys first: without them a restored store cannot decrypt its secrets or verify its
  // audit chain, so a data directory without them is the wrong directory.
  std::vector<UniqueFd> keys;
  for (const char* key : {"secret.key", "audit.key"}) {
    std::string path = (fs::path(data_dir) / key).string();
    auto fd = OpenForReading(path, "the key file");
    if (!fd)
      return Err(NotFound(path + " is missing or unreadable: is " + data_dir +
                          " failsafe's data directory? (" + fd.error().message() + ")"));
    keys.push_back(std::move(*fd));
  }
  StreamSource source{SourceKind::kFailsafeStore, "", AbsolutePath(data_dir)};
  auto with_keys = [&](std::string name, int fd) {
    return std::vector<StreamFile>{
        {std::move(name), fd}, {"secret.key", keys[0].get()}, {"audit.key", keys[1].get()}};
  };
  if (db.starts_with("sqlite:")) {
    std::string db_path = db.substr(7);
    FS_ASSIGN_OR_RETURN(SqliteCopy copy, CopySqlite(options, db_path, "failsafe.db"));
    return SaveStreams(repo, options, source, with_keys("failsafe.db", copy.fd.get()), {});
  }
  FS_ASSIGN_OR_RETURN(PostgresTarget target, ParsePostgresUrl(db));
  FS_ASSIGN_OR_RETURN(auto command, CommandSource::Start(PgDumpArgv(target), PgDumpEnv(target)));
  source.command = command->Describe();
  return SaveStreams(repo, options, source, with_keys("failsafe.pgdump", command->stdout_fd()),
                     [&] { return command->Finish(); });
}

}  // namespace failsafe::backup

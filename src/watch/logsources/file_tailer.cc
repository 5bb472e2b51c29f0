#include "watch/logsources/file_tailer.h"

#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <set>

namespace failsafe::watch {
namespace {

constexpr size_t kHeadBytes = 1024;  // hashed to recognise a file after restart or truncation
constexpr size_t kReadChunk = 64 * 1024;

bool HasGlobChars(std::string_view s) {
  return s.find_first_of("*?[") != std::string_view::npos;
}

std::vector<std::string> Expand(const std::string& pattern) {
  if (!HasGlobChars(pattern)) return {pattern};
  glob_t g{};
  std::vector<std::string> out;
  if (glob(pattern.c_str(), GLOB_NOSORT, nullptr, &g) == 0) {
    for (size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
  }
  globfree(&g);
  std::sort(out.begin(), out.end());
  return out;
}

// Hash of the first `len` bytes of fd; nullopt when the file has fewer.
std::optional<uint64_t> HeadHash(int fd, size_t len) {
  std::string buf(len, '\0');
  size_t got = 0;
  while (got < len) {
    const ssize_t n = pread(fd, buf.data() + got, len - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    got += static_cast<size_t>(n);
  }
  return HashBytes(buf);
}

}  // namespace

struct FileTailer::File {
  std::string path;
  uint64_t dev = 0, ino = 0;
  int fd = -1;
  uint64_t read_offset = 0;
  uint64_t head_len = 0, head_hash = 0;
  bool rotated = false;  // no longer matched by the pattern: read to its end, then dropped
  LineSplitter splitter;
  explicit File(size_t cap) : splitter(cap) {}
  ~File() {
    if (fd >= 0) close(fd);
  }
  FilePosition Position() const {
    return {path,     dev,      ino, read_offset - splitter.held_bytes(), splitter.skipping(),
            head_len, head_hash};
  }
  // Hashes more of the head while the file is shorter than kHeadBytes.
  void UpdateHead(uint64_t size) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(size, kHeadBytes));
    if (want <= head_len) return;
    if (auto h = HeadHash(fd, want)) head_len = want, head_hash = *h;
  }
  bool HeadChanged() const {
    if (head_len == 0) return false;
    auto h = HeadHash(fd, head_len);
    return !h || *h != head_hash;
  }
};

FileTailer::FileTailer(TailOptions options, Env* env) : options_(std::move(options)), env_(env) {}
FileTailer::~FileTailer() = default;

Status FileTailer::Open() {
  if (options_.pattern.empty()) return InvalidArgument("a file path or glob is required", "path");
  if (options_.state_path.empty() || !env_->FileExists(options_.state_path)) return Status::Ok();
  auto text = env_->ReadFile(options_.state_path);
  if (!text) return text.error().WithContext("reading tail position " + options_.state_path);
  auto cp = DecodeCheckpoint(*text);
  if (!cp) return cp.error().WithContext("tail position " + options_.state_path);
  saved_ = std::move(cp->files);
  consumer_note_ = std::move(cp->consumer_note);
  return Status::Ok();
}

const FilePosition* FileTailer::Saved(uint64_t dev, uint64_t ino) const {
  for (const FilePosition& p : saved_) {
    if (p.dev == dev && p.ino == ino) return &p;
  }
  return nullptr;
}

void FileTailer::Emit(File& f, const SplitLine& line, std::vector<LogLine>& out) {
  out.push_back(MakeLogLine(f.path, line, stats_));
}

Result<bool> FileTailer::ReadAvailable(File& f, std::vector<LogLine>& out) {
  struct stat st {};
  if (fstat(f.fd, &st) != 0) return Err(Internal("fstat " + f.path + ": " + std::strerror(errno)));
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size < f.read_offset || f.HeadChanged()) {
    // copytruncate (or the file was rewritten in place): what is there now is new.
    stats_.restarts.fetch_add(1);
    f.read_offset = 0;
    f.splitter.Reset();
    f.head_len = 0;
  }
  f.UpdateHead(size);
  std::string buf(kReadChunk, '\0');
  uint64_t budget = options_.max_bytes_per_poll;
  while (budget > 0) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(kReadChunk, budget));
    const ssize_t n = pread(f.fd, buf.data(), want, static_cast<off_t>(f.read_offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Err(Internal("reading " + f.path + ": " + std::strerror(errno)));
    if (n == 0) return true;
    f.read_offset += static_cast<uint64_t>(n);
    budget -= static_cast<uint64_t>(n);
    stats_.bytes.fetch_add(static_cast<uint64_t>(n));
    f.splitter.Feed(std::string_view(buf.data(), static_cast<size_t>(n)),
                    [&](const SplitLine& line) { Emit(f, line, out); });
  }
  return false;  // the budget ran out first
}

namespace {

bool Newer(const struct stat& a, const struct stat& b) {
  return a.st_mtim.tv_sec != b.st_mtim.tv_sec ? a.st_mtim.tv_sec > b.st_mtim.tv_sec
                                              : a.st_mtim.tv_nsec > b.st_mtim.tv_nsec;
}

// The regular files in `dir` with their stat, for finding a file again by its inode.
std::vector<std::pair<std::string, struct stat>> RegularFiles(const std::filesystem::path& dir) {
  std::vector<std::pair<std::string, struct stat>> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir.empty() ? "." : dir, ec)) {
    struct stat st {};
    if (stat(entry.path().c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      out.emplace_back(entry.path().string(), st);
    }
  }
  return out;
}

// Names logrotate gives a rotated "app.log": "app.log.1", "app.log-20261122"; compressed
// ones are left alone (their text is not lines).
bool RotatedName(const std::string& name, const std::string& base) {
  if (name.size() <= base.size() + 1 || name.compare(0, base.size(), base) != 0) return false;
  if (name[base.size()] != '.' && name[base.size()] != '-') return false;
  for (const char* ext : {".gz", ".bz2", ".xz", ".zst", ".Z"}) {
    if (name.ends_with(ext)) return false;
  }
  return true;
}

}  // namespace

void FileTailer::TrackRotated(const std::string& logical_path, const std::string& real_path,
                              const struct stat& st, const FilePosition* from) {
  auto f = std::make_unique<File>(options_.max_line_bytes);
  f->fd = open(real_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f->fd < 0) return;
  f->path = logical_path;
  f->dev = st.st_dev, f->ino = st.st_ino;
  if (from != nullptr) {
    f->head_len = from->head_len, f->head_hash = from->head_hash;
    if (f->HeadChanged()) return;  // the inode was reused by another file
    f->read_offset = from->offset;
    f->splitter.set_skipping(from->skipping);
  }
  f->rotated = true;
  files_.push_back(std::move(f));
}

void FileTailer::RecoverRotatedAway(const std::set<std::pair<uint64_t, uint64_t>>& present) {
  // A file saved under a path that now holds another file was rotated while we were down:
  // find its inode in the same directory and finish it from the saved offset. If the path was
  // rotated more than once meanwhile, the files rotated after it ("app.log.1" when ours is now
  // "app.log.2") were never seen: read them whole, oldest first, before the current file.
  std::set<std::pair<uint64_t, uint64_t>> known(present);
  for (const FilePosition& p : saved_) known.insert({p.dev, p.ino});
  for (const FilePosition& p : saved_) {
    if (present.count({p.dev, p.ino}) > 0) continue;  // still matched (maybe renamed): resumed
    struct stat st {};
    if (stat(p.path.c_str(), &st) == 0 && static_cast<uint64_t>(st.st_dev) == p.dev &&
        static_cast<uint64_t>(st.st_ino) == p.ino) {
      continue;  // still there; resumed by Poll
    }
    const std::filesystem::path dir = std::filesystem::path(p.path).parent_path();
    const std::string base = std::filesystem::path(p.path).filename();
    const auto entries = RegularFiles(dir);
    const auto self = std::find_if(entries.begin(), entries.end(), [&](const auto& e) {
      return static_cast<uint64_t>(e.second.st_dev) == p.dev &&
             static_cast<uint64_t>(e.second.st_ino) == p.ino;
    });
    if (self == entries.end()) continue;  // deleted: what it still held is gone
    TrackRotated(p.path, self->first, self->second, &p);
    std::vector<std::pair<std::string, struct stat>> later;
    for (const auto& [path, est] : entries) {
      if (known.count({est.st_dev, est.st_ino}) > 0 || !Newer(est, self->second) ||
          !RotatedName(std::filesystem::path(path).filename(), base)) {
        continue;
      }
      later.emplace_back(path, est);
    }
    std::sort(later.begin(), later.end(),
              [](const auto& a, const auto& b) { return Newer(b.second, a.second); });
    for (const auto& [path, est] : later) {
      known.insert({est.st_dev, est.st_ino});
      TrackRotated(p.path, path, est, nullptr);
    }
  }
}

std::unique_ptr<FileTailer::File> FileTailer::OpenNew(const std::string& path,
                                                      const struct stat& listed) {
  auto f = std::make_unique<File>(options_.max_line_bytes);
  f->fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f->fd < 0) {
    stats_.SetLastError("cannot open " + path + ": " + std::strerror(errno));
    return nullptr;
  }
  struct stat st {};
  if (fstat(f->fd, &st) != 0 || st.st_dev != listed.st_dev || st.st_ino != listed.st_ino) {
    // Rotated between listing and opening: we now hold the next file. The listed one, never
    // read, is followed as rotated (it comes first); the new one is picked up next time.
    const auto dir = std::filesystem::path(path).parent_path();
    for (const auto& [real, est] : RegularFiles(dir)) {
      if (est.st_dev == listed.st_dev && est.st_ino == listed.st_ino) {
        TrackRotated(path, real, est, Saved(est.st_dev, est.st_ino));
        break;
      }
    }
    return nullptr;
  }
  f->path = path, f->dev = st.st_dev, f->ino = st.st_ino;
  if (const FilePosition* p = Saved(f->dev, f->ino)) {
    f->head_len = p->head_len, f->head_hash = p->head_hash;
    if (f->HeadChanged()) {
      f->head_len = 0;  // same inode, other content: a new file, from its start
      stats_.restarts.fetch_add(1);
    } else {
      f->read_offset = p->offset;
      f->splitter.set_skipping(p->skipping);
    }
  } else if (first_poll_ && options_.start_at_end) {
    f->read_offset = static_cast<uint64_t>(st.st_size);
  }
  return f;
}

Result<TailBatch> FileTailer::Poll() {
  TailBatch batch;
  std::vector<std::pair<std::string, struct stat>> found;
  std::set<std::pair<uint64_t, uint64_t>> present;
  for (std::string& path : Expand(options_.pattern)) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    present.insert({st.st_dev, st.st_ino});
    found.emplace_back(std::move(path), st);
  }
  if (first_poll_) RecoverRotatedAway(present);
  // Old files first: a file rotated away (renamed out of the pattern, or deleted) is read to
  // its end, its partial last line included, before the new file at its path is started. A
  // large one takes several polls (the per-poll budget bounds memory); its path waits.
  std::set<std::string> unfinished;
  for (auto it = files_.begin(); it != files_.end();) {
    File& f = **it;
    f.rotated = present.count({f.dev, f.ino}) == 0;
    if (!f.rotated || unfinished.count(f.path) > 0) {  // an older file of its path is first
      ++it;
      continue;
    }
    auto eof = ReadAvailable(f, batch.lines);
    if (eof && !*eof) {
      unfinished.insert(f.path);
      ++it;
      continue;
    }
    if (!eof) stats_.SetLastError(eof.error().ToString());
    f.splitter.Flush([&](const SplitLine& line) { Emit(f, line, batch.lines); });
    it = files_.erase(it);
  }
  for (auto& [path, st] : found) {
    const uint64_t dev = st.st_dev, ino = st.st_ino;
    auto it = std::find_if(files_.begin(), files_.end(),
                           [&](const auto& f) { return f->dev == dev && f->ino == ino; });
    if (it == files_.end()) {
      auto f = OpenNew(path, st);
      if (!f) continue;
      it = files_.insert(files_.end(), std::move(f));
    }
    // Tracked even while an older file of its path is finished, so that its own rotation is
    // noticed; read once the older one is done.
    if (unfinished.count(path) > 0) continue;
    if (auto eof = ReadAvailable(**it, batch.lines); !eof) {
      stats_.SetLastError(eof.error().ToString());
    }
  }
  first_poll_ = false;
  saved_.clear();  // positions apply to the files present at start only
  batch.checkpoint = Snapshot();
  return batch;
}

TailCheckpoint FileTailer::Snapshot() const {
  TailCheckpoint cp;
  for (const auto& f : files_) cp.files.push_back(f->Position());
  return cp;
}

Status FileTailer::Commit(const TailBatch& batch, std::string_view consumer_note) {
  consumer_note_ = std::string(consumer_note);
  if (options_.state_path.empty()) return Status::Ok();
  TailCheckpoint cp = batch.checkpoint;
  cp.consumer_note = consumer_note_;
  return env_->WriteFileAtomic(options_.state_path, EncodeCheckpoint(cp), 0600);
}

}  // namespace failsafe::watch

#include "backup/backend/retry_backend.h"

#include <algorithm>
#include <random>
#include <thread>

#include "base/log.h"

namespace failsafe::backup {
namespace {

bool IsRetryable(const Status& s) {
  return s.code() == ErrorCode::kUnavailable;
}
const Status& StatusFrom(const Status& s) {
  return s;
}
template <typename T>
Status StatusFrom(const Result<T>& r) {
  return r ? Status::Ok() : r.error();
}

std::string FileLabel(FileType type, const std::string& name) {
  return std::string(NameOf(type)) + (type == FileType::kConfig ? "" : " " + name);
}

}  // namespace

RetryBackend::RetryBackend(std::unique_ptr<Backend> inner, RetryOptions options, Sleeper sleep)
    : ForwardingBackend(std::move(inner)), options_(options), sleep_(std::move(sleep)) {
  if (!sleep_) sleep_ = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  options_.max_attempts = std::max(1, options_.max_attempts);
}

std::chrono::milliseconds RetryBackend::BackoffFor(int retry) const {
  int64_t ms = options_.initial_backoff.count();
  for (int i = 1; i < retry && ms < options_.max_backoff.count(); ++i) ms *= 2;
  return std::chrono::milliseconds(std::min(ms, int64_t(options_.max_backoff.count())));
}

template <typename T, typename Op>
T RetryBackend::Run(std::string_view operation, std::string_view file, Op op) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  for (int attempt = 1;; ++attempt) {
    T result = op(attempt);
    Status s = StatusFrom(result);
    if (s.ok() || !IsRetryable(s) || attempt >= options_.max_attempts) return result;
    // Full jitter between half and all of the backoff: clients that failed together do not
    // come back together.
    const int64_t cap = BackoffFor(attempt).count();
    std::uniform_int_distribution<int64_t> jitter(cap / 2, std::max<int64_t>(cap, 1));
    const std::chrono::milliseconds delay(jitter(rng));
    log::Warn("backup_backend_retry", {{"location", target().Location()},
                                       {"operation", operation},
                                       {"file", file},
                                       {"attempt", attempt},
                                       {"max_attempts", options_.max_attempts},
                                       {"delay_ms", delay.count()},
                                       {"error", s.ToString()}});
    sleep_(delay);
  }
}

Status RetryBackend::Create() {
  return Run<Status>("create", "", [&](int) { return target().Create(); });
}

Status RetryBackend::Save(FileType type, const std::string& name, std::string_view data) {
  return Run<Status>("save", FileLabel(type, name),
                     [&](int) { return target().Save(type, name, data); });
}

Result<std::string> RetryBackend::Load(FileType type, const std::string& name, uint64_t offset,
                                       uint64_t length) {
  return Run<Result<std::string>>("load", FileLabel(type, name),
                                  [&](int) { return target().Load(type, name, offset, length); });
}

Status RetryBackend::LoadInto(FileType type, const std::string& name, std::string* out) {
  return Run<Status>("load", FileLabel(type, name),
                     [&](int) { return target().LoadInto(type, name, out); });
}

Result<FileInfo> RetryBackend::Stat(FileType type, const std::string& name) {
  return Run<Result<FileInfo>>("stat", FileLabel(type, name),
                               [&](int) { return target().Stat(type, name); });
}

Result<std::vector<FileInfo>> RetryBackend::List(FileType type) {
  return Run<Result<std::vector<FileInfo>>>("list", NameOf(type),
                                            [&](int) { return target().List(type); });
}

Status RetryBackend::Remove(FileType type, const std::string& name) {
  return Run<Status>("remove", FileLabel(type, name), [&](int attempt) {
    Status s = target().Remove(type, name);
    if (attempt > 1 && s.code() == ErrorCode::kNotFound) return Status::Ok();
    return s;
  });
}

}  // namespace failsafe::backup

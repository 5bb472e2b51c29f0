#pragma once
// S3Backend: a repository under a key prefix of a bucket on S3-compatible object storage
// (AWS S3, MinIO, Ceph RGW, s3rver), path-style requests signed with Signature V4. Keys follow
// the common layout below the prefix ("<prefix>/data/ab/<name>"). A PUT is atomic on S3, so
// Save needs no temp object; the signed SHA-256 of the body lets the server refuse a body
// damaged on the way.
// Errors: 404 NotFound, 403 PermissionDenied with S3's code and message, 5xx, 429 and network
// failures Unavailable (the retry wrapper retries those), and so is an answer that is not the
// whole object: a body shorter or longer than its Content-Length, or than the size Save
// recorded in the object's metadata (x-amz-meta-failsafe-size).
#include <memory>

#include "backup/backend/backend.h"
#include "backup/backend/s3_client.h"

namespace failsafe::backup {

class S3Backend final : public Backend {
 public:
  S3Backend(s3::Endpoint endpoint, std::string prefix, sigv4::Credentials credentials,
            std::string session_token = {});

  std::string Location() const override;
  MediaKind Media() const override { return MediaKind::kObjectStorage; }

  Status Create() override;
  Status Save(FileType type, const std::string& name, std::string_view data) override;
  Result<std::string> Load(FileType type, const std::string& name, uint64_t offset = 0,
                           uint64_t length = 0) override;
  Result<FileInfo> Stat(FileType type, const std::string& name) override;
  Result<std::vector<FileInfo>> List(FileType type) override;
  Status Remove(FileType type, const std::string& name) override;

 private:
  Result<std::string> KeyOf(FileType type, const std::string& name) const;
  // Unavailable when a successful GET brought less or more than the object Save wrote (its
  // size is in the object's metadata); Internal when a 206 is not the range asked for.
  Status CheckWhole(const s3::Answer& got, const std::string& key, uint64_t offset) const;
  // The Status for an answer that is not a success; `what` says which request it was.
  Status Failure(const s3::Answer& answer, const std::string& what) const;

  std::string prefix_;  // "" or "a/b" (no slashes at the ends)
  std::unique_ptr<s3::Client> client_;
};

}  // namespace failsafe::backup

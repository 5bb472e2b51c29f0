#include "backup/backend/s3_backend.h"

#include <openssl/evp.h>

#include <optional>

#include "backup/backend/s3_xml.h"
#include "base/encoding.h"

namespace failsafe::backup {
namespace {

std::string Md5(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, EVP_md5(), nullptr);
  return std::string(reinterpret_cast<const char*>(out), len);
}

bool IsSuccess(long status) {
  return status >= 200 && status < 300;
}

// Save records the object's size in its user metadata, which S3 returns with every GET and
// HEAD: a whole-object answer can then be held against the size we wrote, which neither the
// answer's own Content-Length (the server's view at that moment) nor an ETag (not an MD5 under
// SSE-KMS or SSE-C) can give. Objects saved without it are not checked.
constexpr char kSavedSizeHeader[] = "x-amz-meta-failsafe-size";

std::optional<uint64_t> SavedSize(const s3::Answer& answer) {
  auto it = answer.headers.find(kSavedSizeHeader);
  return it == answer.headers.end() ? std::nullopt : s3::ParseLength(it->second);
}

// A server that has less (or more) of an object than was saved answered before it had the whole
// object (s3rver 3.7 acknowledges a PUT before its file is written). Retrying is right: it does
// not last, and the data is not returned as if it were the file.
Status NotWhole(const std::string& where, uint64_t have, uint64_t saved) {
  return Unavailable(where + ": the server has " + std::to_string(have) +
                     " bytes of it, but it was saved with " + std::to_string(saved) +
                     " bytes (answered before the object was whole)");
}

}  // namespace

S3Backend::S3Backend(s3::Endpoint endpoint, std::string prefix, sigv4::Credentials credentials,
                     std::string session_token)
    : prefix_(std::move(prefix)),
      client_(std::make_unique<s3::Client>(std::move(endpoint), std::move(credentials),
                                           std::move(session_token))) {}

std::string S3Backend::Location() const {
  const auto& e = client_->endpoint();
  return "s3://" + e.HostHeader() + "/" + e.bucket + (prefix_.empty() ? "" : "/" + prefix_);
}

Result<std::string> S3Backend::KeyOf(FileType type, const std::string& name) const {
  FS_ASSIGN_OR_RETURN(std::string rel, RelativePath(type, name));
  return prefix_.empty() ? rel : prefix_ + "/" + rel;
}

Status S3Backend::Failure(const s3::Answer& answer, const std::string& what) const {
  const std::string where = what + " at " + Location();
  if (answer.tls_untrusted) {
    // Not worth retrying: the certificate will not change by itself.
    return PermissionDenied(where + ": the server's TLS certificate is not trusted (" +
                            answer.transport_error + "); give its CA with the CA file option");
  }
  if (answer.too_large) {
    return FailedPrecondition(where + ": the answer is larger than expected; stopped reading");
  }
  if (answer.status == 0) return Unavailable(where + ": " + answer.transport_error);
  const s3::ErrorBody error = s3::ParseErrorBody(answer.body);
  std::string detail = "HTTP " + std::to_string(answer.status);
  if (!error.code.empty()) detail += " " + error.code;
  if (!error.message.empty()) detail += ": " + error.message;
  const std::string msg = where + ": " + detail;
  const long s = answer.status;
  if (s == 404) return NotFound(msg);
  if (s == 401 || s == 403) return PermissionDenied(msg);
  if (s == 408 || s == 429 || s >= 500) return Unavailable(msg);
  if (s == 416) return DataLoss(msg);
  return Internal(msg);
}

Status S3Backend::Create() {
  FS_ASSIGN_OR_RETURN_STATUS(std::string config, KeyOf(FileType::kConfig, "config"));
  s3::Answer head = client_->Send("HEAD", config, {});
  if (head.status == 200) {
    return AlreadyExists("a repository already exists at " + Location() + " (it has a config)");
  }
  if (head.status != 404) return Failure(head, "checking for a config");
  s3::Answer bucket = client_->Send("HEAD", "", {});
  if (bucket.status == 200) return Status::Ok();
  if (bucket.status != 404) return Failure(bucket, "checking the bucket");
  const std::string& region = client_->endpoint().region;
  std::string body;
  if (region != "us-east-1") {
    body =
        "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        "<LocationConstraint>" +
        region + "</LocationConstraint></CreateBucketConfiguration>";
  }
  s3::Answer made = client_->Send("PUT", "", {}, body);
  if (IsSuccess(made.status)) return Status::Ok();
  return Failure(made, "creating the bucket");
}

Status S3Backend::Save(FileType type, const std::string& name, std::string_view data) {
  FS_ASSIGN_OR_RETURN_STATUS(std::string key, KeyOf(type, name));
  s3::Answer head = client_->Send("HEAD", key, {});
  if (head.status == 200) {
    // Taken: the same content (a retried save) is success. A single-part ETag is the MD5 of
    // the content; anything else is compared byte for byte.
    const std::string etag = head.headers["etag"];
    if (etag == "\"" + HexEncode(Md5(data)) + "\"") return Status::Ok();
    if (head.headers["content-length"] == std::to_string(data.size())) {
      FS_ASSIGN_OR_RETURN_STATUS(std::string existing, Load(type, name));
      if (existing == data) return Status::Ok();
    }
    return AlreadyExists(std::string(NameOf(type)) + " " + name + " already exists at " +
                         Location() + " with other content");
  }
  if (head.status != 404) return Failure(head, "checking " + key);
  // The body's SHA-256 is signed (x-amz-content-sha256): S3 refuses a body damaged on the way,
  // so no Content-MD5 (a second pass over the data) is needed.
  s3::Answer put =
      client_->Send("PUT", key, {}, data, {{kSavedSizeHeader, std::to_string(data.size())}});
  if (IsSuccess(put.status)) return Status::Ok();
  return Failure(put, "saving " + key);
}

Result<std::string> S3Backend::Load(FileType type, const std::string& name, uint64_t offset,
                                    uint64_t length) {
  FS_ASSIGN_OR_RETURN(std::string key, KeyOf(type, name));
  sigv4::Pairs headers;
  if (length > 0) {
    headers.emplace_back(
        "range", "bytes=" + std::to_string(offset) + "-" + std::to_string(offset + length - 1));
  } else if (offset > 0) {
    headers.emplace_back("range", "bytes=" + std::to_string(offset) + "-");
  }
  // A server that ignores Range sends the whole object: allow for that, up to the load limit.
  s3::Answer got = client_->Send("GET", key, {}, {}, headers, kMaxLoadSize + 1);
  if (got.too_large && length == 0) {
    return Err(CheckLoadSize(kMaxLoadSize + 1, key + " at " + Location()));
  }
  if (got.status == 416) {
    // Asking from the exact end of the file is a valid, empty read; anything past it is not,
    // unless the server does not have the whole object yet (Stat says so: retry).
    auto info = Stat(type, name);
    if (!info && info.error().code() == ErrorCode::kUnavailable) return Err(info.error());
    if (length == 0 && info && info->size == offset) return std::string();
    return Err(DataLoss(key + " at " + Location() + " is shorter than offset " +
                        std::to_string(offset) + " + " + std::to_string(length)));
  }
  if (!IsSuccess(got.status)) return Err(Failure(got, "loading " + key));
  FS_RETURN_IF_ERROR(CheckWhole(got, key, offset));
  std::string data = std::move(got.body);
  if (got.status == 200 && !headers.empty()) {
    // A server that ignores Range sends everything: cut the part out here.
    if (offset > data.size())
      data.clear();
    else
      data = data.substr(offset, length ? length : std::string::npos);
  }
  if (length > 0 && data.size() != length) {
    return Err(DataLoss(key + " at " + Location() + ": got " + std::to_string(data.size()) +
                        " bytes from offset " + std::to_string(offset) + ", wanted " +
                        std::to_string(length)));
  }
  return data;
}

Status S3Backend::CheckWhole(const s3::Answer& got, const std::string& key, uint64_t offset) const {
  const std::string where = "loading " + key + " at " + Location();
  const auto saved = SavedSize(got);
  if (got.status != 206) {
    // The whole object, asked for or because the server ignored the Range (then a body past
    // the load limit was cut on purpose: too_large).
    if (saved && !got.too_large && got.body.size() != *saved) {
      return NotWhole(where, got.body.size(), *saved);
    }
    return Status::Ok();
  }
  auto it = got.headers.find("content-range");
  const auto range = it == got.headers.end() ? std::nullopt : s3::ParseContentRange(it->second);
  if (!range || range->first != offset || range->last - range->first + 1 != got.body.size()) {
    return Internal(where + ": the partial answer (" + std::to_string(got.body.size()) +
                    " bytes, Content-Range \"" +
                    (it == got.headers.end() ? std::string() : it->second) +
                    "\") is not the range asked for, from offset " + std::to_string(offset));
  }
  if (saved && range->total && *range->total != *saved) {
    return NotWhole(where, *range->total, *saved);
  }
  return Status::Ok();
}

Result<FileInfo> S3Backend::Stat(FileType type, const std::string& name) {
  FS_ASSIGN_OR_RETURN(std::string key, KeyOf(type, name));
  s3::Answer head = client_->Send("HEAD", key, {});
  if (head.status != 200) return Err(Failure(head, "checking " + key));
  const auto length = s3::ParseLength(head.headers["content-length"]);
  if (!length) {
    return Err(Internal("checking " + key + " at " + Location() +
                        ": the answer has no valid Content-Length"));
  }
  const auto saved = SavedSize(head);
  if (saved && *saved != *length) {
    return Err(NotWhole("checking " + key + " at " + Location(), *length, *saved));
  }
  return FileInfo{name, *length};
}

Result<std::vector<FileInfo>> S3Backend::List(FileType type) {
  std::vector<FileInfo> out;
  if (type == FileType::kConfig) {
    auto info = Stat(type, "config");
    if (info) out.push_back(*info);
    if (!info && info.error().code() != ErrorCode::kNotFound) return Err(info.error());
    return out;
  }
  const std::string dir =
      (prefix_.empty() ? "" : prefix_ + "/") + std::string(DirectoryOf(type)) + "/";
  std::string token;
  for (int page_number = 1;; ++page_number) {
    sigv4::Pairs query = {{"list-type", "2"}, {"prefix", dir}};
    if (!token.empty()) query.emplace_back("continuation-token", token);
    s3::Answer got = client_->Send("GET", "", query);
    if (got.status != 200) return Err(Failure(got, "listing " + dir));
    auto page = s3::ParseListObjectsV2(got.body);
    if (!page) {
      return Err(Internal("listing " + dir + " at " + Location() + ", page " +
                          std::to_string(page_number) + ": " + page.error().message()));
    }
    for (auto& o : page->objects) {
      if (!o.key.starts_with(dir)) continue;
      std::string_view rest = std::string_view(o.key).substr(dir.size());
      std::string_view file = rest.substr(rest.rfind('/') + 1);
      // Only what sits where the layout puts it: data/<xx>/<xx...> for packs, flat elsewhere.
      const bool placed = type == FileType::kPack ? rest.size() > 3 && rest[2] == '/' &&
                                                        rest.substr(0, 2) == file.substr(0, 2)
                                                  : rest.find('/') == std::string_view::npos;
      if (placed && IsValidName(type, file)) out.push_back({std::string(file), o.size});
    }
    if (!page->truncated) return out;
    if (page->next_token == token) {
      return Err(Internal("listing " + dir + " at " + Location() +
                          ": the server repeated its continuation token"));
    }
    token = page->next_token;
  }
}

Status S3Backend::Remove(FileType type, const std::string& name) {
  FS_ASSIGN_OR_RETURN_STATUS(std::string key, KeyOf(type, name));
  // S3 answers DELETE of a missing key with success; the interface promises NotFound.
  s3::Answer head = client_->Send("HEAD", key, {});
  if (head.status != 200) return Failure(head, "removing " + key);
  s3::Answer del = client_->Send("DELETE", key, {});
  if (IsSuccess(del.status)) return Status::Ok();
  return Failure(del, "removing " + key);
}

}  // namespace failsafe::backup

#pragma once
// The two S3 answers the backend reads: a ListObjectsV2 page and an error body.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace failsafe::backup::s3 {

struct ListedObject {
  std::string key;
  uint64_t size = 0;
};

struct ListPage {
  std::vector<ListedObject> objects;
  bool truncated = false;
  std::string next_token;  // NextContinuationToken; set whenever truncated
};

// InvalidArgument naming line:column or the entry ("Contents #3: ...") when the page is not
// a ListBucketResult, an entry has no key or a size that is not a number, or a truncated page
// has no continuation token (following it would loop).
Result<ListPage> ParseListObjectsV2(std::string_view body);

struct ErrorBody {
  std::string code;  // "NoSuchKey", "AccessDenied", ...; empty when the body is not an S3 error
  std::string message;
};
ErrorBody ParseErrorBody(std::string_view body);

}  // namespace failsafe::backup::s3

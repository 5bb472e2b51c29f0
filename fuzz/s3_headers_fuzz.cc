// Header values of S3 answers that the backup S3 backend reads as numbers: Content-Length and
// x-amz-meta-failsafe-size (ParseLength) and a 206's Content-Range, from a server that may be
// broken or hostile. Must never crash or overflow; what parses must be consistent.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "backup/backend/s3_client.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace failsafe::backup::s3;
  std::string_view value(reinterpret_cast<const char*>(data), size);
  if (auto n = ParseLength(value)) {
    // Only digits parse, so the number printed again is the input without leading zeros.
    std::string_view digits = value.substr(std::min(value.find_first_not_of('0'), value.size()));
    if (std::to_string(*n) != (digits.empty() ? "0" : std::string(digits))) __builtin_trap();
  }
  if (auto r = ParseContentRange(value)) {
    if (r->last < r->first) __builtin_trap();
    if (r->total && *r->total <= r->last) __builtin_trap();
  }
  return 0;
}

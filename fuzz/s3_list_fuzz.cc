// S3 answers read by the backup S3 backend: ListObjectsV2 pages and error bodies, from a
// server that may be broken or hostile. Must never crash, hang or read out of bounds; a page
// that parses must hold what a continuation loop needs.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "backup/backend/s3_xml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto page = failsafe::backup::s3::ParseListObjectsV2(body);
  if (page) {
    if (page->truncated && page->next_token.empty()) __builtin_trap();
    for (const auto& o : page->objects) {
      if (o.key.empty()) __builtin_trap();
    }
  }
  failsafe::backup::s3::ParseErrorBody(body);
  return 0;
}

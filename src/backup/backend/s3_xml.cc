#include "backup/backend/s3_xml.h"

#include "backup/backend/xml_lite.h"

namespace failsafe::backup::s3 {
namespace {

bool ParseSize(std::string_view text, uint64_t* out) {
  if (text.empty() || text.size() > 19) return false;  // 19 digits always fit in 64 bits
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + uint64_t(c - '0');
  }
  *out = v;
  return true;
}

Status BadPage(const std::string& what) {
  return InvalidArgument("ListObjectsV2 answer: " + what);
}

}  // namespace

Result<ListPage> ParseListObjectsV2(std::string_view body) {
  auto doc = xml::Parse(body);
  if (!doc) return Err(doc.error().WithContext("ListObjectsV2 answer"));
  if (doc->name != "ListBucketResult") {
    return Err(
        BadPage("the root element is <" + doc->name.substr(0, 64) + ">, not <ListBucketResult>"));
  }
  ListPage page;
  size_t n = 0;
  for (const xml::Element& e : doc->children) {
    if (e.name != "Contents") continue;
    ++n;
    const std::string entry = "Contents #" + std::to_string(n);
    ListedObject o;
    o.key = e.ChildText("Key");
    if (o.key.empty()) return Err(BadPage(entry + " has no Key"));
    const xml::Element* size = e.Child("Size");
    if (size == nullptr) return Err(BadPage(entry + " has no Size"));
    if (!ParseSize(size->text, &o.size)) {
      return Err(BadPage(entry + ": Size \"" + size->text.substr(0, 32) + "\" is not a number"));
    }
    page.objects.push_back(std::move(o));
  }
  const std::string truncated = doc->ChildText("IsTruncated");
  if (truncated == "true") {
    page.truncated = true;
  } else if (!truncated.empty() && truncated != "false") {
    return Err(BadPage("IsTruncated is \"" + truncated.substr(0, 32) + "\", not true or false"));
  }
  page.next_token = doc->ChildText("NextContinuationToken");
  if (page.truncated && page.next_token.empty()) {
    return Err(BadPage("the page is truncated but has no NextContinuationToken"));
  }
  return page;
}

ErrorBody ParseErrorBody(std::string_view body) {
  ErrorBody out;
  auto doc = xml::Parse(body);
  if (!doc || doc->name != "Error") return out;
  out.code = doc->ChildText("Code").substr(0, 128);
  out.message = doc->ChildText("Message").substr(0, 512);
  return out;
}

}  // namespace failsafe::backup::s3

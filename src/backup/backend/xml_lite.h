#pragma once
// A small XML reader for the answers of S3-compatible servers (ListObjectsV2, error bodies):
// elements, attributes skipped, text with the five named entities and numeric character
// references, comments, processing instructions and CDATA. No DTDs (a DOCTYPE is refused, so
// no entity expansion). Bounded: depth at most 32, input at most 64 MiB. Errors name
// line:column.
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace failsafe::backup::xml {

struct Element {
  std::string name;  // local name: a namespace prefix ("s3:Key") is dropped
  std::string text;  // the element's own text, entities decoded, children's text excluded
  std::vector<Element> children;

  // The first child named `name`, or nullptr.
  const Element* Child(std::string_view child_name) const;
  // The text of the first child named `name`, or "" when there is none.
  std::string ChildText(std::string_view child_name) const;
};

Result<Element> Parse(std::string_view document);

}  // namespace failsafe::backup::xml

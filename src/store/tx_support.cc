#include "store/tx_support.h"

#include <cstring>

#include "base/utf8.h"

namespace failsafe::store {

Status CheckParams(const std::vector<Value>& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    const auto* text = std::get_if<std::string>(&params[i]);
    if (text == nullptr) continue;
    if (std::memchr(text->data(), '\0', text->size()) != nullptr) {
      return InvalidArgument("SQL parameter " + std::to_string(i + 1) +
                             " is text containing a NUL byte (store bytes as Blob)");
    }
    if (!IsValidUtf8(*text)) {
      return InvalidArgument("SQL parameter " + std::to_string(i + 1) +
                             " is text that is not valid UTF-8 (store bytes as Blob)");
    }
  }
  return Status::Ok();
}

Status TxErrorLatch::Check() const {
  if (first_.ok()) return first_;
  return FailedPrecondition("transaction aborted by an earlier failed statement: " +
                            first_.message());
}

}  // namespace failsafe::store

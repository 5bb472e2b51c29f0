#pragma once
// Status: the outcome of an operation that can fail in an expected way.
// A Status is a small value: a code, a human message and, when the failure is about one
// input field (a JSON key, a config key, a CSV cell), that field's name. Codes map 1:1 to
// HTTP statuses (HttpStatusFor) and to the stable error strings of the API (CodeName).
#include <string>
#include <string_view>

namespace failsafe {

enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,     // 400: the input is malformed or violates a rule
  kUnauthenticated,     // 401: no valid credentials
  kPermissionDenied,    // 403: credentials valid, role not allowed
  kNotFound,            // 404
  kMethodNotAllowed,    // 405
  kAlreadyExists,       // 409
  kConflict,            // 409: state does not allow the change (e.g. invalid transition)
  kFailedPrecondition,  // 412/409-style: the system is not in a state for this
  kPayloadTooLarge,     // 413
  kUnsupportedMedia,    // 415
  kTooManyRequests,     // 429: throttled or locked out
  kInternal,            // 500: a bug or an unexpected environment failure
  kUnavailable,         // 503: a dependency (store, peer) cannot be reached
  kDeadlineExceeded,    // 504
  kDataLoss,            // 500: stored data is damaged (checksums, audit chain)
};

class Status {
 public:
  Status() = default;  // OK
  Status(ErrorCode code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  static Status Ok() { return {}; }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }

  // "invalid_argument: message (field: x)", for logs and CLI output.
  std::string ToString() const;

  // Prefixes the message with context, keeping code and field: "reading config: ...".
  Status WithContext(std::string_view context) const;
  Status WithField(std::string field) const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  std::string field_;
};

// Stable snake_case names used in the API error shape.
std::string_view CodeName(ErrorCode code);
int HttpStatusFor(ErrorCode code);

inline Status InvalidArgument(std::string msg, std::string field = {}) {
  return {ErrorCode::kInvalidArgument, std::move(msg), std::move(field)};
}
inline Status NotFound(std::string msg) {
  return {ErrorCode::kNotFound, std::move(msg)};
}
inline Status AlreadyExists(std::string msg, std::string field = {}) {
  return {ErrorCode::kAlreadyExists, std::move(msg), std::move(field)};
}
inline Status Conflict(std::string msg) {
  return {ErrorCode::kConflict, std::move(msg)};
}
inline Status FailedPrecondition(std::string msg) {
  return {ErrorCode::kFailedPrecondition, std::move(msg)};
}
inline Status Unauthenticated(std::string msg) {
  return {ErrorCode::kUnauthenticated, std::move(msg)};
}
inline Status PermissionDenied(std::string msg) {
  return {ErrorCode::kPermissionDenied, std::move(msg)};
}
inline Status Internal(std::string msg) {
  return {ErrorCode::kInternal, std::move(msg)};
}
inline Status Unavailable(std::string msg) {
  return {ErrorCode::kUnavailable, std::move(msg)};
}
inline Status DataLoss(std::string msg) {
  return {ErrorCode::kDataLoss, std::move(msg)};
}

}  // namespace failsafe

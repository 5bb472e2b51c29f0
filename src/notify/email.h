#pragma once
// Pieces of an email message, exposed for tests.
#include <string>
#include <string_view>

namespace failsafe::notify {

// A header value as RFC 2047 encoded-words (=?UTF-8?B?...?=, each at most 75 characters,
// split on UTF-8 character boundaries, folded with CRLF SP) when it is not plain printable
// ASCII; unchanged otherwise.
std::string EncodeHeaderValue(std::string_view text);
// "<hex@failsafe>" derived from the idempotency key: the same key gives the same Message-ID.
std::string MessageIdFor(std::string_view idempotency_key);
// "addr" out of "Name <addr>" (or the text itself).
std::string BareAddress(std::string_view mailbox);
// RFC 5322 date, e.g. "Sun, 22 Nov 2026 01:42:06 +0000".
std::string Rfc5322Date(int64_t unix_ms);

}  // namespace failsafe::notify

#pragma once
// The status line and header block of an HTTP/1.x answer, written into one reused string, so
// that head and body leave in one gather write with no per-field allocation. The bytes are the
// ones Beast's serializer wrote for the same answer (response_head_test.cc compares them):
// Server, Content-Type, the response's own headers, Connection, Content-Length, in that order.
#include <string>

#include "server/http_types.h"

namespace failsafe::server {

// Writes the head of `r` into `out` (cleared first). `version` is the request's (10 or 11).
// `keep_alive` adds "Connection: close" to an HTTP/1.1 answer when false and
// "Connection: keep-alive" to an HTTP/1.0 answer when true. An answer to HEAD states the
// length of the body it omits. Returns false when no body may follow (HEAD; 1xx, 204 and 304
// answers, whose length is stated as 0 whatever `r.body` holds). CR and LF in header names and
// values are dropped, so a value taken from input cannot add a header.
bool WriteResponseHead(std::string& out, const Response& r, unsigned version, bool keep_alive,
                       bool head_request);

}  // namespace failsafe::server

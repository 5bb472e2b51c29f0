#pragma once
// What a probe reports about a TLS connection, read from OpenSSL once the handshake is done.
// Shared by the HTTP probe (through libcurl's SSL_CTX hook) and the TCP probe (Asio's stream).
#include <openssl/ssl.h>

#include <cstdint>
#include <optional>
#include <string>

namespace failsafe::watch::probes {

struct TlsInfo {
  std::string version;                          // "TLSv1.3"
  std::optional<int64_t> earliest_cert_expiry;  // Unix seconds, over the peer's chain
};

// Reads the negotiated version and the earliest notAfter of the chain the peer sent.
TlsInfo ReadTlsInfo(const SSL* ssl);

// Keeps the earlier of two expiries (a redirect may reach a second server).
void MergeTlsInfo(TlsInfo& into, const TlsInfo& from);

}  // namespace failsafe::watch::probes

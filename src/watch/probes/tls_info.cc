#include "watch/probes/tls_info.h"

#include <openssl/x509.h>

#include <ctime>

namespace failsafe::watch::probes {
namespace {

std::optional<int64_t> NotAfterUnix(X509* cert) {
  const ASN1_TIME* not_after = X509_get0_notAfter(cert);
  std::tm tm{};
  if (not_after == nullptr || ASN1_TIME_to_tm(not_after, &tm) != 1) return std::nullopt;
  return static_cast<int64_t>(timegm(&tm));
}

}  // namespace

TlsInfo ReadTlsInfo(const SSL* ssl) {
  TlsInfo info;
  info.version = SSL_get_version(ssl);
  // On a client the chain includes the server's own certificate first.
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl);
  for (int i = 0; chain != nullptr && i < sk_X509_num(chain); ++i) {
    auto expiry = NotAfterUnix(sk_X509_value(chain, i));
    if (expiry && (!info.earliest_cert_expiry || *expiry < *info.earliest_cert_expiry))
      info.earliest_cert_expiry = expiry;
  }
  return info;
}

void MergeTlsInfo(TlsInfo& into, const TlsInfo& from) {
  if (!from.version.empty()) into.version = from.version;
  if (from.earliest_cert_expiry &&
      (!into.earliest_cert_expiry || *from.earliest_cert_expiry < *into.earliest_cert_expiry))
    into.earliest_cert_expiry = from.earliest_cert_expiry;
}

}  // namespace failsafe::watch::probes

#include "watch/probes/testing/self_signed.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>
#include <stdexcept>

namespace failsafe::watch::probes::testing {
namespace {

template <typename T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, decltype([](T* p) { Free(p); })>;

void Check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("self-signed certificate: ") + what);
}

std::string ToPem(int (*write)(BIO*, void*), void* object) {
  Owned<BIO, BIO_free_all> bio(BIO_new(BIO_s_mem()));
  Check(write(bio.get(), object) == 1, "PEM write");
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

}  // namespace

SelfSigned MakeSelfSigned(int valid_days) {
  Owned<EVP_PKEY, EVP_PKEY_free> key(EVP_EC_gen("P-256"));
  Check(key != nullptr, "key");
  Owned<X509, X509_free> cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), static_cast<long>(std::time(nullptr)));
  std::time_t now = std::time(nullptr);
  X509_time_adj_ex(X509_getm_notBefore(cert.get()), -1, 0, &now);
  X509_time_adj_ex(X509_getm_notAfter(cert.get()), valid_days, 0, &now);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  Owned<X509_EXTENSION, X509_EXTENSION_free> san(X509V3_EXT_conf_nid(
      nullptr, &ctx, NID_subject_alt_name, "IP:127.0.0.1,IP:::1,DNS:localhost"));
  Check(san != nullptr && X509_add_ext(cert.get(), san.get(), -1) == 1, "subjectAltName");
  Check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "sign");

  SelfSigned out;
  out.cert_pem = ToPem([](BIO* b, void* x) { return PEM_write_bio_X509(b, static_cast<X509*>(x)); },
                       cert.get());
  out.key_pem = ToPem(
      [](BIO* b, void* k) {
        return PEM_write_bio_PrivateKey(b, static_cast<EVP_PKEY*>(k), nullptr, nullptr, 0, nullptr,
                                        nullptr);
      },
      key.get());
  std::tm tm{};
  ASN1_TIME_to_tm(X509_get0_notAfter(cert.get()), &tm);
  out.not_after_unix = timegm(&tm);
  return out;
}

}  // namespace failsafe::watch::probes::testing

#include "backup/crypto/hash.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstdlib>

namespace failsafe::backup::crypto {
namespace {

// Fetched once: implicit fetching by name on every call costs a lock and a lookup.
EVP_MD* Sha256Md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) std::abort();
  return md;
}

struct MdContext {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~MdContext() { EVP_MD_CTX_free(ctx); }
};

// One HMAC context per thread, re-keyed only when a different key comes along: with the
// same key, EVP_MAC_init(NULL key) restarts from the cached inner and outer pads.
struct MacContext {
  EVP_MAC_CTX* ctx = nullptr;
  uint64_t serial = 0;
  MacContext() {
    static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (mac == nullptr) std::abort();
    ctx = EVP_MAC_CTX_new(mac);
    if (ctx == nullptr) std::abort();
  }
  ~MacContext() { EVP_MAC_CTX_free(ctx); }
};

}  // namespace

Digest Sha256(std::string_view data) {
  thread_local MdContext md;
  Digest out;
  unsigned int len = 0;
  if (EVP_DigestInit_ex2(md.ctx, Sha256Md(), nullptr) != 1 ||
      EVP_DigestUpdate(md.ctx, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(md.ctx, out.data(), &len) != 1 || len != out.size())
    std::abort();  // only on allocation failure inside OpenSSL
  return out;
}

Digest HmacSha256(const SecretKey& key, std::initializer_list<std::string_view> parts) {
  thread_local MacContext mac;
  int ok;
  if (mac.serial != key.serial() || key.serial() == 0) {
    char digest_name[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                           OSSL_PARAM_construct_end()};
    ok = EVP_MAC_init(mac.ctx, key.data(), SecretKey::kSize, params);
    mac.serial = key.serial();
  } else {
    ok = EVP_MAC_init(mac.ctx, nullptr, 0, nullptr);
  }
  if (ok != 1) std::abort();
  for (std::string_view part : parts)
    if (EVP_MAC_update(mac.ctx, reinterpret_cast<const unsigned char*>(part.data()), part.size()) !=
        1)
      std::abort();
  Digest out;
  size_t len = 0;
  if (EVP_MAC_final(mac.ctx, out.data(), &len, out.size()) != 1 || len != out.size()) std::abort();
  return out;
}

std::string_view AsView(const Digest& d) {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}

}  // namespace failsafe::backup::crypto

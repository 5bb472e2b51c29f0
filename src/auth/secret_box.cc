#include "auth/secret_box.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

#include "base/encoding.h"
#include "base/random.h"

namespace failsafe::auth {
namespace {

constexpr std::string_view kPrefix = "v1:";
constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherCtx NewCtx() {
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  if (!ctx) throw std::runtime_error("EVP_CIPHER_CTX_new failed");
  return ctx;
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

Result<SecretBox> SecretBox::Create(std::string key) {
  if (key.size() != kSecretKeyBytes) {
    return Err(InvalidArgument("secret key must be 32 bytes, got " + std::to_string(key.size())));
  }
  return SecretBox(std::move(key));
}

std::string SecretBox::Seal(std::string_view plaintext, std::string_view aad) const {
  const std::string nonce = RandomBytes(kNonceBytes);
  std::string out = nonce;
  out.resize(nonce.size() + plaintext.size() + kTagBytes);
  auto* cipher_out = reinterpret_cast<unsigned char*>(out.data()) + kNonceBytes;

  CipherCtx ctx = NewCtx();
  int len = 0;
  bool ok =
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key_), Bytes(nonce)) == 1 &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) == 1 &&
      EVP_EncryptUpdate(ctx.get(), cipher_out, &len, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) == 1;
  int final_len = 0;
  ok = ok && EVP_EncryptFinal_ex(ctx.get(), cipher_out + len, &final_len) == 1 &&
       EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                           cipher_out + len + final_len) == 1;
  if (!ok) throw std::runtime_error("AES-256-GCM encryption failed");
  return std::string(kPrefix) + Base64Encode(out);
}

Result<std::string> SecretBox::Open(std::string_view sealed, std::string_view aad) const {
  const Status damaged = DataLoss("sealed secret cannot be opened (damaged, or another key)");
  if (sealed.substr(0, kPrefix.size()) != kPrefix) {
    return Err(DataLoss("sealed secret has an unknown format (expected prefix \"v1:\")"));
  }
  auto raw = Base64Decode(sealed.substr(kPrefix.size()));
  if (!raw || raw->size() < static_cast<size_t>(kNonceBytes + kTagBytes)) return Err(damaged);
  // A size that does not fit an int cannot have come from Seal.
  if (raw->size() > static_cast<size_t>(1 << 30) || aad.size() > static_cast<size_t>(1 << 30)) {
    return Err(damaged);
  }

  const std::string_view all(*raw);
  const std::string_view nonce = all.substr(0, kNonceBytes);
  const std::string_view cipher = all.substr(kNonceBytes, all.size() - kNonceBytes - kTagBytes);
  std::string tag(all.substr(all.size() - kTagBytes));

  std::string plain(cipher.size(), '\0');
  auto* plain_out = reinterpret_cast<unsigned char*>(plain.data());
  CipherCtx ctx = NewCtx();
  int len = 0;
  int final_len = 0;
  const bool ok =
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key_), Bytes(nonce)) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), plain_out, &len, Bytes(cipher),
                        static_cast<int>(cipher.size())) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), plain_out + len, &final_len) == 1;
  if (!ok) return Err(damaged);
  plain.resize(static_cast<size_t>(len + final_len));
  return plain;
}

}  // namespace failsafe::auth

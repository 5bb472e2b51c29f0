#include "auth/password.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_set>

#include "base/utf8.h"

namespace failsafe::auth {
namespace internal {
extern const char kCommonPasswordsText[];  // generated from common_passwords.txt
}  // namespace internal

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

const std::unordered_set<std::string>& CommonPasswords() {
  static const auto* set = [] {
    auto* s = new std::unordered_set<std::string>();
    std::string_view text(internal::kCommonPasswordsText);
    while (!text.empty()) {
      size_t nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
      if (line.empty() || line.front() == '#') continue;
      s->insert(Lower(line));
    }
    return s;
  }();
  return *set;
}

size_t CountCodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

// Rows of keys and runs people type instead of passwords. A password that is a contiguous
// piece of one of these (forwards or backwards, wrapping) is trivial.
constexpr std::array<std::string_view, 8> kSequences = {
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "qwertyuiopasdfghjklzxcvbnm",
    "1234567890qwertyuiopasdfghjklzxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
};

bool IsPieceOfSequence(const std::string& lower) {
  for (std::string_view seq : kSequences) {
    std::string forward;
    // Repeat enough that any wrap-around run of the password's length is a substring.
    while (forward.size() < lower.size() + 2 * seq.size()) forward += seq;
    std::string backward(forward.rbegin(), forward.rend());
    if (forward.find(lower) != std::string::npos || backward.find(lower) != std::string::npos) {
      return true;
    }
  }
  return false;
}

// "aaaaaaaaaaaa", "abababababab", "abcabcabcabc": a unit of up to 3 bytes repeated.
bool IsShortRepetition(std::string_view s) {
  for (size_t period = 1; period <= 3 && period < s.size(); ++period) {
    bool repeats = true;
    for (size_t i = period; i < s.size() && repeats; ++i) repeats = s[i] == s[i - period];
    if (repeats) return true;
  }
  return false;
}

Status PolicyError(std::string message) {
  return InvalidArgument(std::move(message), "password");
}

void EnsureSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  });
}

}  // namespace

bool IsCommonPassword(std::string_view password) {
  return CommonPasswords().count(Lower(password)) > 0;
}

Status CheckPasswordPolicy(std::string_view password, std::string_view username) {
  if (password.size() > kMaxPasswordBytes) {
    return PolicyError("password is longer than " + std::to_string(kMaxPasswordBytes) + " bytes");
  }
  if (!IsValidUtf8(password)) return PolicyError("password is not valid UTF-8");
  if (CountCodePoints(password) < kMinPasswordCodePoints) {
    return PolicyError("password must be at least " + std::to_string(kMinPasswordCodePoints) +
                       " characters long");
  }
  const std::string lower = Lower(password);
  if (IsCommonPassword(lower)) return PolicyError("password is too common");
  if (username.size() >= 3 && lower.find(Lower(username)) != std::string::npos) {
    return PolicyError("password must not contain the username");
  }
  if (IsShortRepetition(lower)) return PolicyError("password is a repeated character or pattern");
  if (IsPieceOfSequence(lower)) return PolicyError("password is a keyboard or number sequence");
  return Status::Ok();
}

Result<std::string> HashPassword(std::string_view password) {
  EnsureSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Err(Internal("password hashing ran out of memory"));
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view password, const std::string& hash) {
  EnsureSodium();
  // crypto_pwhash_str_verify reads a NUL-terminated string of bounded length.
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void SpendDummyVerify(std::string_view password) {
  static const std::string dummy = [] {
    auto h = HashPassword("failsafe-dummy-password-for-timing");
    return h ? *h : std::string();
  }();
  (void)VerifyPassword(password, dummy);
}

bool PasswordNeedsRehash(const std::string& hash) {
  EnsureSodium();
  return crypto_pwhash_str_needs_rehash(hash.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

}  // namespace failsafe::auth

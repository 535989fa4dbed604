#include "ledger/base/sha256.h"

#include <openssl/evp.h>

#include <new>
#include <stdexcept>

#include "ledger/base/hex.h"

namespace ledger::base {
namespace {

// Fetched once: an implicit fetch on every EVP_DigestInit_ex costs more than
// hashing a small envelope.
const EVP_MD* Sha256Md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

void Check(int rc) {
  if (rc != 1) throw std::runtime_error("SHA-256 failed in libcrypto");
}

}  // namespace

struct Sha256Hasher::Context {
  EVP_MD_CTX* evp = nullptr;
  bool started = false;  // initialised for a digest since the last Finish
};

Sha256Hasher::Sha256Hasher() : ctx_(new Context{EVP_MD_CTX_new()}) {
  if (ctx_->evp == nullptr) {
    delete ctx_;
    throw std::bad_alloc();
  }
}

Sha256Hasher::~Sha256Hasher() {
  EVP_MD_CTX_free(ctx_->evp);
  delete ctx_;
}

void Sha256Hasher::Reset() {
  Check(EVP_DigestInit_ex(ctx_->evp, Sha256Md(), nullptr));
  ctx_->started = true;
}

void Sha256Hasher::Update(std::string_view bytes) {
  if (!ctx_->started) Reset();
  Check(EVP_DigestUpdate(ctx_->evp, bytes.data(), bytes.size()));
}

Sha256Digest Sha256Hasher::Finish() {
  if (!ctx_->started) Reset();
  Sha256Digest out{};
  unsigned int length = 0;
  Check(EVP_DigestFinal_ex(ctx_->evp, out.data(), &length));
  ctx_->started = false;
  if (length != out.size()) throw std::runtime_error("SHA-256 gave a digest of the wrong size");
  return out;
}

Sha256Digest Sha256Hasher::Digest(std::string_view prefix, std::string_view data) {
  Reset();
  Update(prefix);
  Update(data);
  return Finish();
}

Sha256Digest Sha256(std::string_view bytes) {
  thread_local Sha256Hasher hasher;
  return hasher.Digest({}, bytes);
}

std::string Sha256Hex(std::string_view bytes) { return ToHex(Sha256(bytes)); }

}  // namespace ledger::base

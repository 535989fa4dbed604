#include <doctest/doctest.h>

#include "ledger/base/hex.h"
#include "ledger/base/sha256.h"

namespace ledger::base {
namespace {

// FIPS 180-4 / NIST CSHS example vectors.
TEST_CASE("SHA-256 matches the published test vectors") {
  CHECK(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(Sha256Hex(std::string(1'000'000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("the digest and its hex agree") { CHECK(ToHex(Sha256("abc")) == Sha256Hex("abc")); }

TEST_CASE("fed piece by piece, the hasher gives the one-call digest, and starts afresh after each") {
  Sha256Hasher hasher;
  hasher.Update("ab");
  hasher.Update("");
  hasher.Update("c");
  CHECK(hasher.Finish() == Sha256("abc"));
  hasher.Update("abc");
  CHECK(hasher.Finish() == Sha256("abc"));
  CHECK(hasher.Finish() == Sha256(""));
  hasher.Update("stale");
  hasher.Reset();
  CHECK(hasher.Digest("a", "bc") == Sha256("abc"));
}

}  // namespace
}  // namespace ledger::base

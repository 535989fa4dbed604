// ledger-verifier: checks what the ledger answers against its public key
// alone, sharing no code with the ledger: its own RFC 9162 proof checks
// (section 2.1), its own event hashing (docs/storage.md, "Canonical bytes"),
// Ed25519 from libsodium, SHA-256 from OpenSSL and JSON from Boost.JSON.
// Every input is a file saved from the ledger's API (docs/auditing.md):
//
//   ledger-verifier head --key KEY --head HEAD.json
//   ledger-verifier claim --key KEY --proof CLAIM_PROOF.json [--head HEAD.json]
//   ledger-verifier consistency --key KEY --old HEAD.json --new HEAD.json --proof CONSISTENCY.json
//   ledger-verifier report --key KEY --report REPORT.json --head HEAD.json --inclusion P.json --consistency C.json
//
// KEY is the public key in hex, or a file holding GET /api/v1/ledger/public-key.
// With --rotations FILE (a newer public-key answer), a key the ledger rotated
// to is trusted when the key before it endorsed it, back to KEY.
// Wherever a head is asked for, a saved payment run will do: its
// "signed_head" is the head it was computed from.
// Exit 0: every check held (stdout says what was shown); 1: a check failed
// (stderr says which and what it means); 2: the command line or a file is
// unusable.
#include <openssl/evp.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Hash = std::array<uint8_t, 32>;
using Key = std::array<uint8_t, 32>;
using Signature = std::array<uint8_t, 64>;

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;

constexpr std::string_view kTreeHeadDomain = "ledger tree head v1\n";

// A problem with the input rather than with what it shows: exit 2.
struct Unusable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// ---- Bytes -------------------------------------------------------------------------

template <size_t N>
std::array<uint8_t, N> FromHex(std::string_view hex, const std::string& what) {
  std::array<uint8_t, N> out{};
  size_t written = 0;
  if (hex.size() != 2 * N || sodium_hex2bin(out.data(), N, hex.data(), hex.size(), nullptr, &written, nullptr) != 0 ||
      written != N) {
    throw Unusable(what + " is not " + std::to_string(N) + " bytes in hex");
  }
  return out;
}

std::string BytesFromHex(std::string_view hex, const std::string& what) {
  std::string out(hex.size() / 2, '\0');
  size_t written = 0;
  if (hex.size() % 2 != 0 ||
      sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(), hex.size(), nullptr,
                     &written, nullptr) != 0 ||
      written != out.size()) {
    throw Unusable(what + " is not hex");
  }
  return out;
}

template <size_t N>
std::string ToHex(const std::array<uint8_t, N>& bytes) {
  std::string out(2 * N + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes.data(), N);
  out.pop_back();
  return out;
}

void PutU64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>((v >> shift) & 0xff));
}
void PutU32(std::string* out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>((v >> shift) & 0xff));
}
void PutField(std::string* out, std::string_view field) {
  PutU32(out, static_cast<uint32_t>(field.size()));
  out->append(field);
}

Hash Sha256(std::string_view a, std::string_view b = {}, std::string_view c = {}) {
  Hash out{};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
            EVP_DigestUpdate(ctx, a.data(), a.size()) == 1 && EVP_DigestUpdate(ctx, b.data(), b.size()) == 1 &&
            EVP_DigestUpdate(ctx, c.data(), c.size()) == 1 && EVP_DigestFinal_ex(ctx, out.data(), nullptr) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) throw std::runtime_error("SHA-256 failed");
  return out;
}

std::string_view View(const Hash& h) { return {reinterpret_cast<const char*>(h.data()), h.size()}; }

// ---- RFC 9162, section 2.1 -------------------------------------------------------------

Hash LeafHash(std::string_view data) { return Sha256(std::string_view("\x00", 1), data); }
Hash NodeHash(const Hash& left, const Hash& right) {
  return Sha256(std::string_view("\x01", 1), View(left), View(right));
}

// 2.1.3.2: verifying an inclusion proof.
bool VerifyInclusion(uint64_t leaf_index, uint64_t tree_size, const Hash& leaf, const std::vector<Hash>& path,
                     const Hash& root) {
  if (leaf_index >= tree_size) return false;
  uint64_t fn = leaf_index;
  uint64_t sn = tree_size - 1;
  Hash r = leaf;
  for (const Hash& p : path) {
    if (sn == 0) return false;
    if (fn % 2 == 1 || fn == sn) {
      r = NodeHash(p, r);
      if (fn % 2 == 0) {
        while (fn % 2 == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

// 2.1.4.2: verifying a consistency proof (first_size < second_size, first_size > 0).
bool VerifyConsistency(uint64_t first_size, uint64_t second_size, const Hash& first_root, const Hash& second_root,
                       std::vector<Hash> path) {
  if (first_size == 0 || first_size >= second_size || path.empty()) return false;
  if ((first_size & (first_size - 1)) == 0) path.insert(path.begin(), first_root);
  uint64_t fn = first_size - 1;
  uint64_t sn = second_size - 1;
  while (fn % 2 == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0];
  Hash sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return false;
    if (fn % 2 == 1 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      if (fn % 2 == 0) {
        while (fn % 2 == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == first_root && sr == second_root && sn == 0;
}

// ---- JSON inputs ----------------------------------------------------------------------

boost::json::value ReadJson(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Unusable("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text.str(), ec);
  if (ec || !v.is_object()) throw Unusable(path + " is not a JSON object");
  return v;
}

const boost::json::value& Field(const boost::json::value& v, const char* name, const std::string& where) {
  const boost::json::value* f = v.as_object().if_contains(name);
  if (f == nullptr) throw Unusable(where + " has no \"" + name + "\"");
  return *f;
}

std::string Text(const boost::json::value& v, const char* name, const std::string& where) {
  const boost::json::value& f = Field(v, name, where);
  if (!f.is_string()) throw Unusable(where + ": \"" + name + "\" is not text");
  return std::string(f.as_string());
}

uint64_t Number(const boost::json::value& v, const char* name, const std::string& where) {
  const boost::json::value& f = Field(v, name, where);
  boost::system::error_code ec;
  uint64_t n = f.to_number<uint64_t>(ec);
  if (ec) throw Unusable(where + ": \"" + name + "\" is not a whole number");
  return n;
}

Hash HashField(const boost::json::value& v, const char* name, const std::string& where) {
  return FromHex<32>(Text(v, name, where), where + ": \"" + name + "\"");
}

std::vector<Hash> ProofField(const boost::json::value& v, const std::string& where) {
  const boost::json::value& f = Field(v, "proof", where);
  if (!f.is_array()) throw Unusable(where + ": \"proof\" is not a list");
  std::vector<Hash> out;
  for (const boost::json::value& item : f.as_array()) {
    if (!item.is_string()) throw Unusable(where + ": \"proof\" holds something that is not a hash");
    out.push_back(FromHex<32>(std::string_view(item.as_string()), where + ": a proof hash"));
  }
  return out;
}

struct SignedHead {
  uint64_t size = 0;
  Hash root{};
  Hash chain_hash{};
  uint64_t signed_at_us = 0;
  Key key{};
  Signature signature{};
};

SignedHead ParseHead(const boost::json::value& v, const std::string& where) {
  SignedHead h;
  h.size = Number(v, "size", where);
  h.root = HashField(v, "root", where);
  h.chain_hash = HashField(v, "chain_hash", where);
  h.signed_at_us = Number(v, "signed_at_us", where);
  h.key = FromHex<32>(Text(v, "public_key", where), where + ": \"public_key\"");
  h.signature = FromHex<64>(Text(v, "signature", where), where + ": \"signature\"");
  return h;
}

// A head saved from GET /api/v1/ledger/heads, or the head a payment run cites
// (GET /api/v1/payment-runs/{id}: its "signed_head").
SignedHead ReadHead(const std::string& path) {
  boost::json::value v = ReadJson(path);
  if (const boost::json::value* cited = v.as_object().if_contains("signed_head")) {
    if (!cited->is_object()) throw Unusable(path + ": \"signed_head\" is not an object");
    return ParseHead(*cited, path + ": \"signed_head\"");
  }
  return ParseHead(v, path);
}

Key ReadKey(const std::string& arg) {
  if (arg.size() == 64 && arg.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos) {
    return FromHex<32>(arg, "--key");
  }
  boost::json::value v = ReadJson(arg);
  return FromHex<32>(Text(v, "public_key", arg), arg + ": \"public_key\"");
}

// ---- Checks ---------------------------------------------------------------------------

struct Failed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

constexpr std::string_view kKeyRotationDomain = "ledger key rotation v1\n";

// The keys a head may be signed with: the key the auditor holds, then each key
// a trusted key endorsed in the ledger's record of rotations (the "rotations"
// of GET /api/v1/ledger/public-key), in order.
using Keys = std::vector<Key>;

Keys TrustedKeys(const Key& held, const std::string& rotations_file) {
  Keys keys{held};
  if (rotations_file.empty()) return keys;
  const boost::json::value doc = ReadJson(rotations_file);
  const boost::json::value& rotations = Field(doc, "rotations", rotations_file);
  if (!rotations.is_array()) throw Unusable(rotations_file + ": \"rotations\" is not a list");
  for (const boost::json::value& r : rotations.as_array()) {
    const std::string where = rotations_file + ": the rotation at position " +
                              std::to_string(Number(r, "position", rotations_file));
    const Key previous = FromHex<32>(Text(r, "previous_public_key", where), where + ": \"previous_public_key\"");
    const Key next = FromHex<32>(Text(r, "public_key", where), where + ": \"public_key\"");
    const Signature endorsement = FromHex<64>(Text(r, "endorsement", where), where + ": \"endorsement\"");
    if (previous != keys.back()) continue;  // before the key held, or not from the key in force
    std::string message(kKeyRotationDomain);
    message.append(View(next));
    if (crypto_sign_verify_detached(endorsement.data(), reinterpret_cast<const unsigned char*>(message.data()),
                                    message.size(), previous.data()) != 0) {
      throw Failed(where + " is not endorsed by the key it replaces (" + ToHex(previous) +
                   "): it was forged, and no head signed with " + ToHex(next) + " can be trusted");
    }
    keys.push_back(next);
  }
  return keys;
}

void CheckSignature(const SignedHead& head, const Keys& keys, const std::string& what) {
  std::string message(kTreeHeadDomain);
  PutU64(&message, head.size);
  message.append(View(head.root));
  message.append(View(head.chain_hash));
  PutU64(&message, head.signed_at_us);
  if (std::find(keys.begin(), keys.end(), head.key) == keys.end()) {
    throw Failed(what + " is signed by another key (" + ToHex(head.key) + "), not the ledger's (" +
                 ToHex(keys.front()) + (keys.size() > 1 ? " or a key it endorsed" : "") +
                 "): it is not the ledger's head");
  }
  const Key& key = head.key;
  if (crypto_sign_verify_detached(head.signature.data(), reinterpret_cast<const unsigned char*>(message.data()),
                                  message.size(), key.data()) != 0) {
    throw Failed(what +
                 " does not carry the ledger's signature of its size, root, chain hash and time: it was "
                 "altered or forged");
  }
}

std::string Describe(const SignedHead& head) { return std::to_string(head.size) + " events, root " + ToHex(head.root); }

// The hash of one event from its fields (docs/storage.md, "Canonical bytes").
Hash EventHash(const boost::json::value& e, const std::string& where, const Hash& prev_hash) {
  std::string canonical;
  canonical.push_back('\x01');
  PutU64(&canonical, Number(e, "position", where));
  PutField(&canonical, Text(e, "stream", where));
  PutU64(&canonical, Number(e, "version", where));
  PutField(&canonical, Text(e, "type", where));
  PutU32(&canonical, static_cast<uint32_t>(Number(e, "schema_version", where)));
  const boost::json::value& at = Field(e, "recorded_at_us", where);
  boost::system::error_code ec;
  const int64_t recorded_at = at.to_number<int64_t>(ec);
  if (ec) throw Unusable(where + ": \"recorded_at_us\" is not a whole number");
  PutU64(&canonical, static_cast<uint64_t>(recorded_at));
  PutField(&canonical, Text(e, "actor", where));
  PutField(&canonical, Text(e, "command_id", where));
  PutField(&canonical, Text(e, "correlation_id", where));
  PutField(&canonical, BytesFromHex(Text(e, "payload_hex", where), where + ": \"payload_hex\""));
  return Sha256(View(prev_hash), canonical);
}

int Head(const Keys& key, const std::string& head_file) {
  SignedHead head = ReadHead(head_file);
  CheckSignature(head, key, "the head in " + head_file);
  std::printf("ok: %s is the ledger's signed head of %s, signed at %llu\n", head_file.c_str(), Describe(head).c_str(),
              static_cast<unsigned long long>(head.signed_at_us));
  return kOk;
}

int Claim(const Keys& key, const std::string& proof_file, const std::string& head_file) {
  boost::json::value doc = ReadJson(proof_file);
  const std::string claim = Text(doc, "claim_id", proof_file);
  SignedHead head = ParseHead(Field(doc, "head", proof_file), proof_file + ": \"head\"");
  CheckSignature(head, key, "the head in " + proof_file);
  if (!head_file.empty()) {
    SignedHead kept = ReadHead(head_file);
    CheckSignature(kept, key, "the head in " + head_file);
    if (kept.size == head.size && kept.root != head.root) {
      throw Failed("the ledger signed two different trees of " + std::to_string(head.size) + " events (" + head_file +
                   " and " + proof_file + "): its log was forked");
    }
  }
  const boost::json::value& events = Field(doc, "events", proof_file);
  if (!events.is_array() || events.as_array().empty()) throw Unusable(proof_file + ": \"events\" is not a list");
  std::string stream;
  uint64_t expected_version = 1;
  for (const boost::json::value& e : events.as_array()) {
    const uint64_t position = Number(e, "position", proof_file);
    const std::string where = proof_file + ": the event at position " + std::to_string(position);
    if (stream.empty()) stream = Text(e, "stream", where);
    if (Text(e, "stream", where) != stream) throw Failed(where + " belongs to another stream than the claim's");
    const uint64_t version = Number(e, "version", where);
    if (version != expected_version) {
      throw Failed(where + " is version " + std::to_string(version) + " of the claim, but version " +
                   std::to_string(expected_version) + " is missing: the answer leaves out an event of the claim");
    }
    ++expected_version;
    const Hash hash = EventHash(e, where, HashField(e, "prev_hash", where));
    if (hash != HashField(e, "hash", where)) {
      throw Failed(where + " does not hash to the hash it claims: its fields were altered");
    }
    if (position == 0 || position > head.size ||
        !VerifyInclusion(position - 1, head.size, LeafHash(View(hash)), ProofField(e, where), head.root)) {
      throw Failed(where + " is not in the signed tree of " + std::to_string(head.size) +
                   " events (its inclusion proof fails): it is not the event the ledger holds there");
    }
  }
  std::printf("ok: claim %s: %zu events, each in the ledger's signed tree of %s\n", claim.c_str(),
              events.as_array().size(), Describe(head).c_str());
  return kOk;
}

int Consistency(const Keys& key, const std::string& old_file, const std::string& new_file,
                const std::string& proof_file) {
  SignedHead old_head = ReadHead(old_file);
  SignedHead new_head = ReadHead(new_file);
  CheckSignature(old_head, key, "the older head (" + old_file + ")");
  CheckSignature(new_head, key, "the newer head (" + new_file + ")");
  if (new_head.size < old_head.size) {
    throw Failed("the newer head has " + std::to_string(new_head.size) + " events, fewer than the " +
                 std::to_string(old_head.size) + " of the older: the log was rolled back");
  }
  if (new_head.size == old_head.size) {
    if (new_head.root != old_head.root) {
      throw Failed("the ledger signed two different trees of " + std::to_string(old_head.size) +
                   " events: its log was forked");
    }
    std::printf("ok: both heads are the ledger's same tree of %s\n", Describe(new_head).c_str());
    return kOk;
  }
  boost::json::value proof = ReadJson(proof_file);
  if (Number(proof, "from", proof_file) != old_head.size || Number(proof, "to", proof_file) != new_head.size) {
    throw Unusable(proof_file + " is a proof between other sizes than the two heads' (" +
                   std::to_string(old_head.size) + " and " + std::to_string(new_head.size) + ")");
  }
  if (old_head.size > 0 &&
      !VerifyConsistency(old_head.size, new_head.size, old_head.root, new_head.root, ProofField(proof, proof_file))) {
    throw Failed("the proof does not show that the tree of " + std::to_string(new_head.size) +
                 " events extends the tree of " + std::to_string(old_head.size) +
                 ": events of the older log were changed or removed");
  }
  std::printf("ok: the ledger's log of %s extends its log of %s: nothing before was changed\n",
              Describe(new_head).c_str(), Describe(old_head).c_str());
  return kOk;
}

// A report computed as of position P names the event hash there and the
// tree's root over 1..P (its JSON's as_of). Shows that the event hash is the
// last leaf of that tree (`inclusion`: position=P&size=P) and that the signed
// tree extends it (`consistency`: from=P&to=the head's size).
int Report(const Keys& key, const std::string& report_file, const std::string& head_file,
           const std::string& inclusion_file, const std::string& consistency_file) {
  boost::json::value report = ReadJson(report_file);
  const boost::json::value& as_of = Field(report, "as_of", report_file);
  const std::string where = report_file + ": \"as_of\"";
  const uint64_t position = Number(as_of, "position", where);
  const Hash event_hash = HashField(as_of, "hash", where);
  const Hash root = HashField(as_of, "tree_root", where);
  SignedHead head = ReadHead(head_file);
  CheckSignature(head, key, "the head in " + head_file);
  if (position == 0) throw Unusable(report_file + " was computed before the log had any event: nothing to check");
  if (head.size < position) {
    throw Failed("the signed head has " + std::to_string(head.size) + " events, fewer than the " +
                 std::to_string(position) +
                 " the report was computed from: the log was rolled back, or the head "
                 "is older than the report");
  }
  boost::json::value inclusion = ReadJson(inclusion_file);
  if (Number(inclusion, "position", inclusion_file) != position ||
      Number(inclusion, "size", inclusion_file) != position) {
    throw Unusable(inclusion_file + " is not the proof of position " + std::to_string(position) + " in the tree of " +
                   std::to_string(position) + " events");
  }
  if (!VerifyInclusion(position - 1, position, LeafHash(View(event_hash)), ProofField(inclusion, inclusion_file),
                       root)) {
    throw Failed(
        "the report's event hash is not the last leaf of the tree whose root it names: its as_of was "
        "altered");
  }
  boost::json::value consistency = ReadJson(consistency_file);
  if (Number(consistency, "from", consistency_file) != position ||
      Number(consistency, "to", consistency_file) != head.size) {
    throw Unusable(consistency_file + " is a proof between other sizes than the report's (" + std::to_string(position) +
                   ") and the head's (" + std::to_string(head.size) + ")");
  }
  const bool extends = head.size == position ? root == head.root
                                             : VerifyConsistency(position, head.size, root, head.root,
                                                                 ProofField(consistency, consistency_file));
  if (!extends) {
    throw Failed("the signed tree of " + std::to_string(head.size) +
                 " events does not extend the log the report was computed from: the report or the log was "
                 "changed");
  }
  std::printf("ok: %s was computed from the first %llu events of the ledger's signed log of %s\n", report_file.c_str(),
              static_cast<unsigned long long>(position), Describe(head).c_str());
  return kOk;
}

constexpr const char* kUsageText =
    "usage:\n"
    "  ledger-verifier head --key KEY --head HEAD.json\n"
    "  ledger-verifier claim --key KEY --proof CLAIM_PROOF.json [--head HEAD.json]\n"
    "  ledger-verifier consistency --key KEY --old HEAD.json --new HEAD.json --proof CONSISTENCY.json\n"
    "  ledger-verifier report --key KEY --report REPORT.json --head HEAD.json --inclusion INCLUSION.json\n"
    "                  --consistency CONSISTENCY.json\n"
    "KEY: the ledger's public key in hex, or a file saved from GET /api/v1/ledger/public-key.\n"
    "Every check also takes --rotations PUBLIC_KEY.json (a newer GET /api/v1/ledger/public-key): heads signed\n"
    "by a key that KEY endorsed, rotation by rotation, are then the ledger's too.\n"
    "HEAD.json: saved from GET /api/v1/ledger/heads, or a payment run from GET /api/v1/payment-runs/{id}\n"
    "(the signed head it was computed from); CLAIM_PROOF.json from GET /api/v1/claims/{id}/proof;\n"
    "CONSISTENCY.json from GET /api/v1/ledger/proofs/consistency?from=OLD_SIZE&to=NEW_SIZE (for a report:\n"
    "from=ITS_POSITION&to=THE_HEAD_SIZE); REPORT.json from GET /api/v1/reports/{name}; INCLUSION.json from\n"
    "GET /api/v1/ledger/proofs/inclusion?position=ITS_POSITION&size=ITS_POSITION.\n"
    "Exit 0 when every check holds, 1 when one fails, 2 for a bad command line or file.\n";

int Usage(const std::string& problem) {
  std::fprintf(stderr, "ledger-verifier: %s\n%s", problem.c_str(), kUsageText);
  return kUsage;
}

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) {
    std::fprintf(stderr, "ledger-verifier: libsodium failed to initialise\n");
    return kFailed;
  }
  if (argc < 2) return Usage("name a check: head, claim, consistency or report");
  const std::string command = argv[1];
  if (command == "--help" || command == "-h") {
    std::fputs(kUsageText, stdout);
    return kOk;
  }
  std::map<std::string, std::string> options;
  for (int i = 2; i < argc; i += 2) {
    const std::string name = argv[i];
    if (name.rfind("--", 0) != 0 || i + 1 >= argc) return Usage("expected --NAME VALUE pairs, got " + name);
    options[name.substr(2)] = argv[i + 1];
  }
  auto option = [&](const char* name) -> std::string {
    auto it = options.find(name);
    return it == options.end() ? "" : it->second;
  };
  try {
    if (option("key").empty()) return Usage("--key is required");
    const Keys key = TrustedKeys(ReadKey(option("key")), option("rotations"));
    if (command == "head") {
      if (option("head").empty()) return Usage("head needs --head");
      return Head(key, option("head"));
    }
    if (command == "claim") {
      if (option("proof").empty()) return Usage("claim needs --proof");
      return Claim(key, option("proof"), option("head"));
    }
    if (command == "report") {
      if (option("report").empty() || option("head").empty() || option("inclusion").empty() ||
          option("consistency").empty())
        return Usage("report needs --report, --head, --inclusion and --consistency");
      return Report(key, option("report"), option("head"), option("inclusion"), option("consistency"));
    }
    if (command == "consistency") {
      if (option("old").empty() || option("new").empty() || option("proof").empty())
        return Usage("consistency needs --old, --new and --proof");
      return Consistency(key, option("old"), option("new"), option("proof"));
    }
    return Usage("unknown check '" + command + "'");
  } catch (const Failed& e) {
    std::fprintf(stderr, "ledger-verifier: FAILED: %s\n", e.what());
    return kFailed;
  } catch (const Unusable& e) {
    std::fprintf(stderr, "ledger-verifier: %s\n", e.what());
    return kUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ledger-verifier: %s\n", e.what());
    return kUsage;
  }
}

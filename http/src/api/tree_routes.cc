// The log's Merkle tree for auditors (docs/auditing.md): the key tree heads
// are signed with, the signed tree head, and RFC 9162 inclusion and
// consistency proofs. Every hash is lowercase hex.
#include <optional>
#include <string>
#include <vector>

#include "api_support.h"
#include "bodies.h"
#include "ledger/app/tree_heads.h"
#include "ledger/http/api.h"
#include "ledger/http/problem.h"

namespace ledger::http {
namespace {

// The size a proof is asked for: ?NAME=, else the current tree's.
std::optional<uint64_t> SizeParam(Call& call, ApiDeps& deps, const std::string& name, std::optional<Response>* bad) {
  auto size = api::QueryNumber(call, name, UINT64_MAX / 2, bad);
  if (*bad || size) return size;
  auto tree = deps.ledger.store().GetTreeHead();
  if (!tree.ok()) {
    *bad = api::TreeProblem(tree.status());
    return std::nullopt;
  }
  return tree->size;
}

// GET /api/v1/ledger/public-key: public, so anyone can check a signed head.
Response PublicKey(Call&, ApiDeps& deps) {
  auto key = deps.ledger.public_key();
  if (!key) return ToResponse(problems::Unavailable());
  auto rotations = app::KeyRotationsJson(deps.ledger.store());
  if (!rotations.ok()) return ProblemResponse(rotations.status());
  return Response::Json(200, wire::Checked<api::bodies::PublicKey>(app::PublicKeyJson(*key, std::move(*rotations))));
}

// GET /api/v1/ledger/heads: the tree head over the current head, signed.
Response Heads(Call&, ApiDeps& deps) {
  auto head = deps.ledger.SignedHead();
  if (!head.ok()) return api::TreeProblem(head.status());
  return Response::Json(200, wire::Checked<api::bodies::SignedTreeHead>(app::SignedTreeHeadJson(*head)));
}

// GET /api/v1/ledger/proofs/inclusion?position=P[&size=N]
Response InclusionProof(Call& call, ApiDeps& deps) {
  std::optional<Response> bad;
  auto position = api::QueryNumber(call, "position", UINT64_MAX / 2, &bad);
  if (bad) return *bad;
  if (!position) return ToResponse(problems::BadRequest("Give the position of the event to prove: ?position=N."));
  auto size = SizeParam(call, deps, "size", &bad);
  if (bad) return *bad;
  auto proof = app::InclusionProofJson(deps.ledger.store(), *position, *size);
  if (!proof.ok()) return api::TreeProblem(proof.status());
  return Response::Json(200, wire::Checked<api::bodies::InclusionProof>(*proof));
}

// GET /api/v1/ledger/proofs/consistency?from=M[&to=N]
Response ConsistencyProof(Call& call, ApiDeps& deps) {
  std::optional<Response> bad;
  auto from = api::QueryNumber(call, "from", UINT64_MAX / 2, &bad);
  if (bad) return *bad;
  if (!from) return ToResponse(problems::BadRequest("Give the size of the earlier tree: ?from=M."));
  auto to = SizeParam(call, deps, "to", &bad);
  if (bad) return *bad;
  auto proof = app::ConsistencyProofJson(deps.ledger.store(), *from, *to);
  if (!proof.ok()) return api::TreeProblem(proof.status());
  return Response::Json(200, wire::Checked<api::bodies::ConsistencyProof>(*proof));
}

}  // namespace

std::vector<Route> TreeRoutes(ApiDeps& deps) {
  auto bind = [&deps](Response (*fn)(Call&, ApiDeps&)) -> Handler {
    return [fn, &deps](Call& call) { return fn(call, deps); };
  };
  return {
      {"GET", "/api/v1/ledger/public-key", Access::Public(), bind(PublicKey)},
      // Anyone signed in: a claim's proof (GET /api/v1/claims/{id}/proof) embeds the same head.
      {"GET", "/api/v1/ledger/heads", Access::SignedIn(), bind(Heads)},
      {"GET", "/api/v1/ledger/proofs/inclusion", Access::For(core::Action::kVerifyLog), bind(InclusionProof)},
      {"GET", "/api/v1/ledger/proofs/consistency", Access::For(core::Action::kVerifyLog), bind(ConsistencyProof)},
  };
}

}  // namespace ledger::http

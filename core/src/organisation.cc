#include "ledger/core/organisation.h"

#include <algorithm>

#include "decide_support.h"
#include "ledger/core/domain.h"
#include "ledger/core/streams.h"
#include "variant_util.h"

namespace ledger::core {
namespace {

using internal::Overloaded;

void InsertListSize(std::vector<ListSize>& sizes, ListSize size) {
  auto it = std::lower_bound(sizes.begin(), sizes.end(), size.effective_from,
                             [](const ListSize& s, Date d) { return s.effective_from < d; });
  if (it != sizes.end() && it->effective_from == size.effective_from) {
    *it = size;
  } else {
    sizes.insert(it, size);
  }
}

OrgState Registered(const OrganisationRegistered& e) {
  OrgState s;
  s.exists = true;
  s.code = e.code;
  s.name = e.name;
  s.kind = e.kind;
  s.commissioner_code = e.kind == OrgKind::kCommissioner ? e.code : e.commissioner_code;
  s.postcode = e.postcode;
  s.approval_mode = e.approval_mode;
  s.members = e.members;
  return s;
}

}  // namespace

std::string_view ApprovalModeName(ApprovalMode mode) {
  return mode == ApprovalMode::kMultiLevel ? "multi" : "single";
}

std::optional<ApprovalMode> ParseApprovalMode(std::string_view text) {
  if (text == "single") return ApprovalMode::kSingleLevel;
  if (text == "multi") return ApprovalMode::kMultiLevel;
  return std::nullopt;
}

std::optional<int64_t> OrgState::ListSizeAt(Date date) const {
  std::optional<int64_t> found;
  for (const ListSize& s : list_sizes) {
    if (s.effective_from > date) break;
    found = s.patients;
  }
  return found;
}

OrgState EvolveOrganisation(OrgState state, const OrgEvent& event) {
  std::visit(Overloaded{
                 [&](const OrganisationRegistered& e) { state = Registered(e); },
                 [&](const ProviderConfigured& e) {
                   state.approval_mode = e.approval_mode;
                   state.members = e.members;
                 },
                 [&](const ListSizeRecorded& e) { InsertListSize(state.list_sizes, {e.effective_from, e.patients}); },
                 [&](const CommissionerConfigured& e) {
                   state.finance_threshold_pence = e.finance_threshold_pence;
                   state.uses_finance_role = e.uses_finance_role;
                 },
             },
             event);
  return state;
}

std::vector<std::string> StreamsForOrganisation(const OrgCommand& command) {
  return std::visit(Overloaded{
                        [](const RegisterOrganisation& c) {
                          std::vector<std::string> out{OrgStream(c.code)};
                          if (!c.commissioner_code.empty()) out.push_back(OrgStream(c.commissioner_code));
                          for (const auto& m : c.members) out.push_back(OrgStream(m));
                          return out;
                        },
                        [](const ConfigureProvider& c) {
                          std::vector<std::string> out{OrgStream(c.code)};
                          for (const auto& m : c.members) out.push_back(OrgStream(m));
                          return out;
                        },
                        [](const auto& c) { return std::vector<std::string>{OrgStream(c.code)}; },
                    },
                    command);
}

Outcome<Decision> DecideOrganisation(const CommandMeta&, const OrgCommand&, const Loaded&) {
  return Rejection::Conflict("not_implemented", "Not available yet.");
}

}  // namespace ledger::core

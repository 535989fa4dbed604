// Organisations: the ones visible to me, one organisation with its list sizes
// and finance settings; commissioners register and configure their providers,
// the operator registers commissioners.
#include "admin_support.h"
#include "bodies.h"
#include "ledger/core/streams.h"
#include "ledger/http/problem.h"

namespace ledger::http {
namespace {

using core::Action;

boost::json::object OrgJson(const core::OrgState& o) {
  boost::json::array sizes;
  for (const core::ListSize& s : o.list_sizes)
    sizes.push_back({{"effective_from", s.effective_from.ToString()}, {"patients", s.patients}});
  boost::json::array members;
  for (const std::string& m : o.members) members.emplace_back(m);
  boost::json::object out{
      {"code", o.code},
      {"name", o.name},
      {"kind", core::OrgKindName(o.kind)},
      {"commissioner_code", o.commissioner_code},
      {"postcode", o.postcode},
      {"members", std::move(members)},
      {"list_sizes", std::move(sizes)},
  };
  if (core::IsProvider(o.kind)) out["approval_mode"] = core::ApprovalModeName(o.approval_mode);
  if (o.kind == core::OrgKind::kCommissioner) {
    out["finance_threshold_pence"] = o.finance_threshold_pence;
    out["uses_finance_role"] = o.uses_finance_role;
  }
  return wire::Checked<api::bodies::Organisation>(out).as_object();
}

std::optional<core::OrgState> LoadOrg(Call& call, ApiDeps& deps, uint64_t* version, Response* answer) {
  const std::string& code = call.Param("code");
  if (!core::IsValidId(code)) {
    *answer = api::NotFound();
    return std::nullopt;
  }
  auto org = api::LoadState<core::OrgState>(
      deps, core::OrgStream(code), version, answer, [](const core::OrgState& o) { return o.exists; },
      api::ReadFromFor(call));
  if (!org) return std::nullopt;
  if (auto denied = call.AuthorizeScope(core::ScopeOf(*org))) {
    *answer = std::move(*denied);
    return std::nullopt;
  }
  return org;
}

// The organisation as the command left it.
Response OrgNow(ApiDeps& deps, const app::Executed& executed, const std::string& code, int status = 200) {
  uint64_t version = 0;
  Response answer;
  auto org = api::StateAfter<core::OrgState>(deps, executed, core::OrgStream(code), &version, &answer,
                                             [](const core::OrgState& o) { return o.exists; });
  if (!org) return answer;
  Response r = api::VersionedJson(status, OrgJson(*org), version);
  if (status == 201) r.Set("Location", "/api/v1/organisations/" + code);
  return r;
}

// The organisations of one commissioner the caller may see.
Response ListOrganisations(Call& call, ApiDeps& deps, bool providers_only) {
  const core::Principal& who = call.principal();
  projections::ReportParams params;
  if (auto bad = api::ListCommissioner(call, &params.scope)) return *bad;
  boost::json::array rows;
  if (auto bad = api::ReportRows(deps, "organisations", params, &rows)) return *bad;
  boost::json::array visible;
  for (boost::json::value& row : rows) {
    const boost::json::object& o = row.as_object();
    std::string code(o.at("code").as_string()), kind(o.at("kind").as_string());
    bool provider = kind != "commissioner" && kind != "system";
    if (providers_only && !provider) continue;
    core::Scope scope{provider ? code : "", std::string(o.at("commissioner").as_string()), code};
    if (call.context().authorize(who, call.route().access.action, scope).allowed) visible.push_back(std::move(row));
  }
  boost::json::object body{{"commissioner", params.scope},
                           {providers_only ? "providers" : "organisations", std::move(visible)}};
  return Response::Json(200, providers_only ? wire::Checked<api::bodies::ProviderList>(body)
                                            : wire::Checked<api::bodies::OrganisationList>(body));
}

Response ListAll(Call& call, ApiDeps& deps) { return ListOrganisations(call, deps, false); }
Response ListProviders(Call& call, ApiDeps& deps) { return ListOrganisations(call, deps, true); }

Response GetOrganisation(Call& call, ApiDeps& deps) {
  uint64_t version = 0;
  Response answer;
  auto org = LoadOrg(call, deps, &version, &answer);
  if (!org) return answer;
  return api::VersionedJson(200, OrgJson(*org), version);
}

core::ApprovalMode ModeNamed(const std::string& name) {
  return core::ParseApprovalMode(name).value_or(core::ApprovalMode::kSingleLevel);  // checked by the body's enum
}

// POST /api/v1/providers {code, name, kind, postcode, approval_mode?, members?, commissioner_code?}
// POST /api/v1/organisations {code, name, postcode}: the operator registers a commissioner.
Response Register(Call& call, ApiDeps& deps, bool provider) {
  JsonInput in(call.request());
  if (auto bad = in.Open()) return *bad;
  core::RegisterOrganisation c;
  if (provider) {
    auto body = wire::Read<api::bodies::Provider>(in.body());
    c.code = body.code;
    c.name = body.name;
    c.postcode = body.postcode.value_or("");
    c.kind = wire::EnumFrom(core::OrgKindName, core::OrgKind::kPractice, core::OrgKind::kFederation,
                            body.kind.value_or("practice"))
                 .value_or(core::OrgKind::kPractice);
    c.approval_mode = ModeNamed(body.approval_mode.value_or("single"));
    c.members = body.members.value_or(std::vector<std::string>{});
    c.commissioner_code = body.commissioner_code.value_or(call.principal().org_code);
  } else {
    auto body = wire::Read<api::bodies::Commissioner>(in.body());
    c.code = body.code;
    c.name = body.name;
    c.postcode = body.postcode.value_or("");
    c.kind = core::OrgKind::kCommissioner;
  }
  if (!c.code.empty() && !core::IsValidId(c.code)) in.Fail("code", "invalid", "Enter an ODS code.");
  if (auto bad = in.Finish()) return *bad;
  app::Executed executed;
  if (auto failed = api::Execute(call, deps, "", 0, c, &executed)) return *failed;
  return OrgNow(deps, executed, c.code, 201);
}

Response RegisterProvider(Call& call, ApiDeps& deps) { return Register(call, deps, true); }
Response RegisterCommissioner(Call& call, ApiDeps& deps) { return Register(call, deps, false); }

// PUT /api/v1/providers/{code} {approval_mode, members?}
Response ConfigureProvider(Call& call, ApiDeps& deps) {
  JsonInput in(call.request());
  if (auto bad = in.Open()) return *bad;
  uint64_t version = 0;
  Response answer;
  auto org = LoadOrg(call, deps, &version, &answer);
  if (!org) return answer;
  core::ConfigureProvider c{org->code, org->approval_mode, org->members};
  auto body = wire::Read<api::bodies::ProviderSettings>(in.body());
  c.approval_mode = ModeNamed(body.approval_mode);
  if (body.members) c.members = *body.members;
  if (auto bad = in.Finish()) return *bad;
  app::Executed executed;
  if (auto failed = api::Execute(call, deps, core::OrgStream(org->code), version, c, &executed, *org)) return *failed;
  return OrgNow(deps, executed, org->code);
}

// Reads a Body, then runs the command `make(org, body)` on the organisation
// named by {code}, at the version it was read at; answers with it as it is now.
template <typename Body, typename MakeCommand>
Response ChangeOrg(Call& call, ApiDeps& deps, MakeCommand make) {
  JsonInput in(call.request());
  if (auto bad = in.Open()) return *bad;
  Body body = wire::Read<Body>(in.body());
  if (auto bad = in.Finish()) return *bad;
  uint64_t version = 0;
  Response answer;
  auto org = LoadOrg(call, deps, &version, &answer);
  if (!org) return answer;
  app::Executed executed;
  if (auto failed = api::Execute(call, deps, core::OrgStream(org->code), version, make(*org, body), &executed, *org))
    return *failed;
  return OrgNow(deps, executed, org->code);
}

// POST /api/v1/providers/{code}/list-sizes {effective_from, patients}
Response RecordListSize(Call& call, ApiDeps& deps) {
  return ChangeOrg<api::bodies::ListSizeRequest>(call, deps, [](const core::OrgState& org, const auto& body) {
    // The date was checked as the body was read.
    return core::RecordListSize{org.code, core::Date::Parse(body.effective_from).value_or(core::Date{}), body.patients};
  });
}

// PUT /api/v1/organisations/{code}/finance {finance_threshold_pence, uses_finance_role}
Response ConfigureFinance(Call& call, ApiDeps& deps) {
  return ChangeOrg<api::bodies::FinanceSettings>(call, deps, [](const core::OrgState& org, const auto& body) {
    return core::ConfigureCommissioner{org.code, body.finance_threshold_pence, body.uses_finance_role};
  });
}

}  // namespace

std::vector<Route> OrganisationRoutes(ApiDeps& deps) {
  using api::Bind;
  return {
      {"GET", "/api/v1/organisations", Access::For(Action::kViewProviders), Bind(deps, ListAll)},
      {"POST", "/api/v1/organisations", Access::For(Action::kRegisterCommissioner), Bind(deps, RegisterCommissioner)},
      {"GET", "/api/v1/organisations/{code}", Access::For(Action::kViewProviders), Bind(deps, GetOrganisation)},
      {"PUT", "/api/v1/organisations/{code}/finance", Access::For(Action::kManageProviders),
       Bind(deps, ConfigureFinance)},
      {"GET", "/api/v1/providers", Access::For(Action::kViewProviders), Bind(deps, ListProviders)},
      {"POST", "/api/v1/providers", Access::For(Action::kManageProviders), Bind(deps, RegisterProvider)},
      {"PUT", "/api/v1/providers/{code}", Access::For(Action::kManageProviders), Bind(deps, ConfigureProvider)},
      {"POST", "/api/v1/providers/{code}/list-sizes", Access::For(Action::kManageProviders),
       Bind(deps, RecordListSize)},
  };
}

namespace api {
RouteDocs OrganisationRouteDocs() {
  namespace b = api::bodies;
  using api::SchemaOf;
  const api::QueryDoc commissioner{"commissioner", "the commissioner (the operator only; others see their own)"};
  return {
      {"GET",
       "/api/v1/organisations",
       "organisations",
       "Organisations visible to me (my commissioner's)",
       "",
       200,
       SchemaOf<b::OrganisationList>,
       {commissioner}},
      {"POST", "/api/v1/organisations", "organisations", "Register a commissioner (operator)", "Commissioner", 201,
       SchemaOf<b::Organisation>},
      {"GET", "/api/v1/organisations/{code}", "organisations", "One organisation with list sizes and settings", "", 200,
       SchemaOf<b::Organisation>},
      {"PUT", "/api/v1/organisations/{code}/finance", "organisations",
       "Configure a commissioner's finance threshold and whether it uses the Finance role", "FinanceSettings", 200,
       SchemaOf<b::Organisation>},
      {"GET",
       "/api/v1/providers",
       "organisations",
       "My commissioner's providers that I may see",
       "",
       200,
       SchemaOf<b::ProviderList>,
       {commissioner}},
      {"POST", "/api/v1/providers", "organisations", "Register a provider of my commissioner", "Provider", 201,
       SchemaOf<b::Organisation>},
      {"PUT", "/api/v1/providers/{code}", "organisations", "Configure a provider's approval mode and members",
       "ProviderSettings", 200, SchemaOf<b::Organisation>},
      {"POST", "/api/v1/providers/{code}/list-sizes", "organisations", "Record a provider's registered list size",
       "ListSize", 200, SchemaOf<b::Organisation>},
  };
}
}  // namespace api

}  // namespace ledger::http

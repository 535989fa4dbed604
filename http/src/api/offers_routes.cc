// Offers: a commissioner offers a published service to one or many providers
// (one command each, answered per provider); the provider accepts or
// declines; the commissioner withdraws a pending offer.
#include <boost/json/parse.hpp>

#include <type_traits>

#include "admin_support.h"
#include "bodies.h"
#include "ledger/core/streams.h"
#include "ledger/http/concurrency.h"
#include "ledger/http/problem.h"

namespace ledger::http {
namespace {

using core::Action;

boost::json::object OfferJson(const core::OfferState& o) {
  boost::json::array windows;
  for (const core::ParticipationWindow& w : o.participation)
    windows.push_back({{"start", w.start.ToString()}, {"end", w.end.ToString()}});
  return wire::Checked<api::bodies::Offer>(boost::json::object{{"service_id", o.service_id},
                                                               {"provider", o.provider},
                                                               {"commissioner", o.commissioner},
                                                               {"status", core::OfferStatusName(o.status)},
                                                               {"start", o.start.ToString()},
                                                               {"end", o.end.ToString()},
                                                               {"respond_by", o.respond_by.ToString()},
                                                               {"participation", std::move(windows)}})
      .as_object();
}

bool Exists(const core::OfferState& o) { return o.status != core::OfferStatus::kNone; }

std::string OfferPath(const std::string& service, const std::string& provider) {
  return "/api/v1/offers/" + service + "/" + provider;
}

// The offer named by {service}/{provider}: visible to its provider, its
// commissioner and the system; writes re-apply the route's action.
std::optional<core::OfferState> LoadOffer(Call& call, ApiDeps& deps, uint64_t* version, Response* answer) {
  const std::string& service = call.Param("service");
  const std::string& provider = call.Param("provider");
  if (!core::IsValidId(service) || !core::IsValidId(provider)) {
    *answer = api::NotFound();
    return std::nullopt;
  }
  auto offer = api::LoadState<core::OfferState>(deps, core::OfferStream(service, provider), version, answer, Exists,
                                                api::ReadFromFor(call));
  if (!offer) return std::nullopt;
  const core::Principal& who = call.principal();
  bool party = who.org_kind == core::OrgKind::kSystem || who.org_code == offer->provider ||
               who.org_code == offer->commissioner;
  if (!party) {
    *answer = api::NotFound();
    return std::nullopt;
  }
  if (call.route().access.action != Action::kViewServices) {
    if (auto denied = call.AuthorizeScope(core::ScopeOf(*offer))) {
      *answer = std::move(*denied);
      return std::nullopt;
    }
  }
  return offer;
}

// The offer as the command left it.
Response OfferNow(ApiDeps& deps, const app::Executed& executed, const std::string& service,
                  const std::string& provider) {
  uint64_t version = 0;
  Response answer;
  auto offer = api::StateAfter<core::OfferState>(deps, executed, core::OfferStream(service, provider), &version,
                                                 &answer, Exists);
  if (!offer) return answer;
  return api::VersionedJson(200, OfferJson(*offer), version);
}

// POST /api/v1/services/{id}/offers {providers: [...], start, end, respond_by}
Response CreateOffers(Call& call, ApiDeps& deps) {
  JsonInput in(call.request());
  if (auto bad = in.Open()) return *bad;
  auto body = wire::Read<api::bodies::OfferRequest>(in.body());
  const std::vector<std::string>& providers = body.providers;
  core::Date start = core::Date::Parse(body.start).value_or(core::Date{});
  core::Date end = core::Date::Parse(body.end).value_or(core::Date{});
  core::Date respond_by = core::Date::Parse(body.respond_by).value_or(core::Date{});
  for (const std::string& p : providers)
    if (!core::IsValidId(p)) in.Fail("providers", "invalid", "Use providers' ODS codes.");
  if (auto bad = in.Finish()) return *bad;
  const std::string& service = call.Param("id");
  if (!core::IsValidId(service)) return api::NotFound();
  {
    // Only the service's commissioners (owner or shared) may offer it; others see the same 404.
    Response answer;
    auto state = api::LoadState<core::ServiceState>(deps, core::ServiceStream(service), nullptr, &answer,
                                                    [](const core::ServiceState& s) {
                                                      return s.status != core::ServiceStatus::kNone;
                                                    });
    if (!state) return answer;
    const core::Principal& who = call.principal();
    if (who.org_kind != core::OrgKind::kSystem && !core::MayOffer(*state, who.org_code)) return api::NotFound();
  }

  api::CommandSetup base;
  if (auto bad = api::Prepare(call, deps, "", 0, &base)) return *bad;
  base.options.precondition.reset();
  boost::json::array results;
  size_t created = 0;
  for (const std::string& provider : providers) {
    api::CommandSetup setup = base;
    setup.meta.command_id += "." + provider;  // one command per provider, each retry-safe
    auto outcome = api::Run(deps, core::OfferService{service, provider, start, end, respond_by}, setup);
    boost::json::object result{{"provider", provider}};
    if (auto* answer = std::get_if<Response>(&outcome)) {
      result["status"] = answer->status;
      result["problem"] = boost::json::parse(answer->body);
    } else {
      ++created;
      result["status"] = 201;
      result["href"] = OfferPath(service, provider);
    }
    results.push_back(std::move(result));
  }
  // 201 when every offer was made; otherwise 207 with each provider's answer.
  int status = created == providers.size() ? 201 : 207;
  return Response::Json(status, wire::Checked<api::bodies::OffersMade>(
                                    boost::json::object{{"service_id", service},
                                                        {"created", created},
                                                        {"failed", providers.size() - created},
                                                        {"results", std::move(results)}}));
}

// GET /api/v1/offers?service=&provider=: a provider's own offers; a
// commissioner's offers with the providers' responses.
Response ListOffers(Call& call, ApiDeps& deps) {
  const core::Principal& who = call.principal();
  projections::ReportParams params;
  if (auto bad = api::ListCommissioner(call, &params.scope)) return *bad;
  if (std::string service = call.Query("service"); !service.empty()) params.filters["service"] = service;
  if (std::string provider = call.Query("provider"); !provider.empty()) params.filters["provider"] = provider;
  if (core::IsProvider(who.org_kind)) params.filters["provider"] = who.org_code;
  boost::json::array offers;
  if (auto bad = api::ReportRows(deps, "offers", params, &offers)) return *bad;
  return Response::Json(200, wire::Checked<api::bodies::OfferList>(boost::json::object{{"offers", std::move(offers)}}));
}

Response GetOffer(Call& call, ApiDeps& deps) {
  uint64_t version = 0;
  Response answer;
  auto offer = LoadOffer(call, deps, &version, &answer);
  if (!offer) return answer;
  return api::VersionedJson(200, OfferJson(*offer), version);
}

enum class Reason { kNone, kOptional, kRequired };

template <typename Command>
Handler Respond(ApiDeps& deps, Reason reason_rule) {
  return [&deps, reason_rule](Call& call) -> Response {
    std::string reason;
    if (!call.request().body.empty() || reason_rule == Reason::kRequired) {
      if (call.request().body.empty())
        return ToResponse(
            problems::Validation("The request has problems.", {{"reason", "required", "Give a reason."}}));
      JsonInput in(call.request());
      if (auto bad = in.Open()) return *bad;
      if (reason_rule == Reason::kRequired) reason = wire::Read<api::bodies::Reason>(in.body()).reason;
      if (reason_rule == Reason::kOptional) {
        reason = wire::Read<api::bodies::OptionalReason>(in.body()).reason.value_or("");
      }
      if (auto bad = in.Finish()) return *bad;
    }
    uint64_t version = 0;
    Response answer;
    auto offer = LoadOffer(call, deps, &version, &answer);
    if (!offer) return answer;
    Command command{offer->service_id, offer->provider};
    if constexpr (!std::is_same_v<Command, core::AcceptOffer>) command.reason = reason;
    app::Executed executed;
    if (auto failed = api::Execute(call, deps, core::OfferStream(offer->service_id, offer->provider), version, command,
                                   &executed, *offer))
      return *failed;
    return OfferNow(deps, executed, offer->service_id, offer->provider);
  };
}

}  // namespace

std::vector<Route> OfferRoutes(ApiDeps& deps) {
  using api::Bind;
  const std::string offer = "/api/v1/offers/{service}/{provider}";
  return {
      {"POST", "/api/v1/services/{id}/offers", Access::For(Action::kManageOffers), Bind(deps, CreateOffers),
       256 * kKiB},
      {"GET", "/api/v1/offers", Access::For(Action::kViewServices), Bind(deps, ListOffers)},
      {"GET", offer, Access::For(Action::kViewServices), Bind(deps, GetOffer)},
      {"POST", offer + "/accept", Access::For(Action::kRespondToOffer),
       Respond<core::AcceptOffer>(deps, Reason::kNone)},
      {"POST", offer + "/decline", Access::For(Action::kRespondToOffer),
       Respond<core::DeclineOffer>(deps, Reason::kRequired)},
      {"POST", offer + "/withdraw", Access::For(Action::kManageOffers),
       Respond<core::WithdrawOffer>(deps, Reason::kOptional)},
  };
}

namespace api {
RouteDocs OfferRouteDocs() {
  namespace b = api::bodies;
  using api::SchemaOf;
  const std::string offer = "/api/v1/offers/{service}/{provider}";
  return {
      {"POST", "/api/v1/services/{id}/offers", "offers",
       "Offer a service to one or many providers: one command each; 201 when all were made, else 207 with each "
       "provider's answer",
       "OfferRequest", 201, SchemaOf<b::OffersMade>},
      {"GET",
       "/api/v1/offers",
       "offers",
       "Offers: a provider's own; a commissioner's with responses",
       "",
       200,
       SchemaOf<b::OfferList>,
       {{"service", "only this service"},
        {"provider", "only this provider"},
        {"commissioner", "the commissioner (the operator only; others see their own)"}}},
      {"GET", offer, "offers", "One offer and its participation windows", "", 200, SchemaOf<b::Offer>},
      {"POST", offer + "/accept", "offers", "Accept an offer (provider Administrator)", "", 200, SchemaOf<b::Offer>},
      {"POST", offer + "/decline", "offers", "Decline an offer with a reason", "Reason", 200, SchemaOf<b::Offer>},
      {"POST", offer + "/withdraw", "offers", "Withdraw a pending offer (commissioner)", "OptionalReason", 200,
       SchemaOf<b::Offer>},
  };
}
}  // namespace api

}  // namespace ledger::http

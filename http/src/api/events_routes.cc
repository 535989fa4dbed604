// Auditors' view of the log: envelopes as JSON, a live Server-Sent Events
// tail resumable with Last-Event-ID, and the hash chain check.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <memory>
#include <mutex>
#include <vector>

#include "api_support.h"
#include "bodies.h"
#include "ledger/app/event_json.h"
#include "ledger/app/event_visibility.h"
#include "ledger/http/api.h"
#include "ledger/http/problem.h"
#include "ledger/http/sse_hub.h"

namespace ledger::http {

namespace {

std::shared_ptr<app::EventVisibility> VisibilityFor(Call& call, ApiDeps& deps) {
  return std::make_shared<app::EventVisibility>(deps.ledger, call.principal(), call.context().authorize);
}

// GET /api/v1/events?from=&limit=
Response ListEvents(Call& call, ApiDeps& deps) {
  std::optional<Response> bad;
  uint64_t from = api::QueryNumber(call, "from", UINT64_MAX / 2, &bad).value_or(1);
  if (bad) return *bad;
  uint64_t limit = api::QueryNumber(call, "limit", 1000, &bad).value_or(100);
  if (bad) return *bad;
  if (from == 0) from = 1;
  if (limit == 0) limit = 1;
  auto envelopes = deps.ledger.store().ReadAll(from, limit);
  if (!envelopes.ok()) return ProblemResponse(envelopes.status());
  auto visibility = VisibilityFor(call, deps);
  boost::json::array events;
  uint64_t next = from;
  for (const es::Envelope& e : *envelopes) {
    next = e.position + 1;
    if (visibility->Visible(e)) events.push_back(app::EnvelopeJson(e));
  }
  es::Head head = deps.ledger.store().GetHead();
  boost::json::object body{{"events", std::move(events)}, {"next_from", next}, {"head", head.position}};
  return Response::Json(200, wire::Checked<api::bodies::EventPage>(body));
}

// GET /api/v1/events/stream?from= (or Last-Event-ID: resume after it)
Response StreamEvents(Call& call, ApiDeps& deps) {
  uint64_t from = 0;
  std::string_view last = call.request().Header("last-event-id");
  if (!last.empty()) {
    uint64_t id = 0;
    auto [end, ec] = std::from_chars(last.data(), last.data() + last.size(), id);
    if (ec != std::errc() || end != last.data() + last.size())
      return ToResponse(problems::BadRequest("Last-Event-ID must be the id of an event sent before."));
    from = id + 1;
  } else {
    std::optional<Response> bad;
    auto asked = api::QueryNumber(call, "from", UINT64_MAX / 2, &bad);
    if (bad) return *bad;
    from = asked ? std::max<uint64_t>(*asked, 1) : deps.ledger.store().GetHead().position + 1;
  }
  auto visibility = VisibilityFor(call, deps);
  ApiDeps* d = &deps;
  return Response::Stream([d, from, visibility](const std::shared_ptr<SseWriter>& writer) {
    d->streams->Open(d->ledger.store(), writer, from, visibility);
  });
}

// GET /api/v1/verify
Response Verify(Call&, ApiDeps& deps) {
  auto report = deps.ledger.store().Verify(1, 0);
  if (!report.ok()) return ProblemResponse(report.status());
  api::bodies::Verify body{.ok = report->ok,
                           .events_checked = report->events_checked,
                           .head = {.position = report->head.position, .hash = es::HashToHex(report->head.hash)}};
  if (!report->ok) {
    body.first_bad_position = report->first_bad_position;
    body.problem = report->problem;
    body.column_family = report->column_family;
    body.key = report->key;
  }
  return Response::Json(200, wire::ToJson(body));
}

}  // namespace

std::vector<Route> EventRoutes(ApiDeps& deps) {
  auto bind = [&deps](Response (*fn)(Call&, ApiDeps&)) -> Handler {
    return [fn, &deps](Call& call) { return fn(call, deps); };
  };
  return {
      {"GET", "/api/v1/events", Access::For(core::Action::kViewEvents), bind(ListEvents)},
      {"GET", "/api/v1/events/stream", Access::For(core::Action::kViewEvents), bind(StreamEvents)},
      {"GET", "/api/v1/verify", Access::For(core::Action::kVerifyLog), bind(Verify)},
  };
}

}  // namespace ledger::http

// The portal's live-refresh stream: GET /live/stream, Server-Sent Events that
// tell a signed-in page which claims just changed, so app.js can fetch the page
// again and swap its live regions.
//
// Unlike the auditors' /api/v1/events/stream (whole envelopes, kViewEvents),
// this stream is for every role that may view claims and says as little as it
// can: one unnamed message per event on a claim stream the viewer may view
// (kViewClaim on the claim's provider and commissioner, the rule the claim page
// uses), with data {"stream_id": "claim-<id>"} and the log position as its id.
// Nothing about other organisations' claims, and nothing but the id.
#include <charconv>
#include <memory>
#include <optional>
#include <string>

#include <boost/json/serialize.hpp>
#include <utility>

#include "ledger/app/event_visibility.h"
#include "ledger/core/streams.h"
#include "ledger/eventstore/event_store.h"
#include "portal_internal.h"

namespace ledger::http::portal {
namespace {

// Where the stream starts: after the Last-Event-ID the browser resends when it
// reconnects, else at the next event to be appended.
uint64_t StartPosition(const Request& request, es::EventStore& store) {
  uint64_t head = store.GetHead().position;
  std::string_view last = request.Header("last-event-id");
  uint64_t id = 0;
  auto [end, ec] = std::from_chars(last.data(), last.data() + last.size(), id);
  if (last.empty() || ec != std::errc() || end != last.data() + last.size() || id > head) return head + 1;
  return id + 1;
}

Response LiveStream(Page& page) {
  es::EventStore* store = &page.portal().deps().ledger->store();
  uint64_t from = StartPosition(page.call().request(), *store);
  auto visibility = std::make_shared<app::EventVisibility>(page.ledger(), page.who(), page.call().context().authorize,
                                                           core::Action::kViewClaim);
  SseFrameFor frame_for = [visibility](const es::Envelope& e) -> std::optional<SseFrame> {
    if (core::KindOfStream(e.stream_id) != core::StreamKind::kClaim || !visibility->Visible(e)) return std::nullopt;
    return SseFrame{std::to_string(e.position), "", json::serialize(json::object{{"stream_id", e.stream_id}})};
  };
  Portal* portal = &page.portal();
  Response r = Response::Stream([portal, store, from, frame_for](const std::shared_ptr<SseWriter>& writer) {
    portal->live_streams().Open(*store, writer, from, frame_for);
  });
  r.Set("Cache-Control", "no-store");
  return r;
}

}  // namespace

void AddLiveRoutes(const std::shared_ptr<Portal>& p, std::vector<Route>& routes) {
  routes.push_back(PageRoute(p, "GET", "/live/stream", core::Action::kViewClaim, LiveStream));
}

}  // namespace ledger::http::portal

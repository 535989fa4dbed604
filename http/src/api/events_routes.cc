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
#include "ledger/app/event_json.h"
#include "ledger/app/event_visibility.h"
#include "ledger/http/api.h"
#include "ledger/http/problem.h"
#include "ledger/http/sse_hub.h"

namespace ledger::http {

// ---- SseHub -------------------------------------------------------------------

struct SseHub::Stream {
  std::shared_ptr<SseWriter> writer;
  std::unique_ptr<es::Subscription> subscription;
  std::atomic<bool> closed{false};
};

SseHub::~SseHub() { StopAll(); }

void SseHub::Open(es::EventStore& store, std::shared_ptr<SseWriter> writer, uint64_t from,
                  const std::shared_ptr<app::EventVisibility>& visibility) {
  Open(store, std::move(writer), from, [visibility](const es::Envelope& e) -> std::optional<SseFrame> {
    if (!visibility->Visible(e)) return std::nullopt;
    return SseFrame{std::to_string(e.position), e.type, boost::json::serialize(app::EnvelopeJson(e))};
  });
}

void SseHub::Open(es::EventStore& store, const std::shared_ptr<SseWriter>& writer, uint64_t from,
                  SseFrameFor frame_for) {
  Reap();
  auto stream = std::make_shared<Stream>();
  stream->writer = writer;
  std::weak_ptr<Stream> weak = stream;
  writer->OnClose([weak] {
    if (auto s = weak.lock()) s->closed = true;
  });
  {
    std::lock_guard lock(mu_);
    if (stopped_) {
      writer->Close();
      return;
    }
    streams_.push_back(stream);
  }
  writer->Comment("streaming from position " + std::to_string(from));
  std::weak_ptr<Stream> weak_stream = stream;
  auto deliver = [this, weak_stream, writer,
                  frame_for = std::move(frame_for)](std::span<const es::Envelope> envelopes) {
    for (const es::Envelope& e : envelopes) {
      // Send waits while the client is behind, so the next batch is read only
      // once this one is on its way.
      if (!writer->open()) return StopReading(weak_stream);
      if (std::optional<SseFrame> frame = frame_for(e)) writer->Send(frame->id, frame->event, frame->data);
    }
  };
  auto subscription = store.Subscribe(from, std::move(deliver), kBatchEvents, kBatchBytes);
  std::lock_guard lock(mu_);
  stream->subscription = std::move(subscription);
  if (stopped_) stream->closed = true;
}

void SseHub::StopReading(const std::weak_ptr<Stream>& weak) {
  std::shared_ptr<Stream> stream = weak.lock();
  if (!stream) return;
  // Under mu_, so Reap and StopAll (which take the subscription out under
  // mu_ before joining its thread) cannot destroy it meanwhile. Stop on the
  // subscription's own thread does not join, so this does not wait.
  std::lock_guard lock(mu_);
  if (stream->subscription) stream->subscription->Stop();
}

void SseHub::Reap() {
  std::vector<std::shared_ptr<Stream>> done;
  {
    std::lock_guard lock(mu_);
    for (auto it = streams_.begin(); it != streams_.end();) {
      if ((*it)->closed || !(*it)->writer->open()) {
        done.push_back(std::move(*it));
        it = streams_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& s : done) {
    std::unique_ptr<es::Subscription> sub;
    {
      std::lock_guard lock(mu_);
      sub = std::move(s->subscription);
    }
    if (sub) sub->Stop();
  }
}

void SseHub::StopAll() {
  std::vector<std::shared_ptr<Stream>> all;
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    all.swap(streams_);
  }
  for (auto& s : all) {
    s->writer->Close();
    std::unique_ptr<es::Subscription> sub;
    {
      std::lock_guard lock(mu_);
      sub = std::move(s->subscription);
    }
    if (sub) sub->Stop();
  }
}

size_t SseHub::open_streams() {
  std::lock_guard lock(mu_);
  return streams_.size();
}

namespace {

std::shared_ptr<app::EventVisibility> VisibilityFor(Call& call, ApiDeps& deps) {
  return std::make_shared<app::EventVisibility>(deps.ledger.bus(), call.principal(), call.context().authorize);
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
  return Response::Json(200, body);
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
  return Response::Stream([d, from, visibility](std::shared_ptr<SseWriter> writer) {
    d->streams->Open(d->ledger.store(), std::move(writer), from, visibility);
  });
}

// GET /api/v1/verify
Response Verify(Call&, ApiDeps& deps) {
  auto report = deps.ledger.store().Verify(1, 0);
  if (!report.ok()) return ProblemResponse(report.status());
  boost::json::object body{
      {"ok", report->ok},
      {"events_checked", report->events_checked},
      {"head", boost::json::object{{"position", report->head.position}, {"hash", es::HashToHex(report->head.hash)}}},
  };
  if (!report->ok) {
    body["first_bad_position"] = report->first_bad_position;
    body["problem"] = report->problem;
    body["column_family"] = report->column_family;
    body["key"] = report->key;
  }
  return Response::Json(200, body);
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

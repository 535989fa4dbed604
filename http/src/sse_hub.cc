// The live tail of the log over Server-Sent Events, shared by the API's event
// stream and the portal's live refresh.
#include "ledger/http/sse_hub.h"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "ledger/app/event_json.h"
#include "ledger/app/event_visibility.h"

namespace ledger::http {

struct SseHub::Stream {
  std::shared_ptr<SseWriter> writer;
  std::unique_ptr<es::Subscription> subscription;
  std::atomic<bool> closed{false};
};

SseHub::~SseHub() { StopAll(); }

void SseHub::Open(es::EventStore& store, const std::shared_ptr<SseWriter>& writer, uint64_t from,
                  const std::shared_ptr<app::EventVisibility>& visibility) {
  Open(store, writer, from, [visibility](const es::Envelope& e) -> std::optional<SseFrame> {
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

}  // namespace ledger::http

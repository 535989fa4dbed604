// SseHub: the open event streams and their subscriptions. A stream's
// subscription is joined from a request thread (Open reaps closed streams) or
// by StopAll, never from the subscription's own thread; a subscription that
// finds its stream closed stops reading at once. Memory per stream is bounded
// whatever the length of the log: the subscription reads a batch of at most
// kBatchEvents events or kBatchBytes payload bytes and reads the next only
// when SseWriter::Send has queued it, which waits while the client is behind.
// Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ledger/eventstore/event_store.h"
#include "ledger/http/message.h"

namespace ledger::app {
class EventVisibility;
}

namespace ledger::http {

// One Server-Sent Events frame (see SseWriter::Send).
struct SseFrame {
  std::string id;
  std::string event;
  std::string data;
};
// What one stream sends for an envelope: a frame, or nullopt to send nothing.
// Called on the subscription's thread.
using SseFrameFor = std::function<std::optional<SseFrame>(const es::Envelope&)>;

class SseHub {
 public:
  SseHub() = default;
  ~SseHub();
  // Subscribes from `from` and sends every event `visibility` allows to writer:
  // the envelope as JSON, named by its event type, with its position as id.
  void Open(es::EventStore& store, const std::shared_ptr<SseWriter>& writer, uint64_t from,
            const std::shared_ptr<app::EventVisibility>& visibility);
  // Subscribes from `from` and sends what frame_for makes of each envelope.
  void Open(es::EventStore& store, const std::shared_ptr<SseWriter>& writer, uint64_t from, SseFrameFor frame_for);
  // Closes every stream and stops its subscription; later Opens close at once.
  void StopAll();
  size_t open_streams();

  static constexpr size_t kBatchEvents = 256;
  static constexpr size_t kBatchBytes = 256 * 1024;

 private:
  struct Stream;
  void StopReading(const std::weak_ptr<Stream>& stream);
  void Reap();
  std::mutex mu_;
  bool stopped_ = false;
  std::vector<std::shared_ptr<Stream>> streams_;
};

}  // namespace ledger::http

// EventVisibility: the one rule for which events of the log a person may see,
// used by every place that lists or streams events (the API's /api/v1/events
// and its stream, the portal's event log and its live-refresh stream).
//
// An event belongs to the organisations of its stream (a claim's provider and
// commissioner, an account's organisation, a service's or a payment run's
// commissioner, ...); the person sees it when the access policy allows
// `action` on that scope. Events of the system's own streams, or of streams
// that cannot be placed, belong to the operators alone. A stream's owners
// come from the read model of states (one read per stream); only a stream the
// read models have not applied yet (the live streams deliver events as they
// are written) is read from the log.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "ledger/app/ledger.h"
#include "ledger/core/access.h"
#include "ledger/eventstore/envelope.h"

namespace ledger::app {

class EventVisibility {
 public:
  // The access policy to apply (core::Authorize, or a router's wrapper of it).
  using Authorize = std::function<core::AccessDecision(const core::Principal&, core::Action, const core::Scope&)>;
  // `action` is what the person must be allowed to do to the event's
  // organisations: kViewEvents for the log itself, kViewClaim for the portal's
  // notice that a claim changed. REQUIRES: ledger outlives this object.
  EventVisibility(Ledger& ledger, core::Principal who, Authorize authorize,
                  core::Action action = core::Action::kViewEvents)
      : ledger_(ledger), who_(std::move(who)), authorize_(std::move(authorize)), action_(action) {}

  // Whether the person may see this event. Thread-safe; a stream's owners are
  // read once and remembered (they never change).
  bool Visible(const es::Envelope& envelope);

  // Stream owners are resolved once and remembered, up to this many streams at
  // a time, so what one event stream holds does not grow with the log.
  static constexpr size_t kRememberedStreams = 4096;

 private:
  core::Scope ScopeOf(const es::Envelope& envelope);
  core::Scope ScopeOfOrg(const std::string& org_code);
  // A stream's state, which names its owners (they never change).
  es::Result<core::LoadedStream> Owners(const std::string& stream_id);

  Ledger& ledger_;
  core::Principal who_;
  Authorize authorize_;
  core::Action action_;
  std::mutex mu_;
  std::map<std::string, core::Scope, std::less<>> scopes_;  // by stream id
};

// The message centre of a home page: what changed on the claims and offers
// of `who`'s organisation since the sign-in before their current one (since
// the start when there is none), as the notices read model keeps it, each
// notice shown only when EventVisibility lets `who` see its stream: a claim's
// with kViewClaim, an offer's with kRespondToOffer or kManageOffers. Newest
// first, at most `limit`, with a count of the rest.
struct Messages {
  core::Timestamp since = 0;  // 0: every notice
  projections::NoticePage page;
};
es::Result<Messages> MessagesFor(Ledger& ledger, const core::Principal& who,
                                 const EventVisibility::Authorize& authorize, size_t limit = 20);

}  // namespace ledger::app

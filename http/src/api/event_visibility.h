// Which events of the log a person may see: the policy's kViewEvents (or
// another action) applied to the organisations each event's stream belongs
// to. Streams are resolved once and remembered (their owners never change),
// up to kRememberedStreams at a time, so what an event stream holds does not
// grow with the log.
#pragma once

#include <boost/json/object.hpp>

#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "ledger/app/command_bus.h"
#include "ledger/core/access.h"
#include "ledger/eventstore/envelope.h"

namespace ledger::http::api {

class EventVisibility {
 public:
  // authorize is the router's policy (Context::authorize).
  using Authorize = std::function<core::AccessDecision(const core::Principal&, core::Action, const core::Scope&)>;
  // `action` is what the person must be allowed to do to the event's
  // organisations: kViewEvents for the log itself, kViewClaim for the portal's
  // notice that a claim changed.
  EventVisibility(app::CommandBus& bus, core::Principal who, Authorize authorize,
                  core::Action action = core::Action::kViewEvents)
      : bus_(bus), who_(std::move(who)), authorize_(std::move(authorize)), action_(action) {}

  // Whether the person may see this event. Thread-safe.
  bool Visible(const es::Envelope& envelope);

  static constexpr size_t kRememberedStreams = 4096;

 private:
  core::Scope ScopeOf(const es::Envelope& envelope);
  core::Scope ScopeOfOrg(const std::string& org_code);

  app::CommandBus& bus_;
  core::Principal who_;
  Authorize authorize_;
  core::Action action_;
  std::mutex mu_;
  std::map<std::string, core::Scope, std::less<>> scopes_;  // by stream id
};

// The JSON view of one envelope with its payload decoded.
boost::json::object EnvelopeJson(const es::Envelope& envelope);

}  // namespace ledger::http::api

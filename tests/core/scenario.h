// Given / When / Then for deciders, through the real StreamsToRead, Evolve and
// Decide of ledger/core/domain.h:
//
//   Scenario s = StandardWorld();
//   auto result = s.When("c1admin", ApproveAccount{"newuser", roles});
//   CHECK(Written(result, AccountStream("newuser")) == std::vector<Event>{AccountApproved{...}});
//   CHECK(Refusal(result) == "forbidden");
//
// When() also checks the contract: every stream a decision writes was listed by StreamsToRead.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "ledger/core/domain.h"
#include "ledger/core/streams.h"

namespace ledger::core::testing {

inline constexpr Timestamp kMicrosPerDay = 86'400'000'000;

// Noon UTC on the given day.
inline Timestamp At(int year, int month, int day) {
  return Date::FromYmd(year, month, day).days * kMicrosPerDay + kMicrosPerDay / 2;
}

// The default "now" of scenarios: 15 November 2026.
inline Timestamp Now() { return At(2026, 11, 15); }

class Scenario {
 public:
  // Given: `events` have happened on `stream_id` (appended after earlier ones).
  Scenario& Given(const std::string& stream_id, std::vector<Event> events) {
    auto [it, inserted] = loaded_.try_emplace(stream_id, LoadedStream{0, InitialState(stream_id)});
    for (const Event& e : events) {
      it->second.state = Evolve(std::move(it->second.state), e);
      ++it->second.version;
    }
    return *this;
  }

  // When `actor` ("" = the system) issues `command` at `at`.
  Outcome<Decision> When(const std::string& actor, const Command& command, Timestamp at = Now()) const {
    const CommandMeta meta{"cmd-1", "corr-1", actor, at};
    const std::vector<std::string> streams = StreamsToRead(meta, command);
    Loaded view;
    for (const std::string& s : streams) {
      auto it = loaded_.find(s);
      view.emplace(s, it != loaded_.end() ? it->second : LoadedStream{0, InitialState(s)});
    }
    Outcome<Decision> result = Decide(meta, command, view);
    if (result.ok()) {
      for (const StreamWrite& w : result.value().writes) {
        INFO("stream written but not read: ", w.stream_id);
        CHECK(std::find(streams.begin(), streams.end(), w.stream_id) != streams.end());
      }
    }
    return result;
  }

  // When, then (if accepted) apply the writes, so scenarios can chain.
  Outcome<Decision> Do(const std::string& actor, const Command& command, Timestamp at = Now()) {
    Outcome<Decision> result = When(actor, command, at);
    if (result.ok()) {
      for (const StreamWrite& w : result.value().writes) Given(w.stream_id, w.events);
    }
    return result;
  }

  const Loaded& loaded() const { return loaded_; }

  template <typename S>
  const S& State(const std::string& stream_id) const {
    static const S kEmpty{};
    auto it = loaded_.find(stream_id);
    if (it == loaded_.end()) return kEmpty;
    const S* s = std::get_if<S>(&it->second.state);
    return s ? *s : kEmpty;
  }

 private:
  Loaded loaded_;
};

// The events written to `stream_id` (empty when rejected or not written).
inline std::vector<Event> Written(const Outcome<Decision>& result, std::string_view stream_id) {
  if (!result.ok()) return {};
  for (const StreamWrite& w : result.value().writes) {
    if (w.stream_id == stream_id) return w.events;
  }
  return {};
}

// Whether the command was accepted and changed nothing.
inline bool Unchanged(const Outcome<Decision>& result) { return result.ok() && result.value().writes.empty(); }

// The rejection code ("" when accepted).
inline std::string Refusal(const Outcome<Decision>& result) { return result.ok() ? "" : result.rejection().code; }

inline Rejection::Kind RefusalKind(const Outcome<Decision>& result) { return result.rejection().kind; }

// The field paths of an invalid command's errors, in order.
inline std::vector<std::string> ErrorPaths(const Outcome<Decision>& result) {
  std::vector<std::string> out;
  if (!result.ok()) {
    for (const FieldError& e : result.rejection().errors) out.push_back(e.path);
  }
  return out;
}

inline RoleSet Roles(std::initializer_list<Role> roles) {
  RoleSet set;
  for (Role r : roles) set.Add(r);
  return set;
}

}  // namespace ledger::core::testing

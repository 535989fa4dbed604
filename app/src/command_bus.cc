#include "ledger/app/command_bus.h"

#include <fmt/format.h>

#include <algorithm>

#include "ledger/core/codec.h"

namespace ledger::app {

uint64_t Executed::VersionOf(std::string_view stream_id) const {
  for (const auto& [id, version] : stream_versions)
    if (id == stream_id) return version;
  return 0;
}

const core::LoadedStream* Executed::StateOf(std::string_view stream_id) const {
  auto it = state.find(stream_id);
  return it == state.end() ? nullptr : &it->second;
}

std::string ExecuteResult::Describe() const {
  if (ok()) {
    const Executed& e = executed();
    if (!e.validation_errors.empty())
      return fmt::format("recorded a failed attempt with {} error(s)", e.validation_errors.size());
    if (e.first_position == 0) return "nothing to do";
    return fmt::format("stored at positions {}..{}{}", e.first_position, e.last_position,
                       e.duplicate ? " (already stored earlier)" : "");
  }
  if (rejected()) return fmt::format("refused ({}): {}", rejection().code, rejection().message);
  return status().ToString();
}

std::optional<core::LoadedStream> CommandBus::Cached(const std::string& stream_id) {
  std::string encoded;
  {
    std::lock_guard lock(states_mu_);
    const std::string* found = states_.Find(stream_id);
    if (found == nullptr) return std::nullopt;
    encoded = *found;
  }
  return core::DecodeStreamState(encoded);
}

void CommandBus::Remember(const std::string& stream_id, const core::LoadedStream& stream) {
  // The encoding leaves out an account's password hash (it is the read
  // models' encoding); accounts are folded afresh (and their principals
  // cached by version in LogAccountDirectory).
  if (std::holds_alternative<core::AccountState>(stream.state)) return;
  std::string encoded = core::EncodeStreamState(stream);
  std::lock_guard lock(states_mu_);
  if (states_.OverLimit()) states_.Clear();
  states_.Put(stream_id, std::move(encoded));
}

es::Result<core::LoadedStream> CommandBus::LoadStream(const std::string& stream_id) {
  core::LoadedStream loaded{0, core::InitialState(stream_id)};
  if (std::optional<core::LoadedStream> cached = Cached(stream_id)) {
    auto version = store_.StreamVersion(stream_id);
    if (!version.ok()) return version.status();
    if (*version == cached->version) return std::move(*cached);
    if (*version > cached->version) loaded = std::move(*cached);
  }
  auto events = store_.ReadStream(stream_id, loaded.version + 1);
  if (!events.ok()) return events.status();
  for (const es::Envelope& env : *events) {
    auto event = core::Decode(env.type, env.schema_version, env.payload);
    if (!event.ok())
      return es::Status::Corruption(
          fmt::format("event {} of stream {} does not decode: {}", env.position, stream_id, event.rejection().message));
    loaded.state = core::Evolve(std::move(loaded.state), event.value());
    loaded.version = env.stream_version;
  }
  if (loaded.version > 0) Remember(stream_id, loaded);
  return loaded;
}

es::Result<core::Loaded> CommandBus::Load(const std::vector<std::string>& stream_ids) {
  return LoadFor(stream_ids, {});
}

es::Result<core::Loaded> CommandBus::LoadFor(const std::vector<std::string>& stream_ids,
                                             const core::Loaded& preloaded) {
  core::Loaded loaded;
  for (const std::string& id : stream_ids) {
    if (auto known = preloaded.find(id); known != preloaded.end()) {
      loaded.emplace(id, known->second);
      continue;
    }
    auto stream = LoadStream(id);
    if (!stream.ok()) return stream.status();
    loaded.emplace(id, std::move(stream).value());
  }
  return loaded;
}

core::Loaded Evolved(core::Loaded loaded, const core::Decision& decision,
                     const std::vector<std::pair<std::string, uint64_t>>& stream_versions) {
  for (size_t i = 0; i < decision.writes.size(); ++i) {
    const core::StreamWrite& write = decision.writes[i];
    auto it = loaded.find(write.stream_id);
    if (it == loaded.end())
      it = loaded.emplace(write.stream_id, core::LoadedStream{0, core::InitialState(write.stream_id)}).first;
    for (const core::Event& event : write.events) it->second.state = core::Evolve(std::move(it->second.state), event);
    if (i < stream_versions.size()) it->second.version = stream_versions[i].second;
  }
  return loaded;
}

es::AppendRequest ToAppendRequest(const core::CommandMeta& meta, const core::Decision& decision,
                                  const core::Loaded& loaded) {
  es::AppendRequest request{meta.command_id, meta.actor, meta.correlation_id, {}};
  for (const core::StreamWrite& write : decision.writes) {
    auto it = loaded.find(write.stream_id);
    // Decide writes only streams it was shown; their version then guards the append.
    es::ExpectedVersion expected = it == loaded.end() ? es::ExpectedVersion::NoStream()
                                                      : es::ExpectedVersion::Exact(it->second.version);
    es::StreamAppend append{write.stream_id, expected, {}};
    for (const core::Event& event : write.events) {
      core::EncodedEvent encoded = core::Encode(event);
      append.events.push_back({std::move(encoded.type), encoded.schema_version, std::move(encoded.payload)});
    }
    request.streams.push_back(std::move(append));
  }
  return request;
}

ExecuteResult CommandBus::Execute(const core::CommandMeta& meta, const core::Command& command,
                                  const ExecuteOptions& options) {
  if (auto previous = store_.FindCommand(meta.command_id); previous.ok() && previous->has_value()) {
    const es::AppendResult& stored = **previous;
    if (!stored.request_tag.empty() && !options.request_tag.empty() && stored.request_tag != options.request_tag)
      return es::Status::IdempotencyMismatch("command id " + meta.command_id +
                                             " was already used for a different request");
    Executed e{stored.first_position, stored.last_position, {}, {}, true};
    return e;
  }
  static const core::Loaded kNothingRead;
  for (int attempt = 0;; ++attempt) {
    // Only the first attempt may use what the caller read: a lost race means it is stale.
    ExecuteResult result = ExecuteOnce(meta, command, options, attempt == 0 ? options.preloaded : kNothingRead);
    bool lost_race = result.store_failed() && result.status().code() == es::Status::Code::kConflict;
    if (!lost_race || attempt >= options.conflict_retries) return result;
  }
}

ExecuteResult CommandBus::ExecuteOnce(const core::CommandMeta& meta, const core::Command& command,
                                      const ExecuteOptions& options, const core::Loaded& preloaded) {
  const std::vector<std::string> read_ids = core::StreamsToRead(meta, command);
  auto loaded = LoadFor(read_ids, preloaded);
  if (!loaded.ok()) return loaded.status();
  if (options.precondition) {
    auto it = loaded->find(options.precondition->stream_id);
    uint64_t actual = it == loaded->end() ? 0 : it->second.version;
    if (actual != options.precondition->version)
      return core::Rejection::Conflict(
          "precondition_failed",
          fmt::format("{} has changed since you read it (version {} now, {} expected): reload and try again",
                      options.precondition->stream_id, actual, options.precondition->version));
  }
  auto decision = core::Decide(meta, command, *loaded);
  if (!decision.ok()) return decision.rejection();
  Executed executed;
  executed.validation_errors = decision->validation_errors;
  if (decision->writes.empty()) {
    executed.state = std::move(loaded).value();
    return executed;
  }

  es::AppendRequest request = ToAppendRequest(meta, *decision, *loaded);
  request.request_tag = options.request_tag;
  auto appended = store_.Append(request);
  if (!appended.ok()) return appended.status();
  executed.first_position = appended->first_position;
  executed.last_position = appended->last_position;
  executed.duplicate = appended->duplicate;
  for (size_t i = 0; i < decision->writes.size(); ++i)
    executed.stream_versions.emplace_back(decision->writes[i].stream_id, appended->stream_versions[i]);
  // A duplicate append (the same command id raced in) stored nothing of ours:
  // what we decided is not what the store holds, so no state is claimed.
  if (!appended->duplicate) {
    executed.state = Evolved(std::move(loaded).value(), *decision, executed.stream_versions);
    // The streams this command read and wrote, as it left them: the next
    // command on them finds them folded. A stream only read is cached as it
    // was read already; one written but not read is not known whole.
    for (const auto& [id, version] : executed.stream_versions) {
      if (std::find(read_ids.begin(), read_ids.end(), id) == read_ids.end()) continue;
      if (const core::LoadedStream* stream = executed.StateOf(id)) Remember(id, *stream);
    }
  }
  return executed;
}

}  // namespace ledger::app

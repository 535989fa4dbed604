// Bulk claim import: parse, decide every row against one working set of
// streams, merge the writes into one append.
#include "ledger/app/claim_import.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "ledger/app/command_bus.h"
#include "ledger/base/csv.h"
#include "ledger/base/sha256.h"
#include "ledger/core/codec.h"
#include "ledger/core/domain.h"
#include "ledger/core/streams.h"
#include "ledger/core/text.h"

namespace ledger::app {
namespace {

constexpr std::string_view kAnswerPrefix = "answer:";

using Record = base::CsvRecord;

// The file's records (base/csv.h); a line break inside a quoted cell is kept
// as LF, as the portal keeps a textarea's. On a syntax error sets *error.
std::vector<Record> ParseRecords(std::string_view text, ClaimImportError* error) {
  base::CsvParse parsed = base::ParseCsv(text);
  if (!parsed.error.empty()) {
    *error = {parsed.error_line, "", parsed.error_reason};
    return {};
  }
  for (Record& record : parsed.records) {
    for (std::string& field : record.fields) {
      for (size_t at = field.find("\r\n"); at != std::string::npos; at = field.find("\r\n", at)) field.erase(at, 1);
    }
  }
  return std::move(parsed.records);
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// "12", or for money "12.34" (pounds) -> pence.
bool ParseValue(std::string_view text, core::UnitKind kind, int64_t* out) {
  if (kind == core::UnitKind::kMoney && text.find('.') != std::string_view::npos) {
    size_t dot = text.find('.');
    std::string_view pounds = text.substr(0, dot), pence = text.substr(dot + 1);
    if (pence.size() != 2) return false;
    int64_t p = 0, q = 0;
    auto a = std::from_chars(pounds.data(), pounds.data() + pounds.size(), p);
    auto b = std::from_chars(pence.data(), pence.data() + pence.size(), q);
    if (a.ec != std::errc() || a.ptr != pounds.data() + pounds.size() || b.ec != std::errc() ||
        b.ptr != pence.data() + pence.size() || p < 0 || q < 0 || p > INT64_MAX / 100 - 1)
      return false;
    *out = p * 100 + q;
    return true;
  }
  auto r = std::from_chars(text.data(), text.data() + text.size(), *out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size();
}

// The canonical name of a header column (the portal's template names the
// first three provider_code, service_code).
std::string Canonical(const std::string& name) {
  if (name == "provider_code") return "provider";
  if (name == "service_code") return "service";
  return name;
}

class Importer {
 public:
  Importer(es::EventStore& store, const ClaimImportOptions& options) : store_(store), bus_(store), options_(options) {}

  es::Status CheckAll(const std::vector<Record>& records);
  ClaimImportPlan TakePlan();

 private:
  void Error(int line, std::string column, std::string message) {
    plan_.errors.push_back({line, std::move(column), std::move(message)});
  }
  // The file's own name for a canonical column ("service_code" when the header says so).
  std::string Header(std::string_view canonical) const {
    auto it = column_.find(std::string(canonical));
    return it == column_.end() ? std::string(canonical) : header_[it->second];
  }
  std::string ColumnOf(std::string_view path) const {
    if (path.starts_with("components.")) return Header(path.substr(11));
    if (path.starts_with("answers.")) return std::string(kAnswerPrefix) + std::string(path.substr(8));
    if (path == "period" || path == "service" || path == "provider") return Header(path);
    return std::string(path);
  }
  es::Result<const core::LoadedStream*> Stream(const std::string& id);
  es::Result<std::string> ResolveService(const std::string& text, const std::string& commissioner);
  es::Status CheckRow(const Record& record);
  // An error for each cell of `record` that breaks the text rule (checked
  // before any cell is quoted in a message).
  void CheckTexts(const Record& record) {
    for (size_t i = 0; i < record.fields.size(); ++i) {
      const bool answer = i < header_.size() && header_[i].starts_with(kAnswerPrefix);
      const core::TextKind kind = answer ? core::TextKind::kMultiLine : core::TextKind::kSingleLine;
      std::string column = i < header_.size() ? header_[i] : fmt::format("#{}", i + 1);
      if (auto problem = core::TextProblem(column, Trim(record.fields[i]), kind))
        Error(record.line, column, problem->message);
    }
  }
  es::Status Apply(int line, const core::Command& command, bool* ok);
  // Names the claim holding `ref`'s key in the errors added since `first`.
  void NoteExistingClaim(const core::ClaimRef& ref, size_t first) {
    auto key = working_.find(core::ClaimKeyStream(ref.provider, ref.service_id, ref.period));
    if (key == working_.end()) return;
    const auto* state = std::get_if<core::ClaimKeyState>(&key->second.state);
    if (state == nullptr || state->holder.empty() || state->holder == ref.claim_id) return;
    for (size_t i = first; i < plan_.errors.size(); ++i) plan_.errors[i].existing_claim_id = state->holder;
  }
  core::CommandMeta Meta(std::string_view suffix) const {
    std::string base = "import-" + options_.digest.substr(0, 32);
    return core::CommandMeta{fmt::format("{}-{}", base, suffix), base, options_.actor, options_.at};
  }

  es::EventStore& store_;
  CommandBus bus_;
  const ClaimImportOptions& options_;
  std::vector<std::string> header_;        // as written, trimmed
  std::map<std::string, size_t> column_;   // canonical name -> index
  core::Loaded base_;                      // as read from the store
  core::Loaded working_;                   // after the rows decided so far
  std::vector<core::StreamWrite> writes_;  // merged, one entry per stream, first-written order
  std::map<std::string, std::string, std::less<>> services_by_code_;  // "<commissioner>/<code>" -> id
  bool services_scanned_ = false;
  std::map<std::string, int> keys_;  // provider/service/period -> line
  ClaimImportPlan plan_;
  int row_index_ = 0;
  size_t events_ = 0;  // events the rows decided so far write
};

es::Result<const core::LoadedStream*> Importer::Stream(const std::string& id) {
  auto it = working_.find(id);
  if (it != working_.end()) return &it->second;
  auto loaded = bus_.LoadStream(id);
  if (!loaded.ok()) return loaded.status();
  base_.emplace(id, *loaded);
  return &working_.emplace(id, std::move(loaded).value()).first->second;
}

es::Result<std::string> Importer::ResolveService(const std::string& text, const std::string& commissioner) {
  if (core::IsValidId(text)) {
    auto stream = Stream(core::ServiceStream(text));
    if (!stream.ok()) return stream.status();
    if ((*stream)->version > 0) return text;
  }
  if (!services_scanned_) {
    services_scanned_ = true;
    std::map<std::string, std::vector<std::string>> shared;              // service id -> other commissioners
    std::map<std::string, std::pair<std::string, std::string>> defined;  // id -> (owner, code)
    es::Status s = store_.Scan(1, 0, [&](const es::Envelope& env) {
      if (env.type != core::ServiceDefined::kTypeName && env.type != core::ServiceShared::kTypeName &&
          env.type != core::ServiceDraftEdited::kTypeName)
        return true;
      auto event = core::Decode(env.type, env.schema_version, env.payload);
      if (!event.ok()) return true;
      if (auto* e = std::get_if<core::ServiceDefined>(&event.value()))
        defined[e->service_id] = {e->commissioner, e->definition.code};
      if (auto* e = std::get_if<core::ServiceDraftEdited>(&event.value()))
        defined[e->service_id].second = e->definition.code;
      if (auto* e = std::get_if<core::ServiceShared>(&event.value()))
        shared[e->service_id].push_back(e->with_commissioner);
      return true;
    });
    if (!s.ok()) return s;
    for (const auto& [id, owner_code] : defined) {
      services_by_code_[owner_code.first + "/" + owner_code.second] = id;
      for (const std::string& other : shared[id]) services_by_code_.emplace(other + "/" + owner_code.second, id);
    }
  }
  auto it = services_by_code_.find(commissioner + "/" + text);
  if (it == services_by_code_.end()) return std::string();
  return it->second;
}

es::Status Importer::Apply(int line, const core::Command& command, bool* ok) {
  *ok = false;
  core::CommandMeta meta = Meta(fmt::format("{}-{}", row_index_, command.index()));
  for (const std::string& id : core::StreamsToRead(meta, command)) {
    auto stream = Stream(id);
    if (!stream.ok()) return stream.status();
  }
  auto decision = core::Decide(meta, command, working_);
  if (!decision.ok()) {
    const core::Rejection& r = decision.rejection();
    if (r.errors.empty()) Error(line, "", r.message);
    for (const core::FieldError& e : r.errors) Error(line, ColumnOf(e.path), e.message);
    return es::Status::Ok();
  }
  if (!decision->validation_errors.empty()) {
    for (const core::FieldError& e : decision->validation_errors) Error(line, ColumnOf(e.path), e.message);
    return es::Status::Ok();
  }
  for (const core::StreamWrite& write : decision->writes) {
    core::LoadedStream& stream = working_.at(write.stream_id);
    for (const core::Event& event : write.events) stream.state = core::Evolve(std::move(stream.state), event);
    stream.version += write.events.size();
    events_ += write.events.size();
    auto merged = std::find_if(writes_.begin(), writes_.end(),
                               [&](const core::StreamWrite& w) { return w.stream_id == write.stream_id; });
    if (merged == writes_.end()) {
      writes_.push_back(write);
    } else {
      merged->events.insert(merged->events.end(), write.events.begin(), write.events.end());
    }
  }
  *ok = true;
  return es::Status::Ok();
}

es::Status Importer::CheckRow(const Record& record) {
  const int line = record.line;
  ++row_index_;
  if (record.fields.size() != header_.size()) {
    Error(line, "", fmt::format("the row has {} fields but the header has {}", record.fields.size(), header_.size()));
    return es::Status::Ok();
  }
  size_t before = plan_.errors.size();
  CheckTexts(record);
  if (plan_.errors.size() > before) return es::Status::Ok();
  auto cell = [&](const std::string& name) { return Trim(record.fields[column_.at(name)]); };
  std::string provider = cell("provider"), service_text = cell("service"), period_text = cell("period");
  if (provider.empty()) Error(line, Header("provider"), "enter the provider's ODS code");
  if (service_text.empty()) Error(line, Header("service"), "enter the service code or id");
  if (period_text.empty()) Error(line, Header("period"), "enter the period, e.g. 2024-05 or 2024-Q1");
  if (plan_.errors.size() > before) return es::Status::Ok();
  if (!core::IsValidId(provider)) {
    Error(line, Header("provider"), fmt::format("'{}' is not an ODS code", provider));
    return es::Status::Ok();
  }
  auto org_stream = Stream(core::OrgStream(provider));
  if (!org_stream.ok()) return org_stream.status();
  const auto* org = std::get_if<core::OrgState>(&(*org_stream)->state);
  if (org == nullptr || !org->exists || !core::IsProvider(org->kind)) {
    Error(line, Header("provider"), fmt::format("there is no provider {}", provider));
    return es::Status::Ok();
  }
  auto service_id = ResolveService(service_text, org->commissioner_code);
  if (!service_id.ok()) return service_id.status();
  if (service_id->empty()) {
    Error(line, Header("service"),
          fmt::format("{}'s commissioner {} has no service {}", provider, org->commissioner_code, service_text));
    return es::Status::Ok();
  }
  auto service_stream = Stream(core::ServiceStream(*service_id));
  if (!service_stream.ok()) return service_stream.status();
  core::ServiceState service = std::get<core::ServiceState>((*service_stream)->state);
  auto period = core::Period::Parse(service.definition.frequency, period_text);
  if (!period) {
    Error(line, Header("period"),
          fmt::format("'{}' is not a {} period (e.g. {})", period_text,
                      core::FrequencyName(service.definition.frequency),
                      service.definition.frequency == core::Frequency::kQuarterly ? "2024-Q1" : "2024-05"));
    return es::Status::Ok();
  }
  core::UnitValues values;
  core::Answers answers;
  for (size_t i = 0; i < header_.size(); ++i) {
    const std::string name = Canonical(header_[i]);
    if (name == "provider" || name == "service" || name == "period") continue;
    std::string value = Trim(record.fields[i]);
    if (value.empty()) continue;
    if (name.starts_with(kAnswerPrefix)) {
      std::string id = name.substr(kAnswerPrefix.size());
      bool known = std::any_of(service.definition.questions.begin(), service.definition.questions.end(),
                               [&](const core::Question& q) { return q.id == id; });
      if (!known) Error(line, name, fmt::format("service {} has no question {}", *service_id, id));
      answers[id] = value;
      continue;
    }
    const core::Component* component = service.definition.FindComponent(name);
    if (component == nullptr) {
      Error(line, name, fmt::format("service {} has no component {}: leave this cell empty", *service_id, name));
      continue;
    }
    int64_t number = 0;
    if (!ParseValue(value, component->unit_kind, &number)) {
      Error(line, name,
            fmt::format("'{}' is not {}", value,
                        component->unit_kind == core::UnitKind::kMoney ? "an amount in pounds, e.g. 12.50"
                                                                       : "a whole number"));
      continue;
    }
    values[name] = number;
  }
  std::string key = provider + "/" + *service_id + "/" + period->ToString();
  if (auto [it, inserted] = keys_.emplace(key, line); !inserted) {
    Error(line, "", fmt::format("duplicates line {} (same provider, service and period)", it->second));
    return es::Status::Ok();
  }
  if (plan_.errors.size() > before) return es::Status::Ok();
  std::string claim_id = fmt::format("{}-{}-{}-i{}", provider, service.definition.code, period->ToString(),
                                     options_.digest.substr(0, 8));
  std::replace(claim_id.begin(), claim_id.end(), '/', '_');
  core::ClaimRef ref{claim_id, provider, org->commissioner_code, *service_id, period->ToString()};
  bool ok = false;
  const size_t events_before = events_;
  if (auto s = Apply(line, core::CreateClaimDraft{ref}, &ok); !s.ok() || !ok) {
    NoteExistingClaim(ref, before);
    return s;
  }
  if (auto s = Apply(line, core::EnterClaimValues{ref, values, answers}, &ok); !s.ok() || !ok) return s;
  if (options_.submit)
    if (auto s = Apply(line, core::SubmitClaim{ref}, &ok); !s.ok() || !ok) return s;
  plan_.claim_ids.push_back(claim_id);
  ++(events_ > events_before ? plan_.created : plan_.unchanged);
  return es::Status::Ok();
}

es::Status Importer::CheckAll(const std::vector<Record>& records) {
  const int header_line = records.front().line;
  for (size_t i = 0; i < records.front().fields.size(); ++i) {
    const std::string& name = records.front().fields[i];
    if (auto problem = core::TextProblem("", name, core::TextKind::kSingleLine)) {
      Error(header_line, fmt::format("#{}", i + 1), problem->message);
      header_.push_back(fmt::format("#{}", i + 1));
      continue;
    }
    header_.push_back(Trim(name));
  }
  if (!plan_.errors.empty()) return es::Status::Ok();
  for (size_t i = 0; i < header_.size(); ++i) {
    if (header_[i].empty()) Error(header_line, fmt::format("#{}", i + 1), "a column has no name");
    if (!column_.emplace(Canonical(header_[i]), i).second)
      Error(header_line, header_[i], "the column appears twice in the header");
  }
  for (const char* required : {"provider", "service", "period"})
    if (!column_.contains(required)) Error(header_line, required, "the header needs this column");
  if (!plan_.errors.empty()) return es::Status::Ok();
  for (size_t i = 1; i < records.size(); ++i)
    if (auto s = CheckRow(records[i]); !s.ok()) return s;
  return es::Status::Ok();
}

ClaimImportPlan Importer::TakePlan() {
  if (plan_.errors.empty() && !writes_.empty()) {
    core::Decision merged{writes_, {}};
    core::CommandMeta meta = Meta(options_.submit ? "submit" : "draft");
    meta.command_id = fmt::format("import-{}-{}{}", options_.digest.substr(0, 40), options_.actor,
                                  options_.submit ? "-submit" : "");
    plan_.request = ToAppendRequest(meta, merged, base_);
  }
  return std::move(plan_);
}

}  // namespace

es::Result<ClaimImportPlan> PlanClaimImport(es::EventStore& store, std::string_view csv,
                                            const ClaimImportOptions& options) {
  ClaimImportPlan plan;
  if (options.digest.size() < 40) return es::Status::Invalid("the import digest needs at least 40 hex digits");
  ClaimImportError syntax;
  std::vector<Record> records = ParseRecords(csv, &syntax);
  if (syntax.line != 0) {
    plan.errors.push_back(std::move(syntax));
    return plan;
  }
  if (records.size() < 2) {
    plan.errors.push_back({records.empty() ? 1 : records.front().line + 1, "",
                           "the file has no claim rows: the first line is the header, one claim per line after it"});
    return plan;
  }
  if (records.size() - 1 > static_cast<size_t>(kMaxImportRows)) {
    plan.too_many_rows = true;
    plan.errors.push_back({records[kMaxImportRows + 1].line, "",
                           fmt::format("the file has {} claim rows; at most {} are taken in one file: split it into "
                                       "files of up to {} rows",
                                       records.size() - 1, kMaxImportRows, kMaxImportRows)});
    return plan;
  }
  Importer importer(store, options);
  if (es::Status s = importer.CheckAll(records); !s.ok()) return s;
  return importer.TakePlan();
}

std::string ImportDigest(std::string_view csv, std::string_view actor, bool submit) {
  std::string named(csv);
  named.append("\n").append(actor);
  if (submit) named.append("\nsubmit");
  return base::Sha256Hex(named);
}

}  // namespace ledger::app

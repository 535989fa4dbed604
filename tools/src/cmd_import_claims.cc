// ledger import-claims: bulk upload of claims from a CSV file.
//
// The whole file is checked first: every row is decided by the real deciders
// against one set of loaded streams, in file order, so rows see each other
// (a duplicate is caught as such). Only when every row is valid are all the
// decisions appended as ONE atomic append; otherwise nothing is stored.
#include <charconv>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <openssl/sha.h>

#include "commands.h"
#include "ledger/app/command_bus.h"
#include "ledger/core/codec.h"
#include "ledger/core/domain.h"
#include "ledger/core/streams.h"
#include "ledger/tools/csv.h"

namespace ledger::tools {
namespace {

constexpr char kAnswerPrefix[] = "answer:";

struct ImportArgs {
  std::string file;
  std::string data;
  std::string as;
  bool submit = false;
  bool dry_run = false;
};

struct RowError {
  int line = 0;
  std::string column;
  std::string message;
};

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  std::string hex;
  for (unsigned char b : digest) hex += fmt::format("{:02x}", b);
  return hex;
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
        b.ptr != pence.data() + pence.size() || p < 0 || q < 0)
      return false;
    *out = p * 100 + q;
    return true;
  }
  auto r = std::from_chars(text.data(), text.data() + text.size(), *out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size();
}

std::string ColumnOf(std::string_view path) {
  if (path.starts_with("components.")) return std::string(path.substr(11));
  if (path.starts_with("answers.")) return kAnswerPrefix + std::string(path.substr(8));
  return std::string(path);
}

class Importer {
 public:
  Importer(es::EventStore& store, const ImportArgs& args, std::string file_digest)
      : store_(store), bus_(store), args_(args), digest_(std::move(file_digest)), now_(WallClockMicros()) {}

  // Checks every row; fills errors_ and the merged decision.
  es::Status CheckAll(const std::vector<CsvRecord>& records);
  const std::vector<RowError>& errors() const { return errors_; }
  size_t claims() const { return claims_; }
  es::Result<es::AppendResult> Append();

 private:
  void Error(int line, std::string column, std::string message) {
    errors_.push_back({line, std::move(column), std::move(message)});
  }
  es::Result<const core::LoadedStream*> Stream(const std::string& id);
  es::Result<std::string> ResolveService(const std::string& text, const std::string& commissioner);
  es::Status CheckRow(const CsvRecord& record);
  // Decides one command against the working streams; on success folds its writes in.
  es::Status Apply(int line, const core::Command& command, bool* ok);
  core::CommandMeta Meta(std::string_view suffix) const {
    return core::CommandMeta{fmt::format("import-{}-{}", digest_.substr(0, 32), suffix), "import-" +
                             digest_.substr(0, 32), args_.as, now_};
  }

  es::EventStore& store_;
  app::CommandBus bus_;
  const ImportArgs& args_;
  std::string digest_;
  int64_t now_;
  std::vector<std::string> header_;
  std::map<std::string, size_t> column_;
  core::Loaded base_;     // as read from the store
  core::Loaded working_;  // after the rows decided so far
  std::vector<core::StreamWrite> writes_;  // merged, one entry per stream, first-written order
  std::map<std::string, std::string, std::less<>> services_by_code_;  // "<commissioner>/<code>" -> id
  bool services_scanned_ = false;
  std::map<std::string, int> keys_;  // provider/service/period -> line
  std::vector<RowError> errors_;
  size_t claims_ = 0;
  int row_index_ = 0;
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
    std::map<std::string, std::vector<std::string>> shared;  // service id -> other commissioners
    std::map<std::string, std::pair<std::string, std::string>> defined;  // id -> (owner, code)
    es::Status s = store_.Scan(1, 0, [&](const es::Envelope& env) {
      if (env.type != core::ServiceDefined::kTypeName && env.type != core::ServiceShared::kTypeName &&
          env.type != core::ServiceDraftEdited::kTypeName)
        return true;
      auto event = core::Decode(env.type, env.schema_version, env.payload);
      if (!event.ok()) return true;
      if (auto* e = std::get_if<core::ServiceDefined>(&event.value()))
        defined[e->service_id] = {e->commissioner, e->definition.code};
      if (auto* e = std::get_if<core::ServiceDraftEdited>(&event.value())) defined[e->service_id].second = e->definition.code;
      if (auto* e = std::get_if<core::ServiceShared>(&event.value())) shared[e->service_id].push_back(e->with_commissioner);
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

es::Status Importer::CheckRow(const CsvRecord& record) {
  const int line = record.line;
  ++row_index_;
  if (record.fields.size() != header_.size()) {
    Error(line, "", fmt::format("the row has {} fields but the header has {}", record.fields.size(), header_.size()));
    return es::Status::Ok();
  }
  auto cell = [&](const std::string& name) { return Trim(record.fields[column_.at(name)]); };
  size_t before = errors_.size();
  std::string provider = cell("provider"), service_text = cell("service"), period_text = cell("period");
  if (provider.empty()) Error(line, "provider", "enter the provider's ODS code");
  if (service_text.empty()) Error(line, "service", "enter the service code or id");
  if (period_text.empty()) Error(line, "period", "enter the period, e.g. 2024-05 or 2024-Q1");
  if (errors_.size() > before) return es::Status::Ok();
  if (!core::IsValidId(provider)) {
    Error(line, "provider", fmt::format("'{}' is not an ODS code", provider));
    return es::Status::Ok();
  }
  auto org_stream = Stream(core::OrgStream(provider));
  if (!org_stream.ok()) return org_stream.status();
  const auto* org = std::get_if<core::OrgState>(&(*org_stream)->state);
  if (org == nullptr || !org->exists || !core::IsProvider(org->kind)) {
    Error(line, "provider", fmt::format("there is no provider {}", provider));
    return es::Status::Ok();
  }
  auto service_id = ResolveService(service_text, org->commissioner_code);
  if (!service_id.ok()) return service_id.status();
  if (service_id->empty()) {
    Error(line, "service", fmt::format("{}'s commissioner {} has no service {}", provider, org->commissioner_code,
                                       service_text));
    return es::Status::Ok();
  }
  auto service_stream = Stream(core::ServiceStream(*service_id));
  if (!service_stream.ok()) return service_stream.status();
  core::ServiceState service = std::get<core::ServiceState>((*service_stream)->state);
  auto period = core::Period::Parse(service.definition.frequency, period_text);
  if (!period) {
    Error(line, "period", fmt::format("'{}' is not a {} period (e.g. {})", period_text,
                                      core::FrequencyName(service.definition.frequency),
                                      service.definition.frequency == core::Frequency::kQuarterly ? "2024-Q1"
                                                                                                  : "2024-05"));
    return es::Status::Ok();
  }
  core::UnitValues values;
  core::Answers answers;
  for (size_t i = 0; i < header_.size(); ++i) {
    const std::string& name = header_[i];
    if (name == "provider" || name == "service" || name == "period") continue;
    std::string value = Trim(record.fields[i]);
    if (value.empty()) continue;
    if (name.starts_with(kAnswerPrefix)) {
      std::string id = name.substr(sizeof(kAnswerPrefix) - 1);
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
      Error(line, name, fmt::format("'{}' is not a whole number", value));
      continue;
    }
    values[name] = number;
  }
  std::string key = provider + "/" + *service_id + "/" + period->ToString();
  if (auto [it, inserted] = keys_.emplace(key, line); !inserted) {
    Error(line, "", fmt::format("duplicates line {} (same provider, service and period)", it->second));
    return es::Status::Ok();
  }
  if (errors_.size() > before) return es::Status::Ok();
  std::string claim_id = fmt::format("{}-{}-{}-i{}", provider, service.definition.code, period->ToString(),
                                     digest_.substr(0, 8));
  std::replace(claim_id.begin(), claim_id.end(), '/', '_');
  core::ClaimRef ref{claim_id, provider, org->commissioner_code, *service_id, period->ToString()};
  bool ok = false;
  if (auto s = Apply(line, core::CreateClaimDraft{ref}, &ok); !s.ok() || !ok) return s;
  if (auto s = Apply(line, core::EnterClaimValues{ref, values, answers}, &ok); !s.ok() || !ok) return s;
  if (args_.submit)
    if (auto s = Apply(line, core::SubmitClaim{ref}, &ok); !s.ok() || !ok) return s;
  ++claims_;
  return es::Status::Ok();
}

es::Status Importer::CheckAll(const std::vector<CsvRecord>& records) {
  header_.clear();
  for (const std::string& name : records.front().fields) header_.push_back(Trim(name));
  for (size_t i = 0; i < header_.size(); ++i) {
    if (header_[i].empty()) Error(records.front().line, fmt::format("#{}", i + 1), "a column has no name");
    if (!column_.emplace(header_[i], i).second)
      Error(records.front().line, header_[i], "the column appears twice in the header");
  }
  for (const char* required : {"provider", "service", "period"})
    if (!column_.contains(required))
      Error(records.front().line, required, "the header needs this column");
  if (!errors_.empty()) return es::Status::Ok();
  for (size_t i = 1; i < records.size(); ++i)
    if (auto s = CheckRow(records[i]); !s.ok()) return s;
  return es::Status::Ok();
}

es::Result<es::AppendResult> Importer::Append() {
  core::Decision merged{writes_, {}};
  core::CommandMeta meta = Meta(args_.submit ? "submit" : "draft");
  meta.command_id = fmt::format("import-{}-{}{}", digest_.substr(0, 40), args_.as, args_.submit ? "-submit" : "");
  return store_.Append(app::ToAppendRequest(meta, merged, base_));
}

int RunImport(const CLI::App& app, const ImportArgs& args) {
  if (!core::IsValidUsername(args.as)) return UsageError(app, "--as must be a username");
  std::ifstream in(args.file, std::ios::binary);
  if (!in) return Fail(kExitFailed, fmt::format("cannot read {}: check the file name", args.file));
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  CsvParse parsed = ParseCsv(text);
  if (!parsed.error.empty())
    return Fail(kExitFailed, fmt::format("{}: {}; fix the quoting and run the import again", args.file,
                                         parsed.error));
  if (parsed.records.size() < 2)
    return Fail(kExitFailed, fmt::format("{} has no claim rows: the first line is the header, one claim per line "
                                         "after it", args.file));
  int exit_code = kExitOk;
  DataDir data(args.data);
  auto store = args.dry_run ? OpenStoreReadOnly(data, &exit_code)
                            : OpenStoreForWriting(data, /*create_if_missing=*/false, &exit_code);
  if (!store) return exit_code;
  Importer importer(*store, args, Sha256Hex(text + "\n" + args.as + (args.submit ? "\nsubmit" : "")));
  if (es::Status s = importer.CheckAll(parsed.records); !s.ok())
    return Fail(kExitFailed, fmt::format("checking the file failed: {}; retry", s.ToString()));
  if (!importer.errors().empty()) {
    for (const RowError& e : importer.errors())
      fmt::print(stderr, "{}:{}: {}{}\n", args.file, e.line, e.column.empty() ? "" : "column " + e.column + ": ",
                 e.message);
    return Fail(kExitFailed, fmt::format("{} error(s) in {}; nothing was stored: correct the rows listed above and "
                                         "run the import again",
                                         importer.errors().size(), args.file));
  }
  if (args.dry_run) {
    fmt::print("{} claim(s) checked and valid; nothing stored (dry run)\n", importer.claims());
    return kExitOk;
  }
  auto appended = importer.Append();
  if (!appended.ok()) {
    if (appended.status().code() == es::Status::Code::kConflict)
      return Fail(kExitFailed, fmt::format("someone changed these claims while the file was checked ({}); nothing "
                                           "was stored: run the import again",
                                           appended.status().message()));
    return Fail(kExitFailed, fmt::format("nothing was stored: {}", appended.status().ToString()));
  }
  if (appended->duplicate) {
    fmt::print("this file was already imported (positions {}..{}); nothing new stored\n", appended->first_position,
               appended->last_position);
    return kExitOk;
  }
  fmt::print("imported {} claim(s){} at positions {}..{}\n", importer.claims(), args.submit ? " and submitted them" : "",
             appended->first_position, appended->last_position);
  return kExitOk;
}

}  // namespace

void RegisterImportClaims(CLI::App& app, CommandRegistry& registry) {
  auto args = std::make_shared<ImportArgs>();
  CLI::App* cmd = app.add_subcommand("import-claims", "Bulk upload of claims from a CSV file: all rows or none");
  cmd->add_option("file", args->file, "The CSV file")->required()->type_name("FILE.csv");
  AddDataOption(cmd, &args->data);
  cmd->add_option("--as", args->as, "Username of the provider user making the claims")->required()->type_name("USER");
  cmd->add_flag("--submit", args->submit, "Submit every claim (otherwise they are stored as drafts)");
  cmd->add_flag("--dry-run", args->dry_run, "Check the whole file and store nothing");
  cmd->footer(
      "Columns (header line required; order free):\n"
      "  provider        the provider's ODS code, e.g. A84002\n"
      "  service         the service code (e.g. ACM) or service id (e.g. 00L-ACM)\n"
      "  period          2024-05 (monthly), 2024-Q1 (quarterly), 2024/25 (annual), 2024-05-14 (one-off)\n"
      "  <component id>  one column per component: a whole number (money: pounds, e.g. 12.50); empty = not entered\n"
      "  answer:<id>     the answer to a supplementary question (yes/no, a number or text)\n"
      "Every row is checked before anything is stored; each error is listed as FILE:LINE: column C: message.\n"
      "All rows valid -> one atomic append; any row invalid -> nothing stored, exit code 1.\n"
      "UTF-8 with or without BOM, LF or CRLF, quoted fields; blank lines are skipped.\n\n"
      "Example:\n  ledger import-claims may.csv --data /var/lib/ledger --as a84002.user --submit");
  registry.Add(cmd, [cmd, args] { return RunImport(*cmd, *args); });
}

}  // namespace ledger::tools

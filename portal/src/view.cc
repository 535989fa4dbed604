// Templates (kainjow mustache), forms and formatting for the portal.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <kainjow/mustache.hpp>

#include "ledger/base/time.h"
#include "ledger/core/text.h"
#include "ledger/http/multipart.h"
#include "portal_internal.h"

namespace ledger::http::portal {

namespace fs = std::filesystem;
using kainjow::mustache::data;
using kainjow::mustache::mustache;
using kainjow::mustache::partial;

namespace {

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read portal template " + path.string());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The view model as kainjow data. Empty strings become false: kainjow treats
// "" as true in a section, while the templates mean "nothing" by it.
data ToData(const json::value& v) {
  switch (v.kind()) {
    case json::kind::object: {
      data d{data::type::object};
      for (const auto& kv : v.as_object()) d.set(std::string(kv.key()), ToData(kv.value()));
      return d;
    }
    case json::kind::array: {
      data d{data::type::list};
      for (const auto& e : v.as_array()) d.push_back(ToData(e));
      return d;
    }
    case json::kind::string:
      return v.as_string().empty() ? data{data::type::bool_false} : data{std::string(v.as_string())};
    case json::kind::bool_: return v.as_bool() ? data{data::type::bool_true} : data{data::type::bool_false};
    case json::kind::int64: return data{std::to_string(v.as_int64())};
    case json::kind::uint64: return data{std::to_string(v.as_uint64())};
    case json::kind::double_: return data{fmt::format("{}", v.as_double())};
    default: return data{data::type::bool_false};
  }
}

std::string Render(const std::string& text, const data& ctx, const std::string& name) {
  mustache tmpl{text};
  if (!tmpl.is_valid()) throw std::runtime_error("portal template " + name + ": " + tmpl.error_message());
  std::string out = tmpl.render(ctx);
  if (!tmpl.is_valid()) throw std::runtime_error("portal template " + name + ": " + tmpl.error_message());
  return out;
}

}  // namespace

namespace {

bool IsPartialName(std::string_view name) {
  if (name.starts_with("site_")) return true;
  for (std::string_view suffix : {"_field", "_box", "_banner", "_nav", "_label", "_list"}) {
    if (name.ends_with(suffix)) return true;
  }
  return false;
}

}  // namespace

Templates::Templates(const std::string& dir) {
  fs::path root(dir);
  if (!fs::is_directory(root / "partials")) throw std::runtime_error("no portal templates in " + dir);
  for (const auto& e : fs::directory_iterator(root / "partials")) {
    if (e.path().extension() != ".mustache") continue;
    std::string name = e.path().stem().string();
    // Partials share the data's names with the view models, and kainjow finds
    // a partial before a model key of the same name, rendering that key's
    // section empty: names a model never uses keep the two apart.
    if (!IsPartialName(name)) {
      throw std::runtime_error("portal partial " + name +
                               ": a partial's name ends in _field, _box, _banner, _nav, _label or _list, or starts "
                               "with site_, so that no view model key can hide it");
    }
    partials_[name] = ReadFile(e.path());
  }
  for (const auto& e : fs::directory_iterator(root)) {
    if (e.is_regular_file() && e.path().extension() == ".mustache") {
      pages_[e.path().stem().string()] = ReadFile(e.path());
    }
  }
  if (pages_.count("layout") == 0) throw std::runtime_error("no layout.mustache in " + dir);
  for (const auto& [name, text] : pages_) {
    mustache tmpl{text};
    if (!tmpl.is_valid()) throw std::runtime_error("portal template " + name + ": " + tmpl.error_message());
  }
}

namespace {

// The model as template data, with every partial available.
data ContextFor(const json::object& model, const std::map<std::string, std::string>& partials) {
  data ctx = ToData(model);
  for (const auto& [name, text] : partials) {
    std::string copy = text;
    ctx.set(name, partial{[copy] { return copy; }});
  }
  return ctx;
}

}  // namespace

std::string Templates::RenderFragment(std::string_view page, const json::object& model) const {
  auto it = pages_.find(std::string(page));
  if (it == pages_.end()) throw std::logic_error("unknown portal template " + std::string(page));
  return Render(it->second, ContextFor(model, partials_), it->first);
}

std::string Templates::RenderPage(std::string_view page, const json::object& model) const {
  auto it = pages_.find(std::string(page));
  if (it == pages_.end()) throw std::logic_error("unknown portal template " + std::string(page));
  data ctx = ContextFor(model, partials_);
  std::string content = Render(it->second, ctx, it->first);
  ctx.set("content", content);
  return Render(pages_.at("layout"), ctx, "layout");
}

// ---- Forms -------------------------------------------------------------------

namespace {

// The fields and files of a multipart/form-data body (ledger/http/multipart.h):
// a part with a filename is a file (its name stripped of directories) unless
// both name and content are empty; a malformed body keeps the parts before the fault.
void ReadMultipartForm(const Request& request, Form& form) {
  for (const MultipartPart& part : ParseMultipart(request).parts) {
    if (!part.filename) {
      form.fields.emplace_back(part.name, std::string(part.content));
      continue;
    }
    std::string filename = *part.filename;
    size_t slash = filename.find_last_of("/\\");
    if (slash != std::string::npos) filename = filename.substr(slash + 1);
    if (!filename.empty() || !part.content.empty()) {
      form.files.push_back({part.name, filename, part.content_type, std::string(part.content)});
    }
  }
}

}  // namespace

std::string UrlEncode(std::string_view in) { return PercentEncode(in, "-_.~/"); }

namespace {

// Browsers send a textarea's new lines as CRLF, and a pasted text may hold
// CR alone; the log keeps LF only, so every multi-line field splits alike.
std::string NormaliseNewLines(std::string text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r') {
      out.push_back(text[i]);
    } else if (i + 1 == text.size() || text[i + 1] != '\n') {
      out.push_back('\n');
    }
  }
  return out;
}

// The name of the first field (or uploaded file name) breaking the text rule
// of core/text.h; new lines and tabs pass (the deciders refuse them in
// one-line fields).
// Never "" for a bad form: a field without a name (or whose name is itself
// bad) is named "?".
std::string FirstBadText(const Form& form) {
  auto named = [](const std::string& name) {
    return name.empty() || !core::IsValidText(name, core::TextKind::kSingleLine) ? std::string("?") : name;
  };
  for (const auto& [name, value] : form.fields) {
    const bool good = core::IsValidText(name, core::TextKind::kSingleLine) &&
                      core::IsValidText(value, core::TextKind::kMultiLine);
    if (!good) return named(name);
  }
  for (const UploadedFile& file : form.files) {
    if (!core::IsValidText(file.filename, core::TextKind::kSingleLine)) return named(file.field);
  }
  return {};
}

}  // namespace

Form ParseForm(const Request& request) {
  Form form;
  std::string type = request.MediaType();
  bool decoded = true;
  if (type == "application/x-www-form-urlencoded") {
    auto fields = ParseUrlEncoded(request.body);
    decoded = fields.has_value();
    if (fields) form.fields = std::move(*fields);
  }
  if (type == "multipart/form-data") ReadMultipartForm(request, form);
  for (auto& field : form.fields) field.second = NormaliseNewLines(std::move(field.second));
  form.bad_text_field = decoded ? FirstBadText(form) : "?";
  return form;
}

std::string Form::Get(std::string_view name) const {
  for (const auto& [k, v] : fields) {
    if (k == name) return v;
  }
  return {};
}

std::vector<std::string> Form::All(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : fields) {
    if (k == name) out.push_back(v);
  }
  return out;
}

bool Form::Has(std::string_view name) const {
  return std::any_of(fields.begin(), fields.end(), [&](const auto& kv) { return kv.first == name; });
}

const UploadedFile* Form::File(std::string_view field) const {
  for (const auto& f : files) {
    if (f.field == field) return &f;
  }
  return nullptr;
}

// ---- Formatting ----------------------------------------------------------------

namespace {
constexpr const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};
}  // namespace

std::string FormatDateText(core::Date date) {
  return fmt::format("{} {} {}", date.day(), kMonths[date.month() - 1], date.year());
}

std::string FormatWhen(core::Timestamp at) {
  if (at == 0) return {};
  at = base::UkLocalTime(at);
  core::Date date = core::Date::FromTimestamp(at);
  int64_t seconds_of_day = (at / 1'000'000) % 86'400;
  if (seconds_of_day < 0) seconds_of_day += 86'400;
  int hour = static_cast<int>(seconds_of_day / 3600);
  int minute = static_cast<int>(seconds_of_day / 60 % 60);
  int hour12 = hour % 12 == 0 ? 12 : hour % 12;
  return fmt::format("{}, {}:{:02d}{}", FormatDateText(date), hour12, minute, hour < 12 ? "am" : "pm");
}

std::string FormatIso(core::Timestamp at) { return at == 0 ? std::string() : base::FormatRfc3339Seconds(at); }

std::string PeriodText(std::string_view text) {
  auto period = core::Period::Parse(text);
  if (!period) return std::string(text);
  const core::Date s = period->start;
  const core::Date e = period->end;
  switch (period->frequency) {
    case core::Frequency::kMonthly: return fmt::format("{} {}", kMonths[s.month() - 1], s.year());
    case core::Frequency::kQuarterly:
      return fmt::format("{} to {} {}", kMonths[s.month() - 1], kMonths[e.month() - 1], e.year());
    case core::Frequency::kAnnual: return fmt::format("April {} to March {}", s.year(), e.year());
    case core::Frequency::kOneOff: return FormatDateText(s);
  }
  return std::string(text);
}

std::string ClaimRef(std::string_view claim_id) {
  std::string out(claim_id);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string StatusColour(core::ClaimStatus status) {
  using S = core::ClaimStatus;
  switch (status) {
    case S::kAwaitingProviderApproval:
    case S::kAwaitingTier1:
    case S::kAwaitingTier2:
    case S::kAwaitingFinance: return "blue";
    case S::kApprovedForPayment: return "green";
    case S::kPaymentHeld: return "yellow";
    case S::kSentForPayment: return "purple";
    case S::kPaid: return "aqua-green";
    case S::kReturned: return "orange";
    case S::kRejected: return "red";
    default: return "grey";
  }
}

std::string StatusSlug(core::ClaimStatus status) {
  using S = core::ClaimStatus;
  switch (status) {
    case S::kDraft: return "draft";
    case S::kAwaitingProviderApproval: return "awaiting_provider";
    case S::kAwaitingTier1: return "awaiting_tier1";
    case S::kAwaitingTier2: return "awaiting_tier2";
    case S::kAwaitingFinance: return "awaiting_finance";
    case S::kApprovedForPayment: return "approved";
    case S::kPaymentHeld: return "held";
    case S::kSentForPayment: return "sent";
    case S::kPaid: return "paid";
    case S::kReturned: return "returned";
    case S::kRejected: return "rejected";
    case S::kWithdrawn: return "withdrawn";
    case S::kDeleted: return "deleted";
    default: return "none";
  }
}

std::string RiskBandText(core::RiskBand band) {
  switch (band) {
    case core::RiskBand::kLow: return "Low risk (under £15,000)";
    case core::RiskBand::kMedium: return "Medium risk (£15,000 to £49,999)";
    case core::RiskBand::kHigh: return "High risk (£50,000 and above)";
  }
  return {};
}

std::string RiskBandColour(core::RiskBand band) {
  switch (band) {
    case core::RiskBand::kLow: return "grey";
    case core::RiskBand::kMedium: return "yellow";
    case core::RiskBand::kHigh: return "red";
  }
  return "grey";
}

json::object Tag(std::string text, std::string colour) { return {{"text", text}, {"colour", colour}}; }
json::object StatusTag(core::ClaimStatus status) {
  return Tag(std::string(core::StatusName(status)), StatusColour(status));
}
json::object RiskTag(core::RiskBand band) { return Tag(RiskBandText(band), RiskBandColour(band)); }

std::string SizeText(int64_t bytes) {
  if (bytes < 1024) return fmt::format("{} bytes", bytes);
  if (bytes < 1024 * 1024) return fmt::format("{} KB", (bytes + 1023) / 1024);
  return fmt::format("{:.1f} MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

std::string WithThousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

std::string PoundsInput(core::Pence pence) {
  return fmt::format("{}{}.{:02d}", pence < 0 ? "-" : "", (pence < 0 ? -pence : pence) / 100,
                     (pence < 0 ? -pence : pence) % 100);
}

namespace {
std::string Cleaned(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ',' && c != ' ') out.push_back(c);
  }
  if (out.rfind("£", 0) == 0) out.erase(0, std::string("£").size());
  return out;
}
}  // namespace

std::optional<int64_t> ParseWholeNumber(std::string_view text) {
  std::string s = Cleaned(text);
  if (s.empty() || s.size() > 15) return std::nullopt;
  size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size()) return std::nullopt;
  for (size_t j = i; j < s.size(); ++j) {
    if (!std::isdigit(static_cast<unsigned char>(s[j]))) return std::nullopt;
  }
  return std::stoll(s);
}

std::optional<core::Pence> ParsePounds(std::string_view text) {
  std::string s = Cleaned(text);
  size_t dot = s.find('.');
  std::string whole = s.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  if (frac.size() > 2 || (dot != std::string::npos && frac.empty())) return std::nullopt;
  for (char c : frac) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  auto w = ParseWholeNumber(whole.empty() ? "0" : whole);
  if (!w || whole == "-") return std::nullopt;
  while (frac.size() < 2) frac.push_back('0');
  int64_t cents = std::stoll(frac);
  bool negative = !whole.empty() && whole[0] == '-';
  return *w * 100 + (negative ? -cents : cents);
}

json::object InputField(std::string id, std::string name, std::string label) {
  return {{"id", id},        {"name", name}, {"label", label}, {"label_class", ""},       {"hint", ""},
          {"error", ""},     {"value", ""},  {"type", "text"}, {"autocomplete", ""},      {"width_class", ""},
          {"inputmode", ""}, {"prefix", ""}, {"suffix", ""},   {"spellcheck_off", false}, {"required", false},
          {"max_value", ""}};
}

json::object TextareaField(std::string id, std::string name, std::string label) {
  return {{"id", id},   {"name", name}, {"label", label}, {"label_class", ""},
          {"hint", ""}, {"error", ""},  {"value", ""},    {"rows", 4}};
}

json::object SelectField(std::string id, std::string name, std::string label) {
  return {{"id", id},   {"name", name}, {"label", label},          {"label_class", ""},
          {"hint", ""}, {"error", ""},  {"options", json::array{}}};
}

json::object ChoiceField(std::string id, std::string name, std::string legend) {
  return {{"id", id},    {"name", name},    {"legend", legend}, {"legend_class", ""},    {"hint", ""},
          {"error", ""}, {"inline", false}, {"small", false},   {"items", json::array{}}};
}

json::object ChoiceItem(const std::string& field_id, bool first, std::string value, std::string text, bool checked,
                        std::string hint) {
  std::string id = first ? field_id : field_id + "-" + value;
  for (char& c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '-';
  }
  return {{"item_id", id},     {"item_value", value}, {"item_text", text},
          {"item_hint", hint}, {"checked", checked},  {"conditional_id", ""}};
}

json::object FileField(std::string id, std::string name, std::string label) {
  // "form": the id of the form the input belongs to when it is placed outside it.
  return {{"id", id},   {"name", name}, {"label", label}, {"label_class", ""},
          {"hint", ""}, {"error", ""},  {"accept", ""},   {"form", ""}};
}

}  // namespace ledger::http::portal

// One service of a commissioner administrator: its page (details, components,
// questions, tariffs) and the forms that change it: create and edit a draft,
// add, change and remove components and questions, add tariff versions, publish,
// retire and share. Every form runs the API's commands through the same
// CommandBus, at the version it was rendered from.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "ledger/core/streams.h"
#include "ledger/projections/reports.h"
#include "portal_internal.h"

namespace ledger::http::portal {
namespace {

using core::Action;
using Errors = std::vector<std::pair<std::string, std::string>>;

std::string UnitText(core::UnitKind k) {
  switch (k) {
    case core::UnitKind::kCount: return "Count";
    case core::UnitKind::kMoney: return "Money";
    case core::UnitKind::kYesNo: return "Yes or no";
    case core::UnitKind::kPercentage: return "Percentage";
  }
  return {};
}

// The service named by {id}, if the viewer's commissioner owns it or has been shared it.
std::optional<std::pair<core::ServiceState, uint64_t>> VisibleService(Page& page) {
  const std::string& id = page.call().Param("id");
  if (!core::IsValidId(id)) return std::nullopt;
  auto loaded = CurrentState<core::ServiceState>(page.ledger(), core::ServiceStream(id));
  if (!loaded || !core::MayOffer(loaded->first, page.who().org_code)) return std::nullopt;
  return loaded;
}

// The service named by {id}, if the viewer's commissioner owns it (shared services are read-only).
std::optional<std::pair<core::ServiceState, uint64_t>> OwnService(Page& page) {
  auto loaded = VisibleService(page);
  if (!loaded || loaded->first.commissioner != page.who().org_code) return std::nullopt;
  return loaded;
}

// The same, only while it is a draft (components and questions change only then).
std::optional<std::pair<core::ServiceState, uint64_t>> OwnDraft(Page& page) {
  auto loaded = OwnService(page);
  if (!loaded || loaded->first.status != core::ServiceStatus::kDraft) return std::nullopt;
  return loaded;
}

// The version the form was rendered from, checked by the command path (none when absent).
std::optional<app::Precondition> FormVersion(Page& page, const std::string& service_id) {
  auto v = ParseWholeNumber(page.form().Get("version"));
  if (!v || *v <= 0) return std::nullopt;
  return app::Precondition{core::ServiceStream(service_id), static_cast<uint64_t>(*v)};
}

std::string Posted(Page& page, const std::string& name, const std::string& fallback) {
  return page.call().request().method == "POST" ? page.form().Get(name) : fallback;
}

// Sets each error on its field (when the field is shown) and the summary on the model.
void ShowErrors(json::object& m, json::object& fields, const Errors& errors) {
  for (const auto& [id, message] : errors) {
    if (fields.contains(id) && fields[id].is_object()) fields[id].as_object()["error"] = message;
  }
  if (!errors.empty()) m["error_summary"] = ErrorSummary(errors);
}

// A rejection's field errors as (field id, message), through `field_of` (path, code) -> id;
// a rejection without field errors goes on `fallback`.
template <typename FieldOf>
Errors RejectionErrors(const app::ExecuteResult& r, const std::string& fallback, FieldOf field_of) {
  Errors errors;
  if (r.rejected()) {
    for (const core::FieldError& e : r.rejection().errors) errors.emplace_back(field_of(e.path, e.code), e.message);
  }
  if (errors.empty()) errors.emplace_back(fallback, RejectionText(r));
  return errors;
}

json::object Radios(const std::string& id, const std::string& legend, const std::string& chosen,
                    const std::vector<std::pair<std::string, std::string>>& choices, bool inline_items = false) {
  json::object f = ChoiceField(id, id, legend);
  f["legend_class"] = "nhsuk-fieldset__legend--s";
  f["inline"] = inline_items;
  json::array items;
  for (size_t i = 0; i < choices.size(); ++i) {
    items.push_back(ChoiceItem(id, i == 0, choices[i].first, choices[i].second, chosen == choices[i].first));
  }
  f["items"] = items;
  return f;
}

json::object YesNo(const std::string& id, const std::string& legend, const std::string& chosen) {
  return Radios(id, legend, chosen, {{"yes", "Yes"}, {"no", "No"}}, true);
}

json::object Input(const std::string& id, const std::string& label, const std::string& value,
                   const std::string& width = "", const std::string& hint = "") {
  json::object f = InputField(id, id, label);
  f["value"] = value;
  f["width_class"] = width;
  f["hint"] = hint;
  return f;
}

json::object Back(const std::string& service_id) {
  return {{"href", "/admin/services/" + service_id}, {"text", "Back to service"}};
}

// "12.345" has fractions of a penny; "12.3x" is not an amount at all.
bool HasFractionalPence(std::string_view text) {
  size_t dot = text.find('.');
  if (dot == std::string_view::npos || text.size() - dot - 1 <= 2) return false;
  return std::all_of(text.begin() + dot + 1, text.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// Pounds and pence typed by a person, converted exactly to pence; an error when
// it is empty, not an amount, negative, or has fractions of a penny.
std::optional<core::Pence> ReadPounds(const std::string& text, const std::string& what, const std::string& id,
                                      Errors& errors) {
  if (text.empty()) {
    errors.emplace_back(id, "Enter " + what);
    return std::nullopt;
  }
  if (HasFractionalPence(text)) {
    errors.emplace_back(id, "Enter " + what +
                                " in pounds and whole pence, like 12.50: it cannot have fractions of a penny");
    return std::nullopt;
  }
  auto pence = ParsePounds(text);
  if (!pence || *pence < 0) {
    errors.emplace_back(id, "Enter " + what + " as an amount in pounds, like 12.50");
    return std::nullopt;
  }
  return pence;
}

// ---- The service page ---------------------------------------------------------------------

json::array ComponentRows(const core::ServiceDefinition& d) {
  json::array components;
  for (const auto& c : d.components) {
    std::string range = c.unit_kind == core::UnitKind::kMoney
                            ? core::FormatPounds(c.min) + " to " + core::FormatPounds(c.max)
                            : WithThousands(c.min) + " to " + WithThousands(c.max);
    components.push_back(json::object{{"component_id", c.id},
                                      {"name", c.name},
                                      {"unit", UnitText(c.unit_kind)},
                                      {"range_text", range},
                                      {"required_text", c.required ? "Yes" : "No"}});
  }
  return components;
}

json::array QuestionRows(const core::ServiceDefinition& d) {
  json::array questions;
  for (const auto& q : d.questions) {
    questions.push_back(json::object{{"question_id", q.id},
                                     {"text", q.text},
                                     {"kind_text", q.kind == core::QuestionKind::kText     ? "Text"
                                                   : q.kind == core::QuestionKind::kNumber ? "Number"
                                                                                           : "Yes or no"},
                                     {"required", q.required}});
  }
  return questions;
}

std::string TariffTypeText(core::PaymentType t) {
  switch (t) {
    case core::PaymentType::kItemOfService: return "Item of service";
    case core::PaymentType::kPopulation: return "Population";
    case core::PaymentType::kThreshold: return "Threshold";
    case core::PaymentType::kParticipation: return "Participation";
  }
  return {};
}

json::array TariffRows(const core::ServiceState& s) {
  json::array tariffs;
  for (size_t i = 0; i < s.tariffs.size(); ++i) {
    const core::Tariff& t = s.tariffs[i];
    tariffs.push_back(json::object{{"version", std::to_string(i + 1)},
                                   {"effective_from_text", FormatDateText(t.effective_from)},
                                   {"payment_type", TariffTypeText(t.payment_type)},
                                   {"rates_text", RatesText(s, t)}});
  }
  return tariffs;
}

json::object ServiceSummary(Page& page, const core::ServiceState& s, uint64_t version) {
  const core::ServiceDefinition& d = s.definition;
  json::array shared;
  for (const auto& c : s.shared_with) shared.push_back(json::string(OrgName(page.ledger(), c)));
  std::string frequency(core::FrequencyName(d.frequency));
  if (!frequency.empty()) frequency[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(frequency[0])));
  return {{"service_id", s.service_id},
          {"version", version},
          {"service_name", d.name},
          {"service_code", d.code},
          {"status", ServiceStatusTag(s.status)},
          {"description", d.description},
          {"category", d.category == core::ServiceCategory::kLes ? "Local enhanced service" : "Local incentive scheme"},
          {"frequency", frequency},
          {"window_days", d.window_days},
          {"start_text", FormatDateText(d.start)},
          {"end_text", FormatDateText(d.end)},
          {"evidence_text", d.evidence_required ? "Required" : "Not required"},
          {"shared_with", shared}};
}

Response RenderService(Page& page, const core::ServiceState& s, uint64_t version, int status,
                       const Errors& share_errors) {
  bool own = s.commissioner == page.who().org_code;
  bool draft = s.status == core::ServiceStatus::kDraft;
  json::object m = page.Base(s.definition.name, "/admin/services");
  m["breadcrumbs"] = json::object{{"items",
                                   json::array{json::object{{"href", "/"}, {"text", "Home"}},
                                               json::object{{"href", "/admin/services"}, {"text", "Services"}}}},
                                  {"back", json::object{{"href", "/admin/services"}, {"text", "Back to services"}}}};
  m["service"] = ServiceSummary(page, s, version);
  m["is_draft"] = own && draft;
  m["components"] = ComponentRows(s.definition);
  json::array questions = QuestionRows(s.definition);
  m["has_questions"] = !questions.empty();
  m["questions"] = questions;
  json::array tariffs = TariffRows(s);
  m["has_tariffs"] = !tariffs.empty();
  m["tariffs"] = tariffs;
  m["can_add_tariff"] = own && s.status != core::ServiceStatus::kRetired;
  m["can_publish"] = own && draft && !s.tariffs.empty();
  m["can_offer"] = s.status == core::ServiceStatus::kPublished;
  m["can_share"] = own && s.status != core::ServiceStatus::kRetired;
  m["can_retire"] = own && s.status == core::ServiceStatus::kPublished;
  json::object with = Input("with_commissioner", "Organisation code of the commissioner",
                            Posted(page, "with_commissioner", ""), "nhsuk-input--width-10",
                            "The ODS code of the other commissioner, for example 00L");
  with["spellcheck_off"] = true;
  json::object fields{{"with_commissioner", with}};
  ShowErrors(m, fields, share_errors);
  m["fields"] = fields;
  return page.Render(status, "service", m);
}

Response ServicePage(Page& page) {
  auto loaded = VisibleService(page);
  if (!loaded) return page.NotFound();
  return RenderService(page, loaded->first, loaded->second, 200, {});
}

Response SharePost(Page& page) {
  auto loaded = OwnService(page);
  if (!loaded) return page.NotFound();
  const core::ServiceState& s = loaded->first;
  std::string with = page.form().Get("with_commissioner");
  with.erase(std::remove_if(with.begin(), with.end(), [](unsigned char c) { return std::isspace(c); }), with.end());
  std::transform(with.begin(), with.end(), with.begin(), [](unsigned char c) { return std::toupper(c); });
  if (with.empty() || !core::IsValidId(with)) {
    return RenderService(page, s, loaded->second, 422,
                         {{"with_commissioner", "Enter the organisation code of the commissioner to share with"}});
  }
  app::ExecuteResult r = page.Execute(core::ShareService{s.service_id, with}, FormVersion(page, s.service_id));
  if (!r.ok()) {
    auto now = OwnService(page);
    return RenderService(page, now ? now->first : s, now ? now->second : loaded->second, 422,
                         {{"with_commissioner", RejectionText(r)}});
  }
  Flash f;
  f.heading = "Service shared with " + OrgName(page.ledger(), with);
  return page.Redirect("/admin/services/" + s.service_id, f);
}

// ---- Create and edit a draft's details ----------------------------------------------------

// Details as typed (or as stored when the form is first shown).
struct DetailsInput {
  std::string name, code, description, category, frequency, window_days, start, end, evidence;
};

DetailsInput DetailsOf(Page& page, const core::ServiceDefinition* d) {
  DetailsInput in;
  if (page.call().request().method == "POST") {
    const Form& f = page.form();
    return {f.Get("name"),        f.Get("code"),  f.Get("description"), f.Get("category"),         f.Get("frequency"),
            f.Get("window_days"), f.Get("start"), f.Get("end"),         f.Get("evidence_required")};
  }
  if (d == nullptr) {
    in.category = "LES";
    in.frequency = "quarterly";
    in.window_days = "30";
    in.evidence = "no";
    return in;
  }
  return {d->name,
          d->code,
          d->description,
          d->category == core::ServiceCategory::kLes ? "LES" : "LIS",
          std::string(core::FrequencyName(d->frequency)),
          std::to_string(d->window_days),
          d->start.ToString(),
          d->end.ToString(),
          d->evidence_required ? "yes" : "no"};
}

Response RenderServiceForm(Page& page, const core::ServiceState* s, uint64_t version, int status,
                           const Errors& errors) {
  DetailsInput in = DetailsOf(page, s ? &s->definition : nullptr);
  json::object m = page.Base(s ? "Change " + s->definition.name : "Create a service", "/admin/services");
  m["back_link"] = s ? Back(s->service_id) : json::object{{"href", "/admin/services"}, {"text", "Back to services"}};
  m["heading"] = s ? "Change the service details" : "Create a service";
  m["form_action"] = s ? "/admin/services/" + s->service_id + "/edit" : "/admin/services/new";
  m["version"] = version;
  json::object name = Input("name", "Service name", in.name);
  json::object code = Input("code", "Service code", in.code, "nhsuk-input--width-10",
                            "Letters, numbers and hyphens, unique within your organisation");
  code["spellcheck_off"] = true;
  json::object description = TextareaField("description", "description", "Description");
  description["hint"] = "Practices see this when you offer them the service";
  description["value"] = in.description;
  json::object window = Input("window_days", "Claim window in days", in.window_days, "nhsuk-input--width-3",
                              "How long after the end of a period practices can claim");
  window["inputmode"] = "numeric";
  json::object fields{
      {"name", name},
      {"code", s ? json::value(false) : json::value(code)},
      {"description", description},
      {"category", Radios("category", "Type of scheme", in.category,
                          {{"LES", "Local enhanced service (LES)"}, {"LIS", "Local incentive scheme (LIS)"}})},
      {"frequency", Radios("frequency", "How often do practices claim?", in.frequency,
                           {{"monthly", "Monthly"},
                            {"quarterly", "Quarterly"},
                            {"annual", "Once a year"},
                            {"one-off", "Once, for a single activity"}})},
      {"window_days", window},
      {"start", Input("start", "Service starts", in.start, "nhsuk-input--width-10", "For example, 2027-04-01")},
      {"end", Input("end", "Service ends", in.end, "nhsuk-input--width-10", "For example, 2028-03-31")},
      {"evidence_required", YesNo("evidence_required", "Must practices attach evidence?", in.evidence)}};
  for (auto& [key, field] : fields) {
    if (field.is_object() && field.as_object().contains("label_class"))
      field.as_object()["label_class"] = "nhsuk-label--s";
  }
  ShowErrors(m, fields, errors);
  m["fields"] = fields;
  return page.Render(status, "service_form", m);
}

// Reads the typed details over `d`; field errors for what cannot be read.
Errors ReadDetails(Page& page, core::ServiceDefinition& d, bool with_code) {
  DetailsInput in = DetailsOf(page, nullptr);
  Errors errors;
  d.name = in.name;
  if (d.name.empty()) errors.emplace_back("name", "Enter the service name");
  if (with_code) d.code = in.code;
  if (with_code && d.code.empty()) errors.emplace_back("code", "Enter the service code");
  d.description = in.description;
  if (in.category != "LES" && in.category != "LIS") errors.emplace_back("category", "Select the type of scheme");
  d.category = in.category == "LIS" ? core::ServiceCategory::kLis : core::ServiceCategory::kLes;
  if (auto f = core::ParseFrequency(in.frequency))
    d.frequency = *f;
  else
    errors.emplace_back("frequency", "Select how often practices claim");
  auto window = ParseWholeNumber(in.window_days);
  if (!window)
    errors.emplace_back("window_days", "Enter the claim window as a whole number of days, like 30");
  else
    d.window_days = static_cast<int32_t>(std::clamp<int64_t>(*window, -1, 100000));
  auto start = core::Date::Parse(in.start);
  auto end = core::Date::Parse(in.end);
  if (!start) errors.emplace_back("start", "Enter the date the service starts, like 2027-04-01");
  if (!end) errors.emplace_back("end", "Enter the date the service ends, like 2028-03-31");
  if (start) d.start = *start;
  if (end) d.end = *end;
  if (in.evidence != "yes" && in.evidence != "no")
    errors.emplace_back("evidence_required", "Select whether practices must attach evidence");
  d.evidence_required = in.evidence == "yes";
  return errors;
}

std::string DetailsField(const std::string& path, const std::string&) { return path == "dates" ? "end" : path; }

// Adds core's rules on what the form could read (a claim window out of range,
// an end before the start) to the form's own errors, so that every error of
// the form shows at once; a field the form already flagged keeps its message.
void AddDefinitionRules(const core::ServiceDefinition& d, Errors& errors) {
  for (const core::FieldError& e : core::ValidateDefinition(d)) {
    const std::string field = DetailsField(e.path, e.code);
    const bool flagged = std::any_of(errors.begin(), errors.end(),
                                     [&field](const auto& error) { return error.first == field; });
    if (!flagged) errors.emplace_back(field, e.message);
  }
}

// A new service's id: its code in lower case ("LES-DIAB27" -> "les-diab27").
std::string IdForCode(const std::string& code) {
  std::string id = code;
  std::transform(id.begin(), id.end(), id.begin(), [](unsigned char c) { return std::tolower(c); });
  return id;
}

Response ServiceNewPage(Page& page) { return RenderServiceForm(page, nullptr, 0, 200, {}); }

Response ServiceNewPost(Page& page) {
  core::ServiceDefinition d;
  Errors errors = ReadDetails(page, d, true);
  std::string id = IdForCode(d.code);
  if (!d.code.empty() && !core::IsValidId(id))
    errors.emplace_back("code", "Use letters, numbers and hyphens for the service code");
  if (!errors.empty()) {
    AddDefinitionRules(d, errors);
    return RenderServiceForm(page, nullptr, 0, 422, errors);
  }
  app::ExecuteResult r = page.Execute(core::DefineService{id, page.who().org_code, d});
  if (!r.ok()) {
    errors = RejectionErrors(r, "code", DetailsField);
    if (r.rejected() && r.rejection().code == "service_exists")
      errors = {{"code", "A service with this code already exists"}};
    return RenderServiceForm(page, nullptr, 0, 422, errors);
  }
  Flash f;
  f.heading = "Service created as a draft";
  f.body = "Add its components, questions and a tariff, then publish it.";
  return page.Redirect("/admin/services/" + id, f);
}

Response ServiceEditPage(Page& page) {
  auto loaded = OwnDraft(page);
  if (!loaded) return page.NotFound();
  return RenderServiceForm(page, &loaded->first, loaded->second, 200, {});
}

Response ServiceEditPost(Page& page) {
  auto loaded = OwnDraft(page);
  if (!loaded) return page.NotFound();
  const core::ServiceState& s = loaded->first;
  core::ServiceDefinition d = s.definition;
  Errors errors = ReadDetails(page, d, false);
  if (!errors.empty()) {
    AddDefinitionRules(d, errors);
    return RenderServiceForm(page, &s, loaded->second, 422, errors);
  }
  app::ExecuteResult r = page.Execute(core::EditServiceDraft{s.service_id, d}, FormVersion(page, s.service_id));
  if (!r.ok()) return RenderServiceForm(page, &s, loaded->second, 422, RejectionErrors(r, "name", DetailsField));
  Flash f;
  f.heading = "Service details saved";
  return page.Redirect("/admin/services/" + s.service_id, f);
}

// Saves a changed definition of a draft at the form's version; on success
// redirects to the service with `done` as the flash heading.
app::ExecuteResult SaveDefinition(Page& page, const core::ServiceState& s, const core::ServiceDefinition& d) {
  return page.Execute(core::EditServiceDraft{s.service_id, d}, FormVersion(page, s.service_id));
}

Response Saved(Page& page, const core::ServiceState& s, const std::string& done) {
  Flash f;
  f.heading = done;
  return page.Redirect("/admin/services/" + s.service_id, f);
}

// ---- Components and questions ----------------------------------------------------------------

// What a component or question form is doing: adding one, or changing the one named in the path.
template <typename Item>
struct ItemForm {
  const Item* editing = nullptr;  // null when adding
  std::string Action(const core::ServiceState& s, const char* kind) const {
    return "/admin/services/" + s.service_id + "/" + kind + "/" + (editing ? editing->id + "/edit" : "new");
  }
};

// Finds the item named by the path parameter `param` (nullptr when absent).
template <typename Item>
const Item* FindItem(Page& page, const std::vector<Item>& items, const std::string& param) {
  auto it = std::find_if(items.begin(), items.end(), [&](const Item& i) { return i.id == page.call().Param(param); });
  return it == items.end() ? nullptr : &*it;
}

// The form-level keys every component and question form has.
json::object ItemFormBase(Page& page, const core::ServiceState& s, uint64_t version, const std::string& title,
                          const std::string& action, const std::string& button) {
  json::object m = page.Base(title + " – " + s.definition.name, "/admin/services");
  m["back_link"] = Back(s.service_id);
  m["service_id"] = s.service_id;
  m["service_name"] = s.definition.name;
  m["version"] = version;
  m["heading"] = title;
  m["form_action"] = action;
  m["button_text"] = button;
  return m;
}

bool IsMoney(const std::string& unit) { return unit == "money"; }

std::string BoundText(const core::Component& c, int64_t v) {
  return c.unit_kind == core::UnitKind::kMoney ? PoundsInput(v) : std::to_string(v);
}

Response RenderComponentForm(Page& page, const core::ServiceState& s, uint64_t version, ItemForm<core::Component> form,
                             int status, const Errors& errors) {
  const core::Component* c = form.editing;
  json::object m = ItemFormBase(page, s, version, c ? "Change a component" : "Add a component",
                                form.Action(s, "components"), c ? "Save component" : "Add component");
  json::object id = Input("component_id", "Component ID", Posted(page, "component_id", ""), "nhsuk-input--width-20",
                          "Short, lower case, used in CSV uploads, for example reviews");
  id["spellcheck_off"] = true;
  json::object min = Input("min", "Lowest allowed value", Posted(page, "min", c ? BoundText(*c, c->min) : "0"),
                           "nhsuk-input--width-10", "A whole number, or pounds and pence for an amount of money");
  min["inputmode"] = "decimal";
  json::object max = Input("max", "Highest allowed value", Posted(page, "max", c ? BoundText(*c, c->max) : ""),
                           "nhsuk-input--width-10", "For yes or no, 0 to 1");
  max["inputmode"] = "decimal";
  json::object numerator = SelectField("numerator_of", "numerator_of", "Numerator of (threshold payments only)");
  numerator["hint"] = "Achievement is this component divided by the one you choose; both must be percentages";
  std::string chosen = Posted(page, "numerator_of", c ? c->numerator_of : "");
  json::array options{
      json::object{{"option_value", ""}, {"option_text", "Not a numerator"}, {"selected", chosen.empty()}}};
  for (const auto& other : s.definition.components) {
    if (c != nullptr && other.id == c->id) continue;
    options.push_back(
        json::object{{"option_value", other.id}, {"option_text", other.name}, {"selected", other.id == chosen}});
  }
  numerator["options"] = options;
  std::string unit = c ? std::string(core::UnitKindName(c->unit_kind)) : "count";
  json::object fields{{"component_id", c ? json::value(false) : json::value(id)},
                      {"name", Input("name", "Name practices see", Posted(page, "name", c ? c->name : ""))},
                      {"unit", Radios("unit", "What is entered?", Posted(page, "unit", unit),
                                      {{"count", "A count"},
                                       {"money", "An amount of money"},
                                       {"yes_no", "Yes or no"},
                                       {"percentage", "A percentage"}})},
                      {"min", min},
                      {"max", max},
                      {"required", YesNo("required", "Must practices enter a value?",
                                         Posted(page, "required", c && !c->required ? "no" : "yes"))},
                      {"numerator_of", numerator}};
  ShowErrors(m, fields, errors);
  m["fields"] = fields;
  return page.Render(status, "service_component_form", m);
}

// A bound typed by a person: pence for money, else a whole number.
std::optional<int64_t> ReadBound(const std::string& text, bool money, const std::string& id, const std::string& what,
                                 Errors& errors) {
  if (money) return ReadPounds(text, "the " + what + " amount", id, errors);
  auto n = ParseWholeNumber(text);
  if (!n) errors.emplace_back(id, "Enter the " + what + " value as a whole number, like 0");
  return n;
}

// The component as typed; its id is `id` when changing one.
core::Component ReadComponent(Page& page, const std::string& id, Errors& errors) {
  const Form& form = page.form();
  core::Component c;
  c.id = id.empty() ? form.Get("component_id") : id;
  c.name = form.Get("name");
  std::string unit = form.Get("unit");
  static const std::vector<std::pair<std::string, core::UnitKind>> kUnits = {{"count", core::UnitKind::kCount},
                                                                             {"money", core::UnitKind::kMoney},
                                                                             {"yes_no", core::UnitKind::kYesNo},
                                                                             {"percentage",
                                                                              core::UnitKind::kPercentage}};
  auto kind = std::find_if(kUnits.begin(), kUnits.end(), [&](const auto& u) { return u.first == unit; });
  if (c.id.empty()) errors.emplace_back("component_id", "Enter an ID for the component");
  if (c.name.empty()) errors.emplace_back("name", "Enter the name practices see");
  if (kind == kUnits.end())
    errors.emplace_back("unit", "Select what is entered");
  else
    c.unit_kind = kind->second;
  auto min = ReadBound(form.Get("min"), IsMoney(unit), "min", "lowest", errors);
  auto max = ReadBound(form.Get("max"), IsMoney(unit), "max", "highest", errors);
  if (min) c.min = *min;
  if (max) c.max = *max;
  if (form.Get("required") != "yes" && form.Get("required") != "no")
    errors.emplace_back("required", "Select whether practices must enter a value");
  c.required = form.Get("required") != "no";
  c.numerator_of = form.Get("numerator_of");
  return c;
}

std::string ComponentField(const std::string&, const std::string& code) {
  if (code == "invalid_id" || code == "duplicate_id") return "component_id";
  if (code == "name_required") return "name";
  if (code == "invalid_range") return "min";
  if (code == "unknown_denominator" || code == "not_a_percentage") return "numerator_of";
  return "component_id";
}

Response ComponentFormPage(Page& page) {
  auto loaded = OwnDraft(page);
  if (!loaded) return page.NotFound();
  ItemForm<core::Component> form;
  if (!page.call().Param("component").empty()) {
    form.editing = FindItem(page, loaded->first.definition.components, "component");
    if (form.editing == nullptr) return page.NotFound();
  }
  return RenderComponentForm(page, loaded->first, loaded->second, form, 200, {});
}

Response ComponentFormPost(Page& page) {
  auto loaded = OwnDraft(page);
  if (!loaded) return page.NotFound();
  const core::ServiceState& s = loaded->first;
  ItemForm<core::Component> form;
  core::ServiceDefinition d = s.definition;
  if (!page.call().Param("component").empty()) {
    form.editing = FindItem(page, s.definition.components, "component");
    if (form.editing == nullptr) return page.NotFound();
  }
  Errors errors;
  core::Component c = ReadComponent(page, form.editing ? form.editing->id : "", errors);
  if (!errors.empty()) return RenderComponentForm(page, s, loaded->second, form, 422, errors);
  if (form.editing) {
    *std::find_if(d.components.begin(), d.components.end(), [&](const auto& x) { return x.id == c.id; }) = c;
  } else {
    d.components.push_back(c);
  }
  app::ExecuteResult r = SaveDefinition(page, s, d);
  if (!r.ok()) {
    return RenderComponentForm(page, s, loaded->second, form, 422,
                               RejectionErrors(r, form.editing ? "name" : "component_id", ComponentField));
  }
  return Saved(page, s, "Component " + c.name + (form.editing ? " saved" : " added"));
}

// Removes a component or a question (by id) from a draft; a missing id is not found.
template <typename Item>
Response RemoveItem(Page& page, std::vector<Item> core::ServiceDefinition::*items, const std::string& param,
                    const std::string& what) {
  auto loaded = OwnDraft(page);
  if (!loaded) return page.NotFound();
  const core::ServiceState& s = loaded->first;
  core::ServiceDefinition d = s.definition;
  std::vector<Item>& list = d.*items;
  auto it = std::find_if(list.begin(), list.end(), [&](const Item& i) { return i.id == page.call().Param(param); });
  if (it == list.end()) return page.NotFound();
  std::string removed = it->id;
  list.erase(it);
  app::ExecuteResult r = SaveDefinition(page, s, d);
  if (!r.ok()) {
    Flash f;
    f.success = false;
    f.heading = "The " + what + " could not be removed";
    f.body = RejectionText(r);
    return page.Redirect("/admin/services/" + s.service_id, f);
  }
  return Saved(page, s, fmt::format("The {} {} was removed", what, removed));
}

Response ComponentRemovePost(Page& page) {
  return RemoveItem(page, &core::ServiceDefinition::components, "component", "component");
}

Response RenderQuestionForm(Page& page, const core::ServiceState& s, uint64_t version, ItemForm<core::Question> form,
                            int status, const Errors& errors) {
  const core::Question* q = form.editing;
  json::object m = ItemFormBase(page, s, version, q ? "Change a question" : "Add a question",
                                form.Action(s, "questions"), q ? "Save question" : "Add question");
  json::object id = Input("question_id", "Question ID", Posted(page, "question_id", ""), "nhsuk-input--width-20",
                          "Short, lower case, for example lead_clinician");
  id["spellcheck_off"] = true;
  json::object text = TextareaField("text", "text", "Question practices answer");
  text["value"] = Posted(page, "text", q ? q->text : "");
  text["rows"] = 3;
  std::string kind = q ? std::string(core::QuestionKindName(q->kind)) : "text";
  json::object fields{{"question_id", q ? json::value(false) : json::value(id)},
                      {"text", text},
                      {"kind", Radios("kind", "Type of answer", Posted(page, "kind", kind),
                                      {{"text", "Text"}, {"number", "A number"}, {"yes_no", "Yes or no"}})},
                      {"required", YesNo("required", "Must practices answer?",
                                         Posted(page, "required", q && q->required ? "yes" : "no"))}};
  ShowErrors(m, fields, errors);
  m["fields"] = fields;
  return page.Render(status, "service_question_form", m);
}

core::Question ReadQuestion(Page& page, const std::string& id, Errors& errors) {
  const Form& form = page.form();
  core::Question q;
  q.id = id.empty() ? form.Get("question_id") : id;
  q.text = form.Get("text");
  std::string kind = form.Get("kind");
  if (q.id.empty()) errors.emplace_back("question_id", "Enter an ID for the question");
  if (q.text.empty()) errors.emplace_back("text", "Enter the question practices answer");
  if (kind == "text")
    q.kind = core::QuestionKind::kText;
  else if (kind == "number")
    q.kind = core::QuestionKind::kNumber;
  else if (kind == "yes_no")
    q.kind = core::QuestionKind::kYesNo;
  else
    errors.emplace_back("kind", "Select the type of answer");
  if (form.Get("required") != "yes" && form.Get("required") != "no")
    errors.emplace_back("required", "Select whether practices must answer");
  q.required = form.Get("required") == "yes";
  return q;
}

std::string QuestionField(const std::string&, const std::string& code) {
  return code == "text_required" ? "text" : "question_id";
}

Response QuestionFormPage(Page& page) {
  auto loaded = OwnDraft(page);
  if (!loaded) return page.NotFound();
  ItemForm<core::Question> form;
  if (!page.call().Param("question").empty()) {
    form.editing = FindItem(page, loaded->first.definition.questions, "question");
    if (form.editing == nullptr) return page.NotFound();
  }
  return RenderQuestionForm(page, loaded->first, loaded->second, form, 200, {});
}

Response QuestionFormPost(Page& page) {
  auto loaded = OwnDraft(page);
  if (!loaded) return page.NotFound();
  const core::ServiceState& s = loaded->first;
  ItemForm<core::Question> form;
  core::ServiceDefinition d = s.definition;
  if (!page.call().Param("question").empty()) {
    form.editing = FindItem(page, s.definition.questions, "question");
    if (form.editing == nullptr) return page.NotFound();
  }
  Errors errors;
  core::Question q = ReadQuestion(page, form.editing ? form.editing->id : "", errors);
  if (!errors.empty()) return RenderQuestionForm(page, s, loaded->second, form, 422, errors);
  if (form.editing) {
    *std::find_if(d.questions.begin(), d.questions.end(), [&](const auto& x) { return x.id == q.id; }) = q;
  } else {
    d.questions.push_back(q);
  }
  app::ExecuteResult r = SaveDefinition(page, s, d);
  if (!r.ok()) {
    return RenderQuestionForm(page, s, loaded->second, form, 422,
                              RejectionErrors(r, form.editing ? "text" : "question_id", QuestionField));
  }
  return Saved(page, s, form.editing ? "Question saved" : "Question added");
}

Response QuestionRemovePost(Page& page) {
  return RemoveItem(page, &core::ServiceDefinition::questions, "question", "question");
}

// ---- Tariffs ---------------------------------------------------------------------------------

std::string RateId(const std::string& component_id) { return "rate-" + component_id; }

json::object Money(const std::string& id, const std::string& name, const std::string& label, const std::string& value,
                   const std::string& suffix = "") {
  json::object f = InputField(id, name, label);
  f["value"] = value;
  f["width_class"] = "nhsuk-input--width-10";
  f["inputmode"] = "decimal";
  f["prefix"] = "£";
  f["suffix"] = suffix;
  return f;
}

Response RenderTariffForm(Page& page, const core::ServiceState& s, uint64_t version, int status, const Errors& errors) {
  json::object m = page.Base("Add a tariff to " + s.definition.name, "/admin/services");
  m["back_link"] = Back(s.service_id);
  m["service_id"] = s.service_id;
  m["service_name"] = s.definition.name;
  m["version"] = version;
  json::array rates;
  for (const auto& c : s.definition.components) {
    json::object f = Money(RateId(c.id), "rate." + c.id, c.name, page.form().Get("rate." + c.id), "each");
    for (const auto& [id, message] : errors) {
      if (id == RateId(c.id)) f["error"] = message;
    }
    rates.push_back(f);
  }
  m["component_rates"] = rates;
  json::object tiers = TextareaField("threshold_tiers", "threshold_tiers", "Tiers");
  tiers["hint"] =
      "One tier a line: achievement percentage, then amount, for example 75, 3500.00. The numerator "
      "component's achievement against its denominator is measured.";
  tiers["value"] = page.form().Get("threshold_tiers");
  json::object effective = Input("effective_from", "In force from", Posted(page, "effective_from", ""),
                                 "nhsuk-input--width-10", "For example, 2026-04-01");
  effective["label_class"] = "nhsuk-label--s";
  json::object fields{
      {"effective_from", effective},
      {"payment_type", Radios("payment_type", "Payment type", Posted(page, "payment_type", "item_of_service"),
                              {{"item_of_service", "Item of service"},
                               {"population", "Population"},
                               {"threshold", "Threshold"},
                               {"participation", "Participation only"}})},
      {"population_rate", Money("population_rate", "population_rate", "Rate", page.form().Get("population_rate"))},
      {"population_basis",
       Radios("population_basis", "Rate is paid", Posted(page, "population_basis", "per_patient"),
              {{"per_patient", "Per registered patient"}, {"per_1000", "Per 1,000 registered patients"}}, true)},
      {"threshold_tiers", tiers},
      {"participation_amount", Money("participation_amount", "participation_amount", "Amount each period",
                                     page.form().Get("participation_amount"))}};
  json::array hints{json::string("A rate for each unit of each component"),
                    json::string("A rate per registered patient or per 1,000 patients"),
                    json::string("Pays the highest tier of achievement met"),
                    json::string("A fixed amount each period")};
  json::array& items = fields["payment_type"].as_object()["items"].as_array();
  for (size_t i = 0; i < items.size(); ++i) items[i].as_object()["item_hint"] = hints[i];
  ShowErrors(m, fields, errors);
  m["fields"] = fields;
  return page.Render(status, "tariff_form", m);
}

// "75, 3500.00" lines -> tiers (percentages to basis points, amounts to pence).
std::vector<core::ThresholdTier> ReadTiers(const std::string& text, Errors& errors) {
  std::vector<core::ThresholdTier> tiers;
  size_t start = 0;
  int line = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    std::string row = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? text.size() + 1 : end + 1;
    ++line;
    if (row.find_first_not_of(" \t\r") == std::string::npos) continue;
    size_t comma = row.find_first_of(",;\t");
    std::string percent = comma == std::string::npos ? row : row.substr(0, comma);
    std::string amount = comma == std::string::npos ? "" : row.substr(comma + 1);
    percent.erase(std::remove(percent.begin(), percent.end(), '%'), percent.end());
    auto basis_points = ParsePounds(percent);  // a percentage with up to 2 decimals: the same exact conversion
    Errors tier_errors;
    auto pence = ReadPounds(amount.erase(0, amount.find_first_not_of(" \t")),
                            "the amount of tier " + std::to_string(line), "threshold_tiers", tier_errors);
    if (!basis_points || *basis_points < 0) {
      errors.emplace_back("threshold_tiers", fmt::format("Line {}: enter the achievement percentage, like 75", line));
    } else if (!pence) {
      errors.emplace_back("threshold_tiers", fmt::format("Line {}: {}", line, tier_errors.front().second));
    } else {
      tiers.push_back({static_cast<int32_t>(std::min<int64_t>(*basis_points, 1'000'000)), *pence});
    }
  }
  if (tiers.empty() && errors.empty()) errors.emplace_back("threshold_tiers", "Enter at least one tier");
  return tiers;
}

// Threshold tariffs measure the component marked as a numerator against its denominator.
void ThresholdComponents(const core::ServiceDefinition& d, core::Tariff& t, Errors& errors) {
  for (const auto& c : d.components) {
    if (!c.numerator_of.empty()) {
      t.numerator_component = c.id;
      t.denominator_component = c.numerator_of;
      return;
    }
  }
  errors.emplace_back(
      "payment_type",
      "A threshold tariff needs a percentage component that is the numerator of another: add one first");
}

Errors ReadTariff(Page& page, const core::ServiceState& s, core::Tariff& t) {
  const Form& form = page.form();
  Errors errors;
  auto effective = core::Date::Parse(form.Get("effective_from"));
  if (!effective)
    errors.emplace_back("effective_from", "Enter the date the tariff is in force from, like 2026-04-01");
  else
    t.effective_from = *effective;
  std::string type = form.Get("payment_type");
  if (type == "item_of_service") {
    t.payment_type = core::PaymentType::kItemOfService;
    for (const auto& c : s.definition.components) {
      std::string text = form.Get("rate." + c.id);
      if (text.empty()) continue;
      if (auto pence = ReadPounds(text, "the rate for " + c.name, RateId(c.id), errors))
        t.unit_rates.push_back({c.id, *pence});
    }
    if (t.unit_rates.empty() && errors.empty()) {
      errors.emplace_back(s.definition.components.empty() ? "payment_type" : RateId(s.definition.components.front().id),
                          s.definition.components.empty() ? "Add a component before an item of service tariff"
                                                          : "Enter a rate for at least one component");
    }
  } else if (type == "population") {
    t.payment_type = core::PaymentType::kPopulation;
    t.population_basis = form.Get("population_basis") == "per_1000" ? core::PopulationBasis::kPerThousand
                                                                    : core::PopulationBasis::kPerPatient;
    if (auto pence = ReadPounds(form.Get("population_rate"), "the population rate", "population_rate", errors)) {
      t.population_rate_pence = *pence;
    }
  } else if (type == "threshold") {
    t.payment_type = core::PaymentType::kThreshold;
    ThresholdComponents(s.definition, t, errors);
    t.tiers = ReadTiers(form.Get("threshold_tiers"), errors);
  } else if (type == "participation") {
    t.payment_type = core::PaymentType::kParticipation;
    if (auto pence = ReadPounds(form.Get("participation_amount"), "the amount each period", "participation_amount",
                                errors)) {
      t.participation_pence = *pence;
    }
  } else {
    errors.emplace_back("payment_type", "Select the payment type");
  }
  return errors;
}

std::string TariffField(const std::string& path, const std::string&) {
  const std::string rates = "tariff.unit_rates.";
  if (path.rfind(rates, 0) == 0) return RateId(path.substr(rates.size()));
  if (path == "tariff.population_rate_pence") return "population_rate";
  if (path == "tariff.participation_pence") return "participation_amount";
  if (path == "tariff.tiers") return "threshold_tiers";
  return "payment_type";
}

Response TariffNewPage(Page& page) {
  auto loaded = OwnService(page);
  if (!loaded || loaded->first.status == core::ServiceStatus::kRetired) return page.NotFound();
  return RenderTariffForm(page, loaded->first, loaded->second, 200, {});
}

Response TariffNewPost(Page& page) {
  auto loaded = OwnService(page);
  if (!loaded || loaded->first.status == core::ServiceStatus::kRetired) return page.NotFound();
  const core::ServiceState& s = loaded->first;
  core::Tariff t;
  Errors errors = ReadTariff(page, s, t);
  if (!errors.empty()) return RenderTariffForm(page, s, loaded->second, 422, errors);
  app::ExecuteResult r = page.Execute(core::AddTariffVersion{s.service_id, t}, FormVersion(page, s.service_id));
  if (!r.ok()) {
    errors = RejectionErrors(r, "effective_from", TariffField);
    return RenderTariffForm(page, s, loaded->second, 422, errors);
  }
  return Saved(page, s, "Tariff added, in force from " + FormatDateText(t.effective_from));
}

// ---- Publish and retire ----------------------------------------------------------------------

Response ServiceStatePost(Page& page, bool publish) {
  auto loaded = OwnService(page);
  if (!loaded) return page.NotFound();
  const std::string& id = loaded->first.service_id;
  auto version = FormVersion(page, id);
  app::ExecuteResult r = publish ? page.Execute(core::PublishService{id}, version)
                                 : page.Execute(core::RetireService{id}, version);
  Flash f;
  f.success = r.ok();
  f.heading = r.ok() ? (publish ? "Service published" : "Service retired")
                     : (publish ? "The service could not be published" : "The service could not be retired");
  f.body = r.ok() ? "" : RejectionText(r);
  return page.Redirect("/admin/services/" + id, f);
}

Response PublishPost(Page& page) { return ServiceStatePost(page, true); }
Response RetirePost(Page& page) { return ServiceStatePost(page, false); }

}  // namespace

std::string RatesText(const core::ServiceState& s, const core::Tariff& t) { return core::TariffText(t, &s.definition); }

void AddServiceAdminRoutes(std::shared_ptr<Portal> p, std::vector<Route>& routes) {
  const std::string one = "/admin/services/{id}";
  auto add = [&](const char* method, const std::string& pattern, PageHandler handler) {
    routes.push_back(PageRoute(p, method, pattern, Action::kManageServices, std::move(handler)));
  };
  add("GET", "/admin/services/new", ServiceNewPage);
  add("POST", "/admin/services/new", ServiceNewPost);
  add("GET", one, ServicePage);
  add("GET", one + "/edit", ServiceEditPage);
  add("POST", one + "/edit", ServiceEditPost);
  add("GET", one + "/components/new", ComponentFormPage);
  add("POST", one + "/components/new", ComponentFormPost);
  add("GET", one + "/components/{component}/edit", ComponentFormPage);
  add("POST", one + "/components/{component}/edit", ComponentFormPost);
  add("POST", one + "/components/{component}/remove", ComponentRemovePost);
  add("GET", one + "/questions/new", QuestionFormPage);
  add("POST", one + "/questions/new", QuestionFormPost);
  add("GET", one + "/questions/{question}/edit", QuestionFormPage);
  add("POST", one + "/questions/{question}/edit", QuestionFormPost);
  add("POST", one + "/questions/{question}/remove", QuestionRemovePost);
  add("GET", one + "/tariffs/new", TariffNewPage);
  add("POST", one + "/tariffs/new", TariffNewPost);
  add("POST", one + "/publish", PublishPost);
  add("POST", one + "/retire", RetirePost);
  add("POST", one + "/share", SharePost);
}

}  // namespace ledger::http::portal

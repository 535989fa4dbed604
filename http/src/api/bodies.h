// The bodies of /api/v1, described once (see ledger/http/wire.h): the routes
// send them with wire::ToJson (or pass JSON built elsewhere through
// wire::Checked) and openapi.cc declares them with wire::Schemas. Money is
// always a pair: `<name>_pence`, an integer, and `<name>`, the same amount as
// a decimal string of pounds ("1234.50"). Times are ISO 8601 UTC strings.
#pragma once

#include <boost/describe/class.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/core/claim.h"
#include "ledger/http/wire.h"
#include "ledger/http/wire_input.h"
#include "ledger/projections/claim_views.h"

namespace ledger::http::api::bodies {

// Where in the log an answer was read: the position, and the latest event time
// up to it.
struct AsOf {
  static constexpr std::string_view kSchemaName = "AsOf";
  static boost::json::object Notes() { return {{"at", {{"format", "date-time"}}}}; }
  uint64_t position = 0;
  std::string at;
};
BOOST_DESCRIBE_STRUCT(AsOf, (), (position, at))

// A claim as lists show it; a claim's own page (Claim) has these and more.
struct ClaimSummary {
  static constexpr std::string_view kSchemaName = "ClaimSummary";
  static constexpr std::string_view kDoc = "A claim as the claim lists and worklists show it";
  static boost::json::object Notes();
  std::string claim_id;
  std::string commissioner;
  std::string provider;
  std::string service_id;
  std::string period;
  std::optional<std::string> original_claim_id;
  std::string status;
  std::string status_since;
  uint64_t status_since_position = 0;
  std::string holder_role;
  std::string holder_org;
  int64_t amount_pence = 0;
  std::string amount;
  int64_t paid_amount_pence = 0;
  std::string paid_amount;
  std::string risk_band;
  int64_t units = 0;
  int64_t list_size = 0;
  std::string prepared_by;
  std::string submitted_by;
  uint64_t submissions = 0;
  uint64_t failed_submissions = 0;
  uint64_t returns = 0;
  std::string hold_reason;
  std::string payment_run;
  std::string pay_date;
  std::string payment_reference;
  std::string last_reason_code;
  std::string last_reason;
  std::vector<std::string> evidence_in_force;
  std::map<std::string, std::string> stages;
  uint64_t valid_from = 0;
  std::optional<uint64_t> valid_to;
};
BOOST_DESCRIBE_STRUCT(ClaimSummary, (),
                      (claim_id, commissioner, provider, service_id, period, original_claim_id, status, status_since,
                       status_since_position, holder_role, holder_org, amount_pence, amount, paid_amount_pence,
                       paid_amount, risk_band, units, list_size, prepared_by, submitted_by, submissions,
                       failed_submissions, returns, hold_reason, payment_run, pay_date, payment_reference,
                       last_reason_code, last_reason, evidence_in_force, stages, valid_from, valid_to))

struct Evidence {
  static constexpr std::string_view kSchemaName = "Evidence";
  static boost::json::object Notes() {
    return {{"sha256", {{"pattern", "^[0-9a-f]{64}$"}}},
            {"type", {{"description", "what the file is, in words (\"PDF\", \"Spreadsheet\")"}}},
            {"href", {{"description", "where to download it"}}}};
  }
  std::string sha256;
  std::string filename;
  std::string content_type;
  std::string type;
  int64_t size = 0;
  std::string href;
};
BOOST_DESCRIBE_STRUCT(Evidence, (), (sha256, filename, content_type, type, size, href))

struct Claim : ClaimSummary {
  static constexpr std::string_view kSchemaName = "Claim";
  static constexpr std::string_view kDoc =
      "One claim: its summary, what it claims, its evidence, and the actions the caller may take now";
  static boost::json::object Notes();
  uint64_t version = 0;
  std::map<std::string, int64_t> values;
  std::map<std::string, std::string> answers;
  std::vector<Evidence> evidence;
  std::vector<std::string> actions;
};
BOOST_DESCRIBE_STRUCT(Claim, (ClaimSummary), (version, values, answers, evidence, actions))

struct ClaimPage {
  static constexpr std::string_view kSchemaName = "ClaimPage";
  static boost::json::object Notes() {
    return {{"next_cursor", {{"description", "pass as ?cursor= for the next page; empty on the last page"}}}};
  }
  AsOf as_of;
  std::vector<ClaimSummary> claims;
  std::string next_cursor;
};
BOOST_DESCRIBE_STRUCT(ClaimPage, (), (as_of, claims, next_cursor))

struct Worklist : ClaimPage {
  static constexpr std::string_view kSchemaName = "Worklist";
  static boost::json::object Notes();
  std::string role;
  std::string org;
};
BOOST_DESCRIBE_STRUCT(Worklist, (ClaimPage), (role, org))

struct Worklists {
  static constexpr std::string_view kSchemaName = "Worklists";
  std::string username;
  std::vector<Worklist> worklists;
};
BOOST_DESCRIBE_STRUCT(Worklists, (), (username, worklists))

struct AuditEntry {
  static constexpr std::string_view kSchemaName = "AuditEntry";
  static boost::json::object Notes() {
    return {{"at", {{"format", "date-time"}}},
            {"event", {{"type", "object"}, {"description", "the event: its type and its fields (docs/events.md)"}}},
            {"amount_pence", {{"description", "for a decision: the amount decided on"}}},
            {"evidence_in_force", {{"description", "for a decision: the evidence it was made on"}}}};
  }
  uint64_t position = 0;
  std::string at;
  std::string type;
  std::string stream;
  std::string actor;
  std::optional<boost::json::object> event;
  std::optional<int64_t> amount_pence;
  std::optional<std::string> amount;
  std::optional<std::vector<std::string>> evidence_in_force;
};
BOOST_DESCRIBE_STRUCT(AuditEntry, (),
                      (position, at, type, stream, actor, event, amount_pence, amount, evidence_in_force))

struct AuditPage {
  static constexpr std::string_view kSchemaName = "AuditPage";
  AsOf as_of;
  std::vector<AuditEntry> entries;
  std::string next_cursor;
};
BOOST_DESCRIBE_STRUCT(AuditPage, (), (as_of, entries, next_cursor))

// Hex notes for a body's hash and key members.
inline boost::json::object Hex(std::string_view what) {
  return {{"pattern", "^[0-9a-f]*$"}, {"description", std::string(what) + ", in lowercase hex"}};
}

struct Event {
  static constexpr std::string_view kSchemaName = "Event";
  static constexpr std::string_view kDoc = "One event of the log, as recorded";
  static boost::json::object Notes() {
    return {{"recorded_at", {{"format", "date-time"}}},
            {"prev_hash", Hex("the previous event's hash")},
            {"hash", Hex("this event's hash (SHA-256 over the previous hash and this event)")},
            {"payload",
             {{"type", {"object", "null"}},
              {"description",
               "the event: its type and fields; null when it "
               "does not decode (payload_error says why)"}}}};
  }
  uint64_t position = 0;
  std::string stream;
  uint64_t version = 0;
  std::string type;
  int64_t schema_version = 0;
  std::string recorded_at;
  std::string actor;
  std::string command_id;
  std::string correlation_id;
  std::string prev_hash;
  std::string hash;
  boost::json::value payload;
  std::optional<std::string> payload_error;
};
BOOST_DESCRIBE_STRUCT(Event, (),
                      (position, stream, version, type, schema_version, recorded_at, actor, command_id, correlation_id,
                       prev_hash, hash, payload, payload_error))

struct EventPage {
  static constexpr std::string_view kSchemaName = "EventPage";
  static boost::json::object Notes() {
    return {{"events", {{"description", "the events from ?from= that the caller may see"}}},
            {"next_from", {{"description", "pass as ?from= for the next page"}}},
            {"head", {{"description", "the log's last position"}}}};
  }
  std::vector<Event> events;
  uint64_t next_from = 0;
  uint64_t head = 0;
};
BOOST_DESCRIBE_STRUCT(EventPage, (), (events, next_from, head))

struct LogHead {
  static constexpr std::string_view kSchemaName = "LogHead";
  static boost::json::object Notes() { return {{"hash", Hex("the hash of the event at position")}}; }
  uint64_t position = 0;
  std::string hash;
};
BOOST_DESCRIBE_STRUCT(LogHead, (), (position, hash))

struct Verify {
  static constexpr std::string_view kSchemaName = "Verify";
  static constexpr std::string_view kDoc = "The hash chain checked from the first event to the head";
  static boost::json::object Notes() {
    return {{"first_bad_position", {{"description", "when not ok: where the chain breaks"}}}};
  }
  bool ok = false;
  uint64_t events_checked = 0;
  LogHead head;
  std::optional<uint64_t> first_bad_position;
  std::optional<std::string> problem;
  std::optional<std::string> column_family;
  std::optional<std::string> key;
};
BOOST_DESCRIBE_STRUCT(Verify, (), (ok, events_checked, head, first_bad_position, problem, column_family, key))

struct SignedTreeHead {
  static constexpr std::string_view kSchemaName = "SignedTreeHead";
  static constexpr std::string_view kDoc = "A Merkle tree head of the log (RFC 9162), signed with the ledger's key";
  static boost::json::object Notes() {
    return {{"root", Hex("the tree's root hash")},
            {"chain_hash", Hex("the hash chain's head at size")},
            {"signed_at_us", {{"description", "the signing time in microseconds since 1970 (what is signed)"}}},
            {"signed_at", {{"format", "date-time"}}},
            {"public_key", Hex("the Ed25519 public key")},
            {"signature", Hex("the Ed25519 signature")}};
  }
  uint64_t size = 0;
  std::string root;
  std::string chain_hash;
  int64_t signed_at_us = 0;
  std::string signed_at;
  std::string public_key;
  std::string signature;
};
BOOST_DESCRIBE_STRUCT(SignedTreeHead, (), (size, root, chain_hash, signed_at_us, signed_at, public_key, signature))

struct ProofEvent {
  static constexpr std::string_view kSchemaName = "ProofEvent";
  static constexpr std::string_view kDoc =
      "An event as proof material: every field its hash covers, and its inclusion proof";
  static boost::json::object Notes() {
    return {{"recorded_at_us", {{"description", "microseconds since 1970, as hashed"}}},
            {"payload_hex", Hex("the payload bytes")},
            {"prev_hash", Hex("the previous event's hash")},
            {"hash", Hex("this event's hash")},
            {"proof", {{"items", Hex("a sibling hash")}}}};
  }
  uint64_t position = 0;
  std::string stream;
  uint64_t version = 0;
  std::string type;
  int64_t schema_version = 0;
  int64_t recorded_at_us = 0;
  std::string actor;
  std::string command_id;
  std::string correlation_id;
  std::string payload_hex;
  std::string prev_hash;
  std::string hash;
  std::vector<std::string> proof;
};
BOOST_DESCRIBE_STRUCT(ProofEvent, (),
                      (position, stream, version, type, schema_version, recorded_at_us, actor, command_id,
                       correlation_id, payload_hex, prev_hash, hash, proof))

struct ClaimProof {
  static constexpr std::string_view kSchemaName = "ClaimProof";
  std::string claim_id;
  SignedTreeHead head;
  std::vector<ProofEvent> events;
};
BOOST_DESCRIBE_STRUCT(ClaimProof, (), (claim_id, head, events))

struct KeyRotation {
  static constexpr std::string_view kSchemaName = "KeyRotation";
  static boost::json::object Notes() {
    return {{"previous_public_key", Hex("the key before")},
            {"public_key", Hex("the key after")},
            {"endorsement", Hex("the previous key's signature over the new key")},
            {"rotated_at", {{"format", "date-time"}}}};
  }
  uint64_t position = 0;
  std::string previous_public_key;
  std::string public_key;
  std::string endorsement;
  std::string rotated_at;
};
BOOST_DESCRIBE_STRUCT(KeyRotation, (), (position, previous_public_key, public_key, endorsement, rotated_at))

struct PublicKey {
  static constexpr std::string_view kSchemaName = "PublicKey";
  static boost::json::object Notes() {
    return {{"algorithm", {{"const", "Ed25519"}}}, {"public_key", Hex("the current key")}};
  }
  std::string algorithm;
  std::string public_key;
  std::vector<KeyRotation> rotations;
};
BOOST_DESCRIBE_STRUCT(PublicKey, (), (algorithm, public_key, rotations))

struct InclusionProof {
  static constexpr std::string_view kSchemaName = "InclusionProof";
  static boost::json::object Notes() {
    return {{"event_hash", Hex("the event's hash")},
            {"leaf_hash", Hex("its leaf hash")},
            {"root", Hex("the tree's root")},
            {"proof", {{"items", Hex("a sibling hash")}}}};
  }
  uint64_t position = 0;
  uint64_t size = 0;
  std::string event_hash;
  std::string leaf_hash;
  std::string root;
  std::vector<std::string> proof;
};
BOOST_DESCRIBE_STRUCT(InclusionProof, (), (position, size, event_hash, leaf_hash, root, proof))

struct ConsistencyProof {
  static constexpr std::string_view kSchemaName = "ConsistencyProof";
  static boost::json::object Notes() {
    return {{"from_root", Hex("the earlier tree's root")},
            {"to_root", Hex("the later tree's root")},
            {"proof", {{"items", Hex("a hash")}}}};
  }
  uint64_t from = 0;
  uint64_t to = 0;
  std::string from_root;
  std::string to_root;
  std::vector<std::string> proof;
};
BOOST_DESCRIBE_STRUCT(ConsistencyProof, (), (from, to, from_root, to_root, proof))

// The rows of a list answered from a report: one object per row, keyed by
// the report's column names (GET /api/v1/reports/{name} gives the columns).
inline boost::json::object RowsOf(std::string_view report) {
  return {{"items", {{"type", "object"}}},
          {"description", "one object per row of the " + std::string(report) + " report, keyed by its columns"}};
}

struct ListSize {
  static constexpr std::string_view kSchemaName = "ListSizeRecord";
  static boost::json::object Notes() { return {{"effective_from", {{"format", "date"}}}}; }
  std::string effective_from;
  int64_t patients = 0;
};
BOOST_DESCRIBE_STRUCT(ListSize, (), (effective_from, patients))

struct Organisation {
  static constexpr std::string_view kSchemaName = "Organisation";
  static boost::json::object Notes();
  std::string code;
  std::string name;
  std::string kind;
  std::string commissioner_code;
  std::string postcode;
  std::vector<std::string> members;
  std::vector<ListSize> list_sizes;
  std::optional<std::string> approval_mode;
  std::optional<int64_t> finance_threshold_pence;
  std::optional<bool> uses_finance_role;
};
BOOST_DESCRIBE_STRUCT(Organisation, (),
                      (code, name, kind, commissioner_code, postcode, members, list_sizes, approval_mode,
                       finance_threshold_pence, uses_finance_role))

struct OrganisationList {
  static constexpr std::string_view kSchemaName = "OrganisationList";
  static boost::json::object Notes() { return {{"organisations", RowsOf("organisations")}}; }
  std::string commissioner;
  std::vector<boost::json::object> organisations;
};
BOOST_DESCRIBE_STRUCT(OrganisationList, (), (commissioner, organisations))

struct ProviderList {
  static constexpr std::string_view kSchemaName = "ProviderList";
  static boost::json::object Notes() { return {{"providers", RowsOf("organisations")}}; }
  std::string commissioner;
  std::vector<boost::json::object> providers;
};
BOOST_DESCRIBE_STRUCT(ProviderList, (), (commissioner, providers))

struct Account {
  static constexpr std::string_view kSchemaName = "Account";
  static boost::json::object Notes();
  std::string username;
  std::string org_code;
  std::string org_kind;
  std::string commissioner_code;
  std::string full_name;
  std::string email;
  std::string status;
  std::vector<std::string> roles;
  std::vector<std::string> roles_requested;
  bool dual_tier_warning = false;
};
BOOST_DESCRIBE_STRUCT(Account, (),
                      (username, org_code, org_kind, commissioner_code, full_name, email, status, roles,
                       roles_requested, dual_tier_warning))

struct AccountRequested {
  static constexpr std::string_view kSchemaName = "AccountRequested";
  static constexpr std::string_view kDoc = "The request is recorded; an Administrator of the organisation approves it";
  static boost::json::object Notes() { return {{"status", {{"const", "requested"}}}}; }
  std::string username;
  std::string org_code;
  std::string status;
};
BOOST_DESCRIBE_STRUCT(AccountRequested, (), (username, org_code, status))

struct AccountList {
  static constexpr std::string_view kSchemaName = "AccountList";
  static boost::json::object Notes() { return {{"accounts", RowsOf("accounts")}}; }
  std::string org;
  std::vector<boost::json::object> accounts;
};
BOOST_DESCRIBE_STRUCT(AccountList, (), (org, accounts))

struct Window {
  static constexpr std::string_view kSchemaName = "ParticipationWindow";
  static boost::json::object Notes() { return {{"start", {{"format", "date"}}}, {"end", {{"format", "date"}}}}; }
  std::string start;
  std::string end;
};
BOOST_DESCRIBE_STRUCT(Window, (), (start, end))

struct Offer {
  static constexpr std::string_view kSchemaName = "Offer";
  static boost::json::object Notes();
  std::string service_id;
  std::string provider;
  std::string commissioner;
  std::string status;
  std::string start;
  std::string end;
  std::string respond_by;
  std::vector<Window> participation;
};
BOOST_DESCRIBE_STRUCT(Offer, (), (service_id, provider, commissioner, status, start, end, respond_by, participation))

struct OfferResult {
  static constexpr std::string_view kSchemaName = "OfferResult";
  static boost::json::object Notes() {
    return {{"problem", {{"$ref", "#/components/schemas/Problem"}, {"description", "why this offer was not made"}}},
            {"href", {{"description", "the offer made"}}}};
  }
  std::string provider;
  int64_t status = 0;
  std::optional<boost::json::object> problem;
  std::optional<std::string> href;
};
BOOST_DESCRIBE_STRUCT(OfferResult, (), (provider, status, problem, href))

struct OffersMade {
  static constexpr std::string_view kSchemaName = "OffersMade";
  static constexpr std::string_view kDoc = "201 when every offer was made; 207 with each provider's answer otherwise";
  std::string service_id;
  uint64_t created = 0;
  uint64_t failed = 0;
  std::vector<OfferResult> results;
};
BOOST_DESCRIBE_STRUCT(OffersMade, (), (service_id, created, failed, results))

struct OfferList {
  static constexpr std::string_view kSchemaName = "OfferList";
  static boost::json::object Notes() { return {{"offers", RowsOf("offers")}}; }
  std::vector<boost::json::object> offers;
};
BOOST_DESCRIBE_STRUCT(OfferList, (), (offers))

struct RunLine {
  static constexpr std::string_view kSchemaName = "PaymentRunLine";
  std::string claim_id;
  std::string provider;
  int64_t amount_pence = 0;
  std::string amount;
};
BOOST_DESCRIBE_STRUCT(RunLine, (), (claim_id, provider, amount_pence, amount))

struct PaymentRun {
  static constexpr std::string_view kSchemaName = "PaymentRun";
  static boost::json::object Notes();
  std::string run_id;
  std::string commissioner;
  std::string status;
  std::string pay_date;
  int64_t total_pence = 0;
  std::string total;
  std::string created_by;
  std::vector<RunLine> claims;
  std::optional<std::string> payment_reference;
  uint64_t head_position = 0;
  std::string head_hash;
  std::optional<SignedTreeHead> signed_head;
};
BOOST_DESCRIBE_STRUCT(PaymentRun, (),
                      (run_id, commissioner, status, pay_date, total_pence, total, created_by, claims,
                       payment_reference, head_position, head_hash, signed_head))

struct PaymentRunList {
  static constexpr std::string_view kSchemaName = "PaymentRunList";
  static boost::json::object Notes() { return {{"payment_runs", RowsOf("payment_runs")}}; }
  std::string commissioner;
  std::vector<boost::json::object> payment_runs;
};
BOOST_DESCRIBE_STRUCT(PaymentRunList, (), (commissioner, payment_runs))

struct ReportInfo {
  static constexpr std::string_view kSchemaName = "ReportInfo";
  static boost::json::object Notes() {
    return {{"scope", {{"enum", {"provider", "commissioner"}}}},
            {"filters", {{"description", "the query parameters the report takes"}}}};
  }
  std::string name;
  std::string title;
  std::string scope;
  std::vector<std::string> filters;
  std::string href;
};
BOOST_DESCRIBE_STRUCT(ReportInfo, (), (name, title, scope, filters, href))

struct ReportList {
  static constexpr std::string_view kSchemaName = "ReportList";
  std::vector<ReportInfo> reports;
};
BOOST_DESCRIBE_STRUCT(ReportList, (), (reports))

struct TableAsOf {
  static constexpr std::string_view kSchemaName = "ReportAsOf";
  static boost::json::object Notes() {
    return {{"at", {{"format", "date-time"}}},
            {"hash", Hex("the hash of the event at position")},
            {"tree_root", Hex("the Merkle root of the log up to position")}};
  }
  uint64_t position = 0;
  std::string at;
  std::optional<std::string> hash;
  std::optional<std::string> tree_root;
};
BOOST_DESCRIBE_STRUCT(TableAsOf, (), (position, at, hash, tree_root))

struct Column {
  static constexpr std::string_view kSchemaName = "ReportColumn";
  static boost::json::object Notes();
  std::string name;
  std::string kind;
};
BOOST_DESCRIBE_STRUCT(Column, (), (name, kind))

struct Report {
  static constexpr std::string_view kSchemaName = "Report";
  static constexpr std::string_view kDoc = "A report as a table: its columns, then one array of cells per row";
  static boost::json::object Notes() {
    return {{"rows",
             {{"items", {{"type", "array"}, {"items", {{"type", {"string", "integer"}}}}}},
              {"description", "cells in column order: integer columns as integers, the rest as text"}}}};
  }
  std::string report;
  std::string scope;
  TableAsOf as_of;
  std::vector<Column> columns;
  std::vector<boost::json::array> rows;
};
BOOST_DESCRIBE_STRUCT(Report, (), (report, scope, as_of, columns, rows))

struct BulkImport {
  static constexpr std::string_view kSchemaName = "BulkImport";
  static constexpr std::string_view kDoc = "The claims the CSV made or changed, in one command";
  static boost::json::object Notes() {
    return {{"duplicate", {{"description", "true when every row was already stored as asked: nothing was written"}}}};
  }
  int64_t count = 0;
  int64_t created = 0;
  int64_t unchanged = 0;
  bool submitted = false;
  std::vector<std::string> claims;
  bool duplicate = false;
  std::optional<uint64_t> first_position;
  std::optional<uint64_t> last_position;
};
BOOST_DESCRIBE_STRUCT(BulkImport, (),
                      (count, created, unchanged, submitted, claims, duplicate, first_position, last_position))

// ---- Request bodies (read by wire::Read: the notes are the rules) ----------

inline boost::json::object ReasonNote() { return {{"maxLength", 2000}}; }
inline boost::json::object TierNote() {
  return {{"enum", {"tier1", "tier2", "finance"}},
          {"description",
           "the tier the claim waited for when the caller read it: a claim that has moved on since answers 409 "
           "naming its status now"}};
}

struct Reason {
  static constexpr std::string_view kSchemaName = "Reason";
  static constexpr bool kRequest = true;
  static boost::json::object Notes() { return {{"reason", ReasonNote()}}; }
  std::string reason;
};
BOOST_DESCRIBE_STRUCT(Reason, (), (reason))

struct OptionalReason {
  static constexpr std::string_view kSchemaName = "OptionalReason";
  static constexpr bool kRequest = true;
  static boost::json::object Notes() { return {{"reason", {{"maxLength", 2000}, {"minLength", 0}}}}; }
  std::optional<std::string> reason;
};
BOOST_DESCRIBE_STRUCT(OptionalReason, (), (reason))

struct Approval {
  static constexpr std::string_view kSchemaName = "Approval";
  static constexpr bool kRequest = true;
  static boost::json::object Notes() { return {{"tier", TierNote()}}; }
  std::optional<std::string> tier;
};
BOOST_DESCRIBE_STRUCT(Approval, (), (tier))

struct Return {
  static constexpr std::string_view kSchemaName = "Return";
  static constexpr bool kRequest = true;
  static boost::json::object Notes() { return {{"reason", ReasonNote()}, {"tier", TierNote()}}; }
  std::string reason;
  std::optional<std::string> tier;
};
BOOST_DESCRIBE_STRUCT(Return, (), (reason, tier))

struct Rejection {
  static constexpr std::string_view kSchemaName = "Rejection";
  static constexpr bool kRequest = true;
  static boost::json::object Notes() {
    return {{"reason_code", {{"maxLength", 64}, {"description", "one of the commissioner's rejection reasons"}}},
            {"reason", ReasonNote()},
            {"tier", TierNote()}};
  }
  std::string reason_code;
  std::string reason;
  std::optional<std::string> tier;
  static Rejection Example() { return {"evidence_missing", "No clinic list attached for November.", "tier1"}; }
};
BOOST_DESCRIBE_STRUCT(Rejection, (), (reason_code, reason, tier))

struct ShareRequest {
  static constexpr std::string_view kSchemaName = "Share";
  static constexpr bool kRequest = true;
  static boost::json::object Notes() { return {{"with_commissioner", {{"maxLength", 64}}}}; }
  std::string with_commissioner;
};
BOOST_DESCRIBE_STRUCT(ShareRequest, (), (with_commissioner))

struct PaymentRunRequest {
  static constexpr std::string_view kSchemaName = "PaymentRunRequest";
  static constexpr bool kRequest = true;
  static boost::json::object Notes() {
    return {{"pay_date", {{"format", "date"}, {"maxLength", 10}}},
            {"run_id", {{"maxLength", 64}, {"pattern", "^[A-Za-z0-9._-]+$"}}}};
  }
  std::string pay_date;
  std::optional<std::string> run_id;
  static PaymentRunRequest Example() { return {"2026-12-18", std::nullopt}; }
};
BOOST_DESCRIBE_STRUCT(PaymentRunRequest, (), (pay_date, run_id))

struct PaidRequest {
  static constexpr std::string_view kSchemaName = "PaidRequest";
  static constexpr bool kRequest = true;
  static boost::json::object Notes() { return {{"payment_reference", {{"maxLength", 64}}}}; }
  std::optional<std::string> payment_reference;
};
BOOST_DESCRIBE_STRUCT(PaidRequest, (), (payment_reference))

struct ListSizeRequest {
  static constexpr std::string_view kSchemaName = "ListSize";
  static constexpr bool kRequest = true;
  static boost::json::object Notes() {
    return {{"effective_from", {{"format", "date"}, {"maxLength", 10}}},
            {"patients", {{"minimum", 0}, {"maximum", 10'000'000}}}};
  }
  std::string effective_from;
  int64_t patients = 0;
};
BOOST_DESCRIBE_STRUCT(ListSizeRequest, (), (effective_from, patients))

struct FinanceSettings {
  static constexpr std::string_view kSchemaName = "FinanceSettings";
  static constexpr bool kRequest = true;
  static boost::json::object Notes() { return {{"finance_threshold_pence", {{"minimum", 0}}}}; }
  int64_t finance_threshold_pence = 0;
  bool uses_finance_role = false;
};
BOOST_DESCRIBE_STRUCT(FinanceSettings, (), (finance_threshold_pence, uses_finance_role))

struct OfferRequest {
  static constexpr std::string_view kSchemaName = "OfferRequest";
  static constexpr bool kRequest = true;
  static boost::json::object Notes() {
    boost::json::object date{{"format", "date"}, {"maxLength", 10}};
    return {{"providers",
             {{"items", {{"maxLength", 64}}}, {"minItems", 1}, {"maxItems", 1000}, {"description", "ODS codes"}}},
            {"start", date},
            {"end", date},
            {"respond_by", date}};
  }
  std::vector<std::string> providers;
  std::string start;
  std::string end;
  std::string respond_by;
  static OfferRequest Example() { return {{"A84009", "A84002"}, "2026-04-01", "2027-03-31", "2026-04-30"}; }
};
BOOST_DESCRIBE_STRUCT(OfferRequest, (), (providers, start, end, respond_by))

inline boost::json::object IdNote(std::string_view what) {
  return {{"maxLength", 64}, {"pattern", "^[A-Za-z0-9._-]+$"}, {"description", std::string(what)}};
}
inline boost::json::object DateNote() { return {{"format", "date"}, {"maxLength", 10}}; }
// What an account's roles are named (core::RoleName).
boost::json::object RolesNote();

struct ClaimEdit {
  static constexpr std::string_view kSchemaName = "ClaimEdit";
  static constexpr bool kRequest = true;
  static boost::json::object Notes();
  std::optional<std::map<std::string, int64_t>> values;
  std::optional<std::map<std::string, std::string>> answers;
};
BOOST_DESCRIBE_STRUCT(ClaimEdit, (), (values, answers))

struct ClaimDraft : ClaimEdit {
  static constexpr std::string_view kSchemaName = "ClaimDraft";
  static constexpr bool kRequest = true;
  static boost::json::object Notes();
  static ClaimDraft Example() {
    ClaimDraft d;
    d.values = std::map<std::string, int64_t>{{"vaccinations", 120}};
    d.answers = std::map<std::string, std::string>{{"clinic_notes", "Two Saturday clinics"}};
    d.service_id = "FLU-2026";
    d.period = "2026-11";
    return d;
  }
  std::string service_id;
  std::string period;
};
BOOST_DESCRIBE_STRUCT(ClaimDraft, (ClaimEdit), (service_id, period))

struct AccountRequest {
  static constexpr std::string_view kSchemaName = "AccountRequest";
  static constexpr bool kRequest = true;
  static boost::json::object Notes();
  std::string username;
  std::string org_code;
  std::string full_name;
  std::string email;
  std::vector<std::string> roles;
  std::string password;
};
BOOST_DESCRIBE_STRUCT(AccountRequest, (), (username, org_code, full_name, email, roles, password))

struct Roles {
  static constexpr std::string_view kSchemaName = "Roles";
  static constexpr bool kRequest = true;
  static boost::json::object Notes() { return {{"roles", RolesNote()}}; }
  std::vector<std::string> roles;
};
BOOST_DESCRIBE_STRUCT(Roles, (), (roles))

struct OptionalRoles {
  static constexpr std::string_view kSchemaName = "OptionalRoles";
  static constexpr bool kRequest = true;
  static constexpr std::string_view kDoc = "Without roles, the roles the account requested are granted";
  static boost::json::object Notes() { return {{"roles", RolesNote()}}; }
  std::optional<std::vector<std::string>> roles;
};
BOOST_DESCRIBE_STRUCT(OptionalRoles, (), (roles))

struct Commissioner {
  static constexpr std::string_view kSchemaName = "Commissioner";
  static constexpr bool kRequest = true;
  static boost::json::object Notes() {
    return {{"code", IdNote("its ODS code")},
            {"name", {{"maxLength", 200}}},
            {"postcode", {{"maxLength", 16}, {"minLength", 0}}}};
  }
  std::string code;
  std::string name;
  std::optional<std::string> postcode;
};
BOOST_DESCRIBE_STRUCT(Commissioner, (), (code, name, postcode))

struct ProviderSettings {
  static constexpr std::string_view kSchemaName = "ProviderSettings";
  static constexpr bool kRequest = true;
  static boost::json::object Notes();
  std::string approval_mode;
  std::optional<std::vector<std::string>> members;
};
BOOST_DESCRIBE_STRUCT(ProviderSettings, (), (approval_mode, members))

struct Provider {
  static constexpr std::string_view kSchemaName = "Provider";
  static constexpr bool kRequest = true;
  static boost::json::object Notes();
  std::string code;
  std::string name;
  std::optional<std::string> postcode;
  std::optional<std::string> kind;
  std::optional<std::string> approval_mode;
  std::optional<std::vector<std::string>> members;
  std::optional<std::string> commissioner_code;
};
BOOST_DESCRIBE_STRUCT(Provider, (), (code, name, postcode, kind, approval_mode, members, commissioner_code))

struct Component {
  static constexpr std::string_view kSchemaName = "Component";
  static constexpr bool kRequest = true;
  static boost::json::object Notes();
  std::string id;
  std::string name;
  std::string unit_kind;
  std::optional<int64_t> min;
  int64_t max = 0;
  std::optional<bool> required;
  std::optional<std::string> numerator_of;
};
BOOST_DESCRIBE_STRUCT(Component, (), (id, name, unit_kind, min, max, required, numerator_of))

struct Question {
  static constexpr std::string_view kSchemaName = "Question";
  static constexpr bool kRequest = true;
  static boost::json::object Notes();
  std::string id;
  std::string text;
  std::optional<std::string> kind;
  std::optional<bool> required;
};
BOOST_DESCRIBE_STRUCT(Question, (), (id, text, kind, required))

// A service's definition: what POST and PUT /api/v1/services read, and what
// a service's `definition` shows.
struct ServiceDefinition {
  static constexpr std::string_view kSchemaName = "ServiceDefinition";
  static constexpr bool kRequest = true;
  static boost::json::object Notes();
  std::string code;
  std::string name;
  std::optional<std::string> description;
  std::optional<std::string> category;
  std::string frequency;
  int64_t window_days = 0;
  std::optional<bool> evidence_required;
  std::string start;
  std::string end;
  std::vector<Component> components;
  std::optional<std::vector<Question>> questions;
};
BOOST_DESCRIBE_STRUCT(ServiceDefinition, (),
                      (code, name, description, category, frequency, window_days, evidence_required, start, end,
                       components, questions))

struct NewService : ServiceDefinition {
  static constexpr std::string_view kSchemaName = "NewService";
  static constexpr bool kRequest = true;
  static constexpr std::string_view kDoc = "A service's id and its definition";
  static boost::json::object Notes();
  std::string service_id;
};
BOOST_DESCRIBE_STRUCT(NewService, (ServiceDefinition), (service_id))

struct ThresholdTier {
  static constexpr std::string_view kSchemaName = "ThresholdTier";
  static constexpr bool kRequest = true;
  static boost::json::object Notes() {
    return {{"min_basis_points",
             {{"description", "the lowest achievement paid at this tier, in hundredths of a percent"}}},
            {"pence", {{"minimum", 0}}}};
  }
  int64_t min_basis_points = 0;
  int64_t pence = 0;
};
BOOST_DESCRIBE_STRUCT(ThresholdTier, (), (min_basis_points, pence))

// A tariff version: what POST .../tariffs reads, and what a service's
// `tariffs` show (each with the members its payment type uses).
struct Tariff {
  static constexpr std::string_view kSchemaName = "Tariff";
  static constexpr bool kRequest = true;
  static boost::json::object Notes();
  std::string effective_from;
  std::string payment_type;
  std::optional<std::map<std::string, int64_t>> unit_rates;
  std::optional<std::string> population_basis;
  std::optional<int64_t> population_rate_pence;
  std::optional<std::string> numerator_component;
  std::optional<std::string> denominator_component;
  std::optional<std::vector<ThresholdTier>> tiers;
  std::optional<int64_t> participation_pence;
  static Tariff Example() {
    Tariff t;
    t.effective_from = "2026-04-01";
    t.payment_type = "item_of_service";
    t.unit_rates = std::map<std::string, int64_t>{{"vaccinations", 1006}};
    return t;
  }
};
BOOST_DESCRIBE_STRUCT(Tariff, (),
                      (effective_from, payment_type, unit_rates, population_basis, population_rate_pence,
                       numerator_component, denominator_component, tiers, participation_pence))

struct Service {
  static constexpr std::string_view kSchemaName = "Service";
  static boost::json::object Notes();
  std::string service_id;
  std::string commissioner;
  std::string status;
  ServiceDefinition definition;
  std::vector<Tariff> tariffs;
  std::vector<std::string> shared_with;
  std::optional<std::string> offer_status;
};
BOOST_DESCRIBE_STRUCT(Service, (), (service_id, commissioner, status, definition, tariffs, shared_with, offer_status))

struct ServiceList {
  static constexpr std::string_view kSchemaName = "ServiceList";
  std::vector<Service> services;
};
BOOST_DESCRIBE_STRUCT(ServiceList, (), (services))

// What the routes build these from.
AsOf AsOfBody(const projections::Answered& as_of);
ClaimSummary SummaryBody(const projections::ClaimView& claim);
ClaimPage ClaimPageBody(const projections::ClaimPage& page);
// Throws std::logic_error when a stored entry is not an AuditEntry (a bug).
AuditPage AuditPageBody(const projections::AuditPage& page);

}  // namespace ledger::http::api::bodies

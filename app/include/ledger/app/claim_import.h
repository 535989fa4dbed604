// Bulk claim import: a CSV file of claims checked as a whole and stored in
// ONE atomic append, or not at all. Shared by `ledger import-claims` and
// `POST /api/v1/claims/bulk`.
//
// File format (a header line, column order free, docs/cli.md):
//   provider (or provider_code)  the provider's ODS code
//   service  (or service_code)   the service code, looked up among the services
//                                of the provider's commissioner (own or shared),
//                                or a service id
//   period                       in the service's frequency: 2024-05, 2024-Q1, 2024/25, 2024-05-14
//   <component id>               a whole number; money in pounds ("12.50"); empty = not entered
//   answer:<question id>         the answer to a supplementary question
// UTF-8 with or without a byte-order mark, LF or CRLF, RFC 4180 quoting, blank
// lines skipped. Every cell must follow the text rule of core/text.h (valid
// UTF-8, no control characters; an answer may span lines); a cell that does
// not is an error of its line and column. At most kMaxImportRows rows.
//
// Every row is decided by the real deciders (CreateClaimDraft, EnterClaimValues
// and, when asked, SubmitClaim) as the actor, in file order, against one set of
// loaded streams, so rows see each other (two rows for one provider, service
// and period are an error, and so is a row whose key another claim already
// holds: existing_claim_id names it). Claim ids are
// <provider>-<service code>-<period>-i<first 8 hex digits of the digest>.
// Thread-compatible; reads the store, never writes it (the caller appends).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/core/types.h"
#include "ledger/eventstore/event_store.h"

namespace ledger::app {

// The most claim rows one file may hold. A row writes at most four events
// (ClaimDrafted, ClaimKeyReserved, ClaimValuesEntered and, when submitting,
// ClaimSubmitted) and the whole file is ONE append, which the event store
// caps at EventStoreOptions::max_events_per_append (10,000) events: 2,500
// rows always fit. A longer file is refused before any row is decided. The
// API, the portal and `ledger import-claims` all take the limit from here.
inline constexpr int kMaxImportRows = 2'500;

struct ClaimImportOptions {
  std::string actor;       // username of the provider user making the claims
  bool submit = false;     // also submit every claim
  core::Timestamp at = 0;  // CommandMeta::at of every command
  // Hex digest naming this upload (e.g. SHA-256 of the file, the actor and
  // the submit flag): the same upload always makes the same claim ids and
  // the same command id, so importing it again stores nothing more.
  // REQUIRES at least 40 hex digits.
  std::string digest;
};

struct ClaimImportError {
  int line = 0;        // 1-based line of the file (the header is line 1)
  std::string column;  // the column as named in the header; "" for the whole row
  std::string message;
  // The claim already holding this row's provider/service/period key, when
  // that is the problem (duplicate_claim); "" otherwise.
  std::string existing_claim_id;
};

struct ClaimImportPlan {
  std::vector<ClaimImportError> errors;  // empty: every row is valid
  // The file holds more than kMaxImportRows rows: errors holds that one
  // problem and no row was decided.
  bool too_many_rows = false;
  std::vector<std::string> claim_ids;  // in file order
  // Of claim_ids, how many rows write something (a new draft, new values, a
  // submission) and how many are already stored exactly as asked.
  int created = 0;
  int unchanged = 0;
  // Valid only when errors is empty and claim_ids is not: every row's events
  // as one append, each stream at the version it was read at.
  es::AppendRequest request;
};

// The digest that names an upload: the same file from the same person, with
// the same submit flag, names the same claims wherever it comes in (the API,
// the portal, `ledger import-claims`).
std::string ImportDigest(std::string_view csv, std::string_view actor, bool submit);

// Checks every row of `csv`. A store failure while reading is the Status; a
// file problem (syntax, header, no rows, any row) is in plan.errors.
es::Result<ClaimImportPlan> PlanClaimImport(es::EventStore& store, std::string_view csv,
                                            const ClaimImportOptions& options);

}  // namespace ledger::app

// The projection database's key layout: every key prefix in one place.
//
// The projection database is a RocksDB directory of its own (beside the log,
// e.g. <data>/projections), default column family only. Every key starts with
// its projection's namespace; fields are separated by '|' (a byte that never
// occurs in ids, codes, usernames or periods); positions and timestamps are
// 8-byte big-endian so that they sort numerically. Mirrored in docs/projections.md.
//
//   M|format                                 -> "1"
//   M|checkpoint|<projection>                -> BE64 last applied log position
//
// Versioned tables keep the current row and every superseded row, each with
// the log positions it was valid from (inclusive) and to (exclusive, 0 = still
// valid), so that any query can be answered "as of" a position:
//
//   <table>c|<logical key>                   -> BE64 valid_from | BE64 valid_to (=0) | row
//   <table>h|<logical key><BE64 valid_from>  -> BE64 valid_from | BE64 valid_to      | row
//
// Logical keys are '|'-terminated field lists, so no logical key is a prefix
// of another and current and history rows sort in the same logical order.
//
//   claims     C|claim|{c,h}|<commissioner>|<claim id>|        claim status rows (versioned)
//              C|id|<claim id>                  -> commissioner   locate a claim
//              C|prov|<provider>|<claim id>     -> commissioner   a provider's claims
//              C|wl|<org>|<role>|<BE64 since>|<claim id> -> ""   open worklist entries
//              C|reason|<commissioner>|<BE64 position>  -> row   each rejection / return
//              C|svc|<service id>               -> row            unit components of a service
//   audit      A|claim|<claim id>|<BE64 position>  -> JSON        every event of a claim
//              A|user|<username>|<BE64 position>   -> JSON        everything a person did
//              A|ctx|<claim id>                 -> row            amount / evidence in force
//   directory  D|org|{c,h}|<commissioner>|<code>|                 organisations (versioned)
//              D|acct|{c,h}|<org>|<username>|                     accounts (versioned)
//              D|svc|{c,h}|<commissioner>|<service id>|           services and tariffs (versioned)
//              D|offer|{c,h}|<commissioner>|<service>|<provider>| offers / participation (versioned)
//              D|run|{c,h}|<commissioner>|<run id>|               payment runs (versioned)
//              D|runclaim|<run id>|<claim id>   -> row            the claims of a run
//              D|loc|<kind>|<id>                -> logical key    locate a versioned row by its id
//   timeline   T|at|<BE64 time>                 -> BE64 position  first position whose running
//                                                                 maximum event time reached `time`
//              T|pos|<BE64 position>            -> BE64 time      the same entry, by position
//              T|max                            -> BE64 time      the running maximum so far
//   states     S|<stream id>                    -> state          every stream's current state and
//                                                                 version (core::EncodeStreamState)
//   notices    N|org|<org>|<BE64 time>|<BE64 position> -> row     an event on a claim or offer of <org>
//                                                                 that the message centre tells of
//              N|own|<stream id>                -> row            the provider and commissioner of a
//                                                                 claim or offer stream
//              N|signin|<username>              -> row            the latest two sign-ins
//
// Times are microseconds since the epoch, stored with the sign bit flipped.
#pragma once

#include <string_view>

namespace ledger::projections::keys {

inline constexpr std::string_view kFormatKey = "M|format";
// 2: audit entries are positions in the log (with a decision's context), not
// copies of the events as JSON. 3: a service's tariffs are stored in words
// (core::TariffText), and the notices projection is added.
inline constexpr std::string_view kFormatVersion = "3";
inline constexpr std::string_view kCheckpointPrefix = "M|checkpoint|";
// Present while a rebuild writes table files (ProjectionDb::BeginBulk): found
// at an open for writing, the rebuild was interrupted and every projection
// starts again from position 0.
inline constexpr std::string_view kBulkMarkerKey = "M|bulk";

// Projection names and their namespaces.
inline constexpr std::string_view kClaimsProjection = "claims";
inline constexpr std::string_view kAuditProjection = "audit";
inline constexpr std::string_view kDirectoryProjection = "directory";
inline constexpr std::string_view kTimelineProjection = "timeline";
inline constexpr std::string_view kStatesProjection = "states";
inline constexpr std::string_view kNoticesProjection = "notices";
inline constexpr std::string_view kClaimsNamespace = "C|";
inline constexpr std::string_view kAuditNamespace = "A|";
inline constexpr std::string_view kDirectoryNamespace = "D|";
inline constexpr std::string_view kTimelineNamespace = "T|";
inline constexpr std::string_view kStatesNamespace = "S|";
inline constexpr std::string_view kNoticesNamespace = "N|";

// Versioned tables: append kCurrent or kHistory, then the logical key.
inline constexpr std::string_view kCurrent = "c|";
inline constexpr std::string_view kHistory = "h|";

inline constexpr std::string_view kClaimTable = "C|claim|";
inline constexpr std::string_view kClaimLocator = "C|id|";
inline constexpr std::string_view kClaimsByProvider = "C|prov|";
inline constexpr std::string_view kWorklist = "C|wl|";
inline constexpr std::string_view kReasons = "C|reason|";
inline constexpr std::string_view kClaimServiceFacts = "C|svc|";

inline constexpr std::string_view kAuditByClaim = "A|claim|";
inline constexpr std::string_view kAuditByUser = "A|user|";
inline constexpr std::string_view kAuditClaimContext = "A|ctx|";

inline constexpr std::string_view kOrgTable = "D|org|";
inline constexpr std::string_view kAccountTable = "D|acct|";
inline constexpr std::string_view kServiceTable = "D|svc|";
inline constexpr std::string_view kOfferTable = "D|offer|";
inline constexpr std::string_view kRunTable = "D|run|";
inline constexpr std::string_view kRunClaims = "D|runclaim|";
inline constexpr std::string_view kLocator = "D|loc|";
inline constexpr std::string_view kLocOrg = "org|";
inline constexpr std::string_view kLocAccount = "acct|";
inline constexpr std::string_view kLocService = "svc|";
inline constexpr std::string_view kLocOffer = "offer|";
inline constexpr std::string_view kLocRun = "run|";

inline constexpr std::string_view kTimelineByTime = "T|at|";
inline constexpr std::string_view kTimelineByPosition = "T|pos|";
inline constexpr std::string_view kTimelineRunningMax = "T|max";

inline constexpr char kSeparator = '|';

inline constexpr std::string_view kNoticesByOrg = "N|org|";
inline constexpr std::string_view kNoticeOwners = "N|own|";
inline constexpr std::string_view kNoticeSignIns = "N|signin|";

}  // namespace ledger::projections::keys

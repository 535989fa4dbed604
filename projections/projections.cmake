# ledger_projections: read models fed by the log's catch-up subscription, in a
# RocksDB database of their own; reports and claim views "as of" any position.
add_library(ledger_projections STATIC
  ${CMAKE_CURRENT_LIST_DIR}/src/audit_projection.cc
  ${CMAKE_CURRENT_LIST_DIR}/src/claim_row.cc
  ${CMAKE_CURRENT_LIST_DIR}/src/claim_views.cc
  ${CMAKE_CURRENT_LIST_DIR}/src/claims_projection.cc
  ${CMAKE_CURRENT_LIST_DIR}/src/directory_projection.cc
  ${CMAKE_CURRENT_LIST_DIR}/src/directory_rows.cc
  ${CMAKE_CURRENT_LIST_DIR}/src/projection_db.cc
  ${CMAKE_CURRENT_LIST_DIR}/src/query_support.cc
  ${CMAKE_CURRENT_LIST_DIR}/src/reports.cc
  ${CMAKE_CURRENT_LIST_DIR}/src/row_codec.cc
  ${CMAKE_CURRENT_LIST_DIR}/src/runner.cc
  ${CMAKE_CURRENT_LIST_DIR}/src/table.cc
  ${CMAKE_CURRENT_LIST_DIR}/src/timeline_projection.cc
  ${CMAKE_CURRENT_LIST_DIR}/src/writer.cc)
target_include_directories(ledger_projections
  PUBLIC ${CMAKE_CURRENT_LIST_DIR}/include
  PRIVATE ${CMAKE_CURRENT_LIST_DIR}/src)
target_link_libraries(ledger_projections
  PUBLIC ledger_core ledger_eventstore Boost::json
  PRIVATE RocksDB::rocksdb-shared OpenSSL::Crypto fmt::fmt Threads::Threads)

// Helpers every repository shares: time, JSON documents in TEXT columns, dynamic binding.
#pragma once

#include "FilterSql.h"
#include "SqlDialect.h"

#include <Poco/Data/Statement.h>
#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace store {

// Now, in whole seconds as epoch milliseconds: meta times are rendered to the second and
// filters compare them exactly.
Poco::Int64 nowMs();

// The document as compact JSON; ScimError 413 beyond `maxBytes` (the column is a TEXT).
std::string documentText(const Poco::JSON::Object::Ptr& doc, std::size_t maxBytes);
Poco::JSON::Object::Ptr parseDocument(const std::string& text);

// Binds params in order; they must outlive the statement's execution.
void bindAll(Poco::Data::Statement& statement, std::vector<SqlParam>& params);

// "(?, ?, ?)" for n parameters.
std::string placeholders(std::size_t n);

// Users SCIM shows (persons not deleted), written so that no index serves the condition: for
// next to a key look-up, where SQLite's planner would otherwise scan the listing index
// (kind, deleted_ms, ...) over every user. `prefix` is a table alias with its dot, or "".
std::string visibleUserUnindexed(const SqlDialect& dialect, const std::string& prefix);

}  // namespace store

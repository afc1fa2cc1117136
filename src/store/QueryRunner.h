// Runs a SCIM list query over one resource table: SQL for what the ColumnMap answers, and
// for the rest a bounded scan in id order that keeps only (sort key, id) of the matches.
#pragma once

#include "FilterSql.h"
#include "SqlSupport.h"

#include "port/ResourceQuery.h"

#include "scim/ResourceSchema.h"
#include "scim/filter/Evaluator.h"

#include <Poco/Data/Session.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace store {

using port::Page;
using port::ResourceQuery;

template <typename Record>
struct QuerySpec {
    std::string alias;    // "u"
    std::string from;     // "tim_user u"
    std::string visible;  // what every query adds: "u.deleted_ms IS NULL"
    // The same condition written so no index serves it ("+u.deleted_ms IS NULL"): used when
    // another condition's index should win (SQLite's planner otherwise picks the listing
    // index on the visibility columns and scans every row).
    std::string visibleUnindexed;
    std::string recordColumns;  // what `read` expects
    const ColumnMap* columns = nullptr;
    const scim::ResourceSchema* schema = nullptr;
    // Runs a SELECT of recordColumns and returns the records.
    std::function<std::vector<Record>(Poco::Data::Session&, const std::string&,
                                      std::vector<SqlParam>)>
        read;
    // Optional: the records matching a WHERE condition that at most one row can match (a
    // unique key's equality: Entra's userName look-up), in fewer statements than `read`.
    std::function<std::vector<Record>(Poco::Data::Session&, const std::string& where,
                                      std::vector<SqlParam>)>
        readAtMostOne;
    // What readAtMostOne's WHERE adds instead of visibleUnindexed: it checks the rest itself.
    std::string visibleAtMostOne;
};

inline constexpr std::size_t kScanBatch = 500;

template <typename Record>
Page<Record> runQuery(Poco::Data::Session& session, const QuerySpec<Record>& spec,
                      const ResourceQuery& query,
                      const std::function<Poco::JSON::Object::Ptr(const Record&)>& render) {
    const auto& schema = *spec.schema;
    if (query.filter) {
        scim::filter::validate(query.filter, schema);
    }
    FilterPlan plan = planFilter(query.filter, *spec.columns);
    const std::string& a = spec.alias;
    const std::optional<std::string> orderColumn =
        query.sortBy.empty() ? std::optional<std::string>(a + ".created_ms")
                             : sortColumn(query.sortBy, *spec.columns, schema);
    std::string where = plan.conditions.empty() ? spec.visible : spec.visibleUnindexed;
    std::vector<SqlParam> params;
    for (auto& condition : plan.conditions) {
        where += " AND " + condition.sql;
        params.insert(params.end(), condition.params.begin(), condition.params.end());
    }
    const std::string select =
        "SELECT " + spec.recordColumns + " FROM " + spec.from + " WHERE " + where;
    const std::string direction = query.descending ? " DESC" : " ASC";
    Page<Record> page;

    const bool atMostOne =
        std::any_of(plan.conditions.begin(), plan.conditions.end(),
                    [](const SqlCondition& condition) { return condition.atMostOneRow; });
    if (plan.residue.empty() && atMostOne && spec.readAtMostOne) {
        std::string keyWhere = spec.visibleAtMostOne;
        for (const auto& condition : plan.conditions) {
            keyWhere += " AND " + condition.sql;
        }
        auto records = spec.readAtMostOne(session, keyWhere, params);
        page.total = records.size();
        if (query.startIndex == 1 && query.count > 0) {
            page.records = std::move(records);
        }
        return page;
    }

    if (plan.residue.empty() && orderColumn) {
        if (query.count > 0) {
            std::vector<SqlParam> pageParams = params;
            pageParams.push_back(numberParam(static_cast<Poco::Int64>(query.count)));
            pageParams.push_back(numberParam(static_cast<Poco::Int64>(query.startIndex - 1)));
            const std::string order = *orderColumn + direction + ", " + a + ".id" + direction;
            // A later page walks the offset over a narrow index in a derived table and reads
            // only the page's rows whole (a plain OFFSET 50000 made MySQL sort the full table
            // with documents); the first page needs no offset, nor the derived table MySQL
            // would materialise for it.
            page.records = spec.read(
                session,
                query.startIndex == 1
                    ? select + " ORDER BY " + order + " LIMIT ? OFFSET ?"
                    : "SELECT " + spec.recordColumns + " FROM " + spec.from + " JOIN (SELECT " + a +
                          ".id AS page_id FROM " + spec.from + " WHERE " + where + " ORDER BY " +
                          order + " LIMIT ? OFFSET ?) page ON page.page_id = " + a +
                          ".id ORDER BY " + order,
                pageParams);
            // A first page that is not full holds every match: no need to count them.
            if (query.startIndex == 1 && page.records.size() < query.count) {
                page.total = page.records.size();
                return page;
            }
        }
        page.total = static_cast<std::size_t>(
            runPrepared(session, "SELECT COUNT(*) FROM " + spec.from + " WHERE " + where, params,
                        {ColumnType::Integer})
                .integer(0)
                .at(0));
        return page;
    }

    struct Match {
        std::string key;
        Poco::Int64 createdMs;
        std::string id;
    };
    std::vector<Match> matches;
    const auto sortPath = query.sortBy.empty()
                              ? std::optional<scim::filter::AttrPath>()
                              : scim::filter::parseAttrPath(query.sortBy, "invalidValue");
    std::string after;
    for (;;) {
        std::vector<SqlParam> batchParams = params;
        batchParams.push_back(textParam(after));
        batchParams.push_back(numberParam(static_cast<Poco::Int64>(kScanBatch)));
        const auto batch = spec.read(
            session, select + " AND " + a + ".id > ? ORDER BY " + a + ".id LIMIT ?", batchParams);
        for (const auto& record : batch) {
            const auto resource = render(record);
            const bool keep = std::all_of(
                plan.residue.begin(), plan.residue.end(),
                [&](const auto& node) { return scim::filter::matches(node, resource, schema); });
            if (keep) {
                matches.push_back(
                    Match{sortPath ? scim::filter::sortKey(*sortPath, resource, schema) : "",
                          record.createdMs, record.id});
            }
        }
        if (batch.size() < kScanBatch) {
            break;
        }
        after = batch.back().id;
    }
    std::stable_sort(matches.begin(), matches.end(), [&](const Match& x, const Match& y) {
        const auto kx = std::tie(x.key, x.createdMs, x.id);
        const auto ky = std::tie(y.key, y.createdMs, y.id);
        return query.descending ? ky < kx : kx < ky;
    });
    page.total = matches.size();
    for (std::size_t i = query.startIndex - 1;
         i < matches.size() && page.records.size() < query.count; ++i) {
        auto found = spec.read(
            session,
            "SELECT " + spec.recordColumns + " FROM " + spec.from + " WHERE " + a + ".id = ?",
            {textParam(matches[i].id)});
        if (!found.empty()) {
            page.records.push_back(std::move(found.front()));
        }
    }
    return page;
}

}  // namespace store

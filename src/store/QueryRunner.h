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
    // Optional: a SELECT of how many resources are visible, from counts the writes keep, for
    // lists without a filter (a COUNT(*) walks every index entry: 20 ms for 100,000 users).
    std::string countVisible;
    // Optional: `from` for a walk without a filter, with the hint that makes the planner seek
    // to the cursor on the listing index (MariaDB chose the (kind, deleted_ms) prefix and
    // scanned up to it: 5 ms at the 50,000th user).
    std::string walkFrom;
};

inline constexpr std::size_t kScanBatch = 500;

// A walk reads in descending creation order when the query is descending or, for a previous
// page, when it is not.
inline bool walkReversed(const ResourceQuery& query) {
    return query.descending != query.walk->backwards;
}

// The SELECT of a walk's page, plus one row that tells whether the walk goes on; appends its
// parameters to `params`. `unfiltered`: `where` is only the visibility.
template <typename Record>
std::string walkSql(const QuerySpec<Record>& spec, const std::string& where, bool unfiltered,
                    const ResourceQuery& query, std::vector<SqlParam>& params) {
    const std::string& a = spec.alias;
    const bool reverse = walkReversed(query);
    const bool seek = unfiltered && !spec.walkFrom.empty();
    std::string sql = "SELECT " + spec.recordColumns + " FROM " +
                      (seek ? spec.walkFrom : spec.from) + " WHERE " + where;
    if (const auto& from = query.walk->from) {
        // The bound on created_ms alone is an index range on both engines; the same condition
        // as (created_ms > ? OR (created_ms = ? AND id > ?)) made both walk every entry before
        // it (5.6 ms at the 50,000th user on SQLite, 0.08 ms now).
        const std::string atOrBeyond = reverse ? " <= ?" : " >= ?";
        const std::string beyond = reverse ? " < ?" : " > ?";
        sql += " AND " + a + ".created_ms" + atOrBeyond + " AND (" + a + ".created_ms" + beyond +
               " OR " + a + ".id" + beyond + ")";
        params.push_back(numberParam(from->createdMs));
        params.push_back(numberParam(from->createdMs));
        params.push_back(textParam(from->id));
    }
    const std::string direction = reverse ? " DESC" : " ASC";
    params.push_back(numberParam(static_cast<Poco::Int64>(query.count + 1)));
    return sql + " ORDER BY " + a + ".created_ms" + direction + ", " + a + ".id" + direction +
           " LIMIT ?";
}

// Trims a walk's read (up to count + 1 records in the walk's direction) to its page, in the
// query's order.
template <typename Record>
void keepWalkPage(Page<Record>& page, const ResourceQuery& query) {
    page.more = page.records.size() > query.count;
    if (page.more) {
        page.records.erase(page.records.begin() + static_cast<long>(query.count),
                           page.records.end());
    }
    if (query.walk->backwards) {
        std::reverse(page.records.begin(), page.records.end());
    }
}

// How many resources match `where`, which holds `plan`'s conditions.
template <typename Record>
std::size_t countMatches(Poco::Data::Session& session, const QuerySpec<Record>& spec,
                         const FilterPlan& plan, const std::string& where,
                         const std::vector<SqlParam>& params) {
    const bool everyVisible = plan.conditions.empty() && plan.residue.empty();
    const auto count =
        everyVisible && !spec.countVisible.empty()
            ? runPrepared(session, spec.countVisible, {}, {ColumnType::Integer})
            : runPrepared(session, "SELECT COUNT(*) FROM " + spec.from + " WHERE " + where, params,
                          {ColumnType::Integer});
    return static_cast<std::size_t>(count.integer(0).at(0));
}

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
    const bool walk = query.walk.has_value();
    const std::optional<std::string> orderColumn =
        query.sortBy.empty() || walk ? std::optional<std::string>(a + ".created_ms")
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
    if (plan.residue.empty() && atMostOne && spec.readAtMostOne && !walk) {
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

    if (plan.residue.empty() && walk) {
        std::vector<SqlParam> walkParams = params;
        const std::string sql = walkSql(spec, where, plan.conditions.empty(), query, walkParams);
        page.records = spec.read(session, sql, walkParams);
        keepWalkPage(page, query);
        page.total = countMatches(session, spec, plan, where, params);
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
        page.total = countMatches(session, spec, plan, where, params);
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
    const bool reverse = walk ? walkReversed(query) : query.descending;
    std::stable_sort(matches.begin(), matches.end(), [&](const Match& x, const Match& y) {
        const auto kx = std::tie(x.key, x.createdMs, x.id);
        const auto ky = std::tie(y.key, y.createdMs, y.id);
        return reverse ? ky < kx : kx < ky;
    });
    page.total = matches.size();
    std::size_t first = query.startIndex - 1;
    std::size_t wanted = query.count;
    if (walk) {
        // The matches beyond the cursor's resource, in the walk's direction (a key of ""
        // for all: walks are in creation order).
        const auto& from = query.walk->from;
        first = from ? static_cast<std::size_t>(
                           std::find_if(matches.begin(), matches.end(),
                                        [&](const Match& m) {
                                            const auto here = std::tie(m.createdMs, m.id);
                                            const auto there = std::tie(from->createdMs, from->id);
                                            return reverse ? here < there : there < here;
                                        }) -
                           matches.begin())
                     : 0;
        wanted = query.count + 1;  // one more tells whether the walk goes on
    }
    for (std::size_t i = first; i < matches.size() && page.records.size() < wanted; ++i) {
        auto found = spec.read(
            session,
            "SELECT " + spec.recordColumns + " FROM " + spec.from + " WHERE " + a + ".id = ?",
            {textParam(matches[i].id)});
        if (!found.empty()) {
            page.records.push_back(std::move(found.front()));
        }
    }
    if (walk) {
        keepWalkPage(page, query);
    }
    return page;
}

}  // namespace store

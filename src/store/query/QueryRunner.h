// Runs a SCIM list query over one resource table, on one session, by one of four strategies:
// a key look-up, a cursor walk or an index page when SQL answers the whole filter, and a
// residue scan in id order for a filter no column answers (it keeps only (sort key, id) of the
// matches, then reads the page). The filter and sort attribute come checked by the api.
#pragma once

#include "FilterSql.h"
#include "store/engine/SqlSupport.h"

#include "port/ResourceQuery.h"

#include "scim/ResourceSchema.h"
#include "scim/filter/Evaluator.h"

#include <Poco/Data/Session.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace store {

using port::Page;
using port::ResourceQuery;

inline constexpr std::size_t kScanBatch = 500;

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
    // Optional: completes records in a number of statements that does not grow with their
    // count, on the query's session: each batch a residue scan renders (so that rendering reads
    // nothing), and the page (users: their managers' names; groups: their members).
    std::function<void(Poco::Data::Session&, std::vector<Record>&)> completeScanned;
    std::function<void(Poco::Data::Session&, std::vector<Record>&)> completePage;
    // Resources a residue scan reads, completes and holds at once.
    std::size_t scanBatch = kScanBatch;
};

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

// The part of a query SQL answers: the filter's conditions over the visible resources.
struct PlannedQuery {
    FilterPlan plan;
    std::string where;
    std::vector<SqlParam> params;
    std::string select;  // SELECT of the record columns WHERE `where`
};

template <typename Record>
PlannedQuery planQuery(const QuerySpec<Record>& spec, const ResourceQuery& query) {
    PlannedQuery planned;
    planned.plan = planFilter(query.filter, *spec.columns);
    planned.where = planned.plan.conditions.empty() ? spec.visible : spec.visibleUnindexed;
    for (auto& condition : planned.plan.conditions) {
        planned.where += " AND " + condition.sql;
        planned.params.insert(planned.params.end(), condition.params.begin(),
                              condition.params.end());
    }
    planned.select =
        "SELECT " + spec.recordColumns + " FROM " + spec.from + " WHERE " + planned.where;
    return planned;
}

// Strategy 1: a unique key's equality (Entra's userName look-up) in the statements of
// readAtMostOne.
template <typename Record>
Page<Record> lookUpKey(Poco::Data::Session& session, const QuerySpec<Record>& spec,
                       const PlannedQuery& planned, const ResourceQuery& query) {
    std::string keyWhere = spec.visibleAtMostOne;
    for (const auto& condition : planned.plan.conditions) {
        keyWhere += " AND " + condition.sql;
    }
    auto records = spec.readAtMostOne(session, keyWhere, planned.params);
    Page<Record> page;
    page.total = records.size();
    if (query.startIndex == 1 && query.count > 0) {
        page.records = std::move(records);
    }
    return page;
}

// Strategy 2: a cursor page in creation order, from SQL.
template <typename Record>
Page<Record> walkPage(Poco::Data::Session& session, const QuerySpec<Record>& spec,
                      const PlannedQuery& planned, const ResourceQuery& query) {
    std::vector<SqlParam> walkParams = planned.params;
    const std::string sql =
        walkSql(spec, planned.where, planned.plan.conditions.empty(), query, walkParams);
    Page<Record> page;
    page.records = spec.read(session, sql, walkParams);
    keepWalkPage(page, query);
    page.total = countMatches(session, spec, planned.plan, planned.where, planned.params);
    return page;
}

// Strategy 3: an index page (startIndex, count) ordered by `orderColumn`, from SQL.
template <typename Record>
Page<Record> indexedPage(Poco::Data::Session& session, const QuerySpec<Record>& spec,
                         const PlannedQuery& planned, const ResourceQuery& query,
                         const std::string& orderColumn) {
    Page<Record> page;
    if (query.count > 0) {
        const std::string& a = spec.alias;
        const std::string direction = query.descending ? " DESC" : " ASC";
        std::vector<SqlParam> pageParams = planned.params;
        pageParams.push_back(numberParam(static_cast<Poco::Int64>(query.count)));
        pageParams.push_back(numberParam(static_cast<Poco::Int64>(query.startIndex - 1)));
        const std::string order = orderColumn + direction + ", " + a + ".id" + direction;
        // A later page walks the offset over a narrow index in a derived table and reads only
        // the page's rows whole (a plain OFFSET 50000 made MySQL sort the full table with
        // documents); the first page needs no offset, nor the derived table MySQL would
        // materialise for it.
        page.records = spec.read(
            session,
            query.startIndex == 1
                ? planned.select + " ORDER BY " + order + " LIMIT ? OFFSET ?"
                : "SELECT " + spec.recordColumns + " FROM " + spec.from + " JOIN (SELECT " + a +
                      ".id AS page_id FROM " + spec.from + " WHERE " + planned.where +
                      " ORDER BY " + order + " LIMIT ? OFFSET ?) page ON page.page_id = " + a +
                      ".id ORDER BY " + order,
            pageParams);
        // A first page that is not full holds every match: no need to count them.
        if (query.startIndex == 1 && page.records.size() < query.count) {
            page.total = page.records.size();
            return page;
        }
    }
    page.total = countMatches(session, spec, planned.plan, planned.where, planned.params);
    return page;
}

// A residue scan's match: what it sorts by and where the record is.
struct ScanMatch {
    std::string key;
    Poco::Int64 createdMs;
    std::string id;
};

// The visible resources SQL narrowed to, in batches of spec.scanBatch in id order, each completed
// and rendered, and kept when the residue matches.
template <typename Record>
std::vector<ScanMatch> scanMatches(
    Poco::Data::Session& session, const QuerySpec<Record>& spec, const PlannedQuery& planned,
    const ResourceQuery& query,
    const std::function<Poco::JSON::Object::Ptr(const Record&)>& render) {
    const auto& schema = *spec.schema;
    const std::string& a = spec.alias;
    std::vector<ScanMatch> matches;
    std::string after;
    for (;;) {
        std::vector<SqlParam> batchParams = planned.params;
        batchParams.push_back(textParam(after));
        batchParams.push_back(numberParam(static_cast<Poco::Int64>(spec.scanBatch)));
        auto batch = spec.read(
            session, planned.select + " AND " + a + ".id > ? ORDER BY " + a + ".id LIMIT ?",
            batchParams);
        if (spec.completeScanned) {
            spec.completeScanned(session, batch);
        }
        for (const auto& record : batch) {
            const auto resource = render(record);
            const bool keep = std::all_of(
                planned.plan.residue.begin(), planned.plan.residue.end(),
                [&](const auto& node) { return scim::filter::matches(node, resource, schema); });
            if (keep) {
                matches.push_back(ScanMatch{
                    query.sortBy ? scim::filter::sortKey(*query.sortBy, resource, schema) : "",
                    record.createdMs, record.id});
            }
        }
        if (batch.size() < spec.scanBatch) {
            break;
        }
        after = batch.back().id;
    }
    return matches;
}

// The records of `ids` that still exist, in that order, in one statement per kChunk ids.
template <typename Record>
std::vector<Record> readInOrder(Poco::Data::Session& session, const QuerySpec<Record>& spec,
                                const std::vector<std::string>& ids) {
    std::map<std::string, Record> byId;
    inChunks(ids, [&](const std::vector<std::string>& chunk) {
        const auto in = keptInList(texts(chunk));
        for (auto& record : spec.read(session,
                                      "SELECT " + spec.recordColumns + " FROM " + spec.from +
                                          " WHERE " + spec.alias + ".id IN " + in.sql,
                                      in.params)) {
            byId.emplace(record.id, std::move(record));
        }
    });
    std::vector<Record> records;
    for (const auto& id : ids) {
        const auto found = byId.find(id);
        if (found != byId.end()) {
            records.push_back(std::move(found->second));
        }
    }
    return records;
}

// Strategy 4: a filter no column answers, evaluated on each scanned resource rendered whole.
template <typename Record>
Page<Record> residueScan(Poco::Data::Session& session, const QuerySpec<Record>& spec,
                         const PlannedQuery& planned, const ResourceQuery& query,
                         const std::function<Poco::JSON::Object::Ptr(const Record&)>& render) {
    auto matches = scanMatches(session, spec, planned, query, render);
    const bool walk = query.walk.has_value();
    const bool reverse = walk ? walkReversed(query) : query.descending;
    std::stable_sort(matches.begin(), matches.end(), [&](const ScanMatch& x, const ScanMatch& y) {
        const auto kx = std::tie(x.key, x.createdMs, x.id);
        const auto ky = std::tie(y.key, y.createdMs, y.id);
        return reverse ? ky < kx : kx < ky;
    });
    Page<Record> page;
    page.total = matches.size();
    std::size_t first = query.startIndex - 1;
    std::size_t wanted = query.count;
    if (walk) {
        // The matches beyond the cursor's resource, in the walk's direction (a key of "" for
        // all: walks are in creation order).
        const auto& from = query.walk->from;
        first = from ? static_cast<std::size_t>(
                           std::find_if(matches.begin(), matches.end(),
                                        [&](const ScanMatch& m) {
                                            const auto here = std::tie(m.createdMs, m.id);
                                            const auto there = std::tie(from->createdMs, from->id);
                                            return reverse ? here < there : there < here;
                                        }) -
                           matches.begin())
                     : 0;
        wanted = query.count + 1;  // one more tells whether the walk goes on
    }
    // A match deleted since the scan is left out and the next one read in its place.
    for (std::size_t next = first; next < matches.size() && page.records.size() < wanted;) {
        std::vector<std::string> ids;
        for (; next < matches.size() && ids.size() < wanted - page.records.size(); ++next) {
            ids.push_back(matches[next].id);
        }
        for (auto& record : readInOrder(session, spec, ids)) {
            page.records.push_back(std::move(record));
        }
    }
    if (walk) {
        keepWalkPage(page, query);
    }
    return page;
}

template <typename Record>
Page<Record> runQuery(Poco::Data::Session& session, const QuerySpec<Record>& spec,
                      const ResourceQuery& query,
                      const std::function<Poco::JSON::Object::Ptr(const Record&)>& render) {
    const PlannedQuery planned = planQuery(spec, query);
    const bool walk = query.walk.has_value();
    const bool sqlAnswers = planned.plan.residue.empty();
    const bool atMostOne =
        std::any_of(planned.plan.conditions.begin(), planned.plan.conditions.end(),
                    [](const SqlCondition& condition) { return condition.atMostOneRow; });
    const std::optional<std::string> orderColumn =
        !query.sortBy || walk ? std::optional<std::string>(spec.alias + ".created_ms")
                              : sortColumn(*query.sortBy, *spec.columns);
    Page<Record> page = sqlAnswers && atMostOne && spec.readAtMostOne && !walk
                            ? lookUpKey(session, spec, planned, query)
                        : sqlAnswers && walk ? walkPage(session, spec, planned, query)
                        : sqlAnswers && orderColumn
                            ? indexedPage(session, spec, planned, query, *orderColumn)
                            : residueScan(session, spec, planned, query, render);
    if (spec.completePage) {
        spec.completePage(session, page.records);
    }
    return page;
}

}  // namespace store

#include "AuditTrail.h"

#include "store/engine/StoreFailures.h"

#include "port/RequestContext.h"
#include "scim/CaseFold.h"
#include "store/engine/PreparedStatements.h"
#include "store/engine/SqlSupport.h"

#include <Poco/Data/Statement.h>
#include <Poco/String.h>

#include <algorithm>
#include <sstream>

namespace store {
namespace {

using namespace Poco::Data::Keywords;

constexpr std::size_t kMaxChangedText = 4000;  // the MySQL column's length

std::string joined(const std::vector<std::string>& names) {
    const std::string text = Poco::cat(std::string(","), names.begin(), names.end());
    return text.size() > kMaxChangedText ? text.substr(0, kMaxChangedText) : text;
}

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> names;
    std::istringstream in(text);
    for (std::string name; std::getline(in, name, ',');) {
        names.push_back(name);
    }
    return names;
}

std::vector<port::AuditEntry> readEntries(Poco::Data::Session session, const std::string& where,
                                          std::vector<SqlParam> params, std::size_t limit) {
    std::vector<Poco::Int64> at;
    std::vector<std::string> requestIds, operations, types, ids, externalIds, changed, outcomes;
    Poco::Data::Statement select(session);
    select << "SELECT at_ms, COALESCE(request_id, ''), operation, resource_type, resource_id, "
              "COALESCE(external_id, ''), changed, outcome FROM scim_audit " +
                  where + " ORDER BY id DESC LIMIT " + std::to_string(limit);
    bindAll(select, params);
    select, into(at), into(requestIds), into(operations), into(types), into(ids), into(externalIds),
        into(changed), into(outcomes);
    select.execute();
    std::vector<port::AuditEntry> entries;
    for (std::size_t i = at.size(); i-- > 0;) {  // oldest first
        port::AuditEntry entry;
        entry.atMs = at[i];
        entry.requestId = requestIds[i];
        entry.event =
            port::AuditEvent{operations[i],
                             types[i],
                             ids[i],
                             externalIds[i].empty() ? Poco::Nullable<std::string>()
                                                    : Poco::Nullable<std::string>(externalIds[i]),
                             split(changed[i]),
                             outcomes[i]};
        entries.push_back(std::move(entry));
    }
    return entries;
}

}  // namespace

void recordAudit(Poco::Data::Session& session, const port::AuditEvent& event) {
    const std::string& requestId = port::currentRequestId();
    runPrepared(
        session,
        "INSERT INTO scim_audit (at_ms, request_id, operation, resource_type, resource_id, "
        "external_id, changed, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {numberParam(nowMs()), requestId.empty() ? nullableTextParam({}) : textParam(requestId),
         textParam(event.operation), textParam(event.resourceType), textParam(event.resourceId),
         nullableTextParam(event.externalId), textParam(joined(event.changed)),
         textParam(event.outcome)});
}

std::vector<port::AuditEntry> AuditTrail::historyOf(const std::string& who, std::size_t limit) {
    return storeCall([&]() -> std::vector<port::AuditEntry> {
        const std::string key = scim::foldCase(who);
        return readEntries(_database.session(),
                           "WHERE resource_id = ? OR external_id = ? "
                           "OR resource_id IN (SELECT id FROM tim_user "
                           "WHERE user_name_key = ? OR external_id = ?) "
                           "OR resource_id IN (SELECT id FROM tim_group "
                           "WHERE display_name_key = ? OR external_id = ?)",
                           {textParam(who), textParam(who), textParam(key), textParam(who),
                            textParam(key), textParam(who)},
                           limit);
    });
}

std::vector<port::AuditEntry> AuditTrail::latest(std::size_t limit) {
    return storeCall([&]() -> std::vector<port::AuditEntry> {
        return readEntries(_database.session(), "", {}, limit);
    });
}

}  // namespace store

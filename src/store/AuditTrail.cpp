#include "AuditTrail.h"

#include "StoreFailures.h"

#include "PreparedStatements.h"
#include "SqlSupport.h"
#include "port/RequestContext.h"
#include "scim/CaseFold.h"
#include "scim/Json.h"

#include <Poco/Data/Statement.h>
#include <Poco/String.h>

#include <algorithm>
#include <set>
#include <sstream>

namespace store {
namespace {

using namespace Poco::Data::Keywords;

constexpr std::size_t kMaxChangedText = 4000;  // the MySQL column's length

bool isExtension(const std::string& name, const Poco::Dynamic::Var& value) {
    return name.rfind("urn:", 0) == 0 && value.type() == typeid(Poco::JSON::Object::Ptr);
}

// Adds to `names` each attribute of `before` and `after` whose value differs (all of them when
// one side is null), naming an extension's attributes "urn:...:attr".
void collectChanges(const Poco::JSON::Object::Ptr& before, const Poco::JSON::Object::Ptr& after,
                    const std::string& prefix, std::set<std::string>& names) {
    std::set<std::string> keys;
    for (const auto* doc : {&before, &after}) {
        if (!doc->isNull()) {
            for (const auto& entry : **doc) {
                keys.insert(entry.first);
            }
        }
    }
    for (const auto& key : keys) {
        const bool inBefore = !before.isNull() && before->has(key);
        const bool inAfter = !after.isNull() && after->has(key);
        const Poco::Dynamic::Var was = inBefore ? before->get(key) : Poco::Dynamic::Var();
        const Poco::Dynamic::Var is = inAfter ? after->get(key) : Poco::Dynamic::Var();
        if (prefix.empty() && (isExtension(key, was) || isExtension(key, is))) {
            collectChanges(isExtension(key, was) ? was.extract<Poco::JSON::Object::Ptr>() : nullptr,
                           isExtension(key, is) ? is.extract<Poco::JSON::Object::Ptr>() : nullptr,
                           key + ":", names);
        } else if (inBefore != inAfter || before.isNull() || after.isNull() ||
                   scim::json::compactText(was) != scim::json::compactText(is)) {
            names.insert(prefix + key);
        }
    }
}

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

std::vector<std::string> changedAttributes(const Poco::JSON::Object::Ptr& before,
                                           const Poco::JSON::Object::Ptr& after) {
    std::set<std::string> names;
    collectChanges(before, after, "", names);
    return {names.begin(), names.end()};
}

std::vector<std::string> attributesOf(const Poco::JSON::Object::Ptr& doc) {
    return changedAttributes(nullptr, doc);
}

std::vector<port::AuditEntry> AuditTrail::historyOf(const std::string& who, std::size_t limit) try {
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
} catch (...) {
    rethrowAsStoreError();
}

std::vector<port::AuditEntry> AuditTrail::latest(std::size_t limit) try {
    return readEntries(_database.session(), "", {}, limit);
} catch (...) {
    rethrowAsStoreError();
}

}  // namespace store

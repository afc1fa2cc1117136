// port::UserStore and port::GroupStore in memory, for the endpoints without a database: they
// answer as the ports say (the typed errors, a user read by id carrying its manager) and
// record what the endpoints asked of them.
#pragma once

#include "port/GroupStore.h"
#include "port/StoreErrors.h"
#include "port/UserStore.h"
#include "scim/UserSchemas.h"

#include <Poco/JSON/Object.h>
#include <Poco/String.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace testing {

class FakeUserStore final : public port::UserStore {
  public:
    port::CreateResult createOrBind(const Poco::JSON::Object::Ptr& doc,
                                    const std::optional<std::string>& clientHash) override {
        const std::string userName = doc->getValue<std::string>("userName");
        for (const auto& [id, record] : users) {
            if (Poco::icompare(record.doc->getValue<std::string>("userName"), userName) == 0) {
                throw port::Conflict(port::Conflict::Kind::Uniqueness,
                                     "userName \"" + userName + "\" is already in use", id);
            }
        }
        port::UserRecord record;
        record.id = "u-" + std::to_string(users.size() + 1);
        record.doc = doc;
        users[record.id] = record;
        port::CreateResult result;
        result.record = withManager(record);
        result.passwordSet = clientHash.has_value();
        return result;
    }
    std::string createLocal(const std::string&, const std::string&,
                            const std::vector<std::string>&) override {
        throw port::StoreError("not in this fake");
    }
    std::optional<port::UserRecord> find(const std::string& id) override {
        const auto found = users.find(id);
        return found == users.end() ? std::nullopt : std::make_optional(withManager(found->second));
    }
    port::UserRecord replace(const std::string& id, const Poco::JSON::Object::Ptr& doc,
                             const std::optional<std::string>&,
                             std::optional<Poco::Int64> expectedVersion) override {
        auto& record = existing(id, expectedVersion);
        record.doc = doc;
        ++record.version;
        return withManager(record);
    }
    port::UserRecord patch(const std::string& id, const port::ChangeUser& change,
                           std::optional<Poco::Int64> expectedVersion) override {
        auto& record = existing(id, expectedVersion);
        record.doc = change(record).doc;
        ++record.version;
        return withManager(record);
    }
    bool remove(const std::string& id, std::optional<Poco::Int64>) override {
        return users.erase(id) > 0;
    }
    port::UserPage query(const port::UserQuery& query, const port::RenderUser&) override {
        lastQuery = query;
        port::UserPage page;
        for (const auto& [id, record] : users) {
            page.records.push_back(record);
        }
        page.total = page.records.size();
        return page;
    }
    std::map<std::string, std::string> displayNamesOf(
        const std::vector<std::string>& ids) override {
        ++nameLookups;
        std::map<std::string, std::string> names;
        for (const auto& id : ids) {
            if (const auto found = users.find(id); found != users.end()) {
                names[id] = found->second.doc->optValue<std::string>("displayName", "");
            }
        }
        return names;
    }

    std::map<std::string, port::UserRecord> users;
    port::UserQuery lastQuery;
    int nameLookups = 0;

  private:
    // As the port says: one user read by id carries its manager, read with it.
    port::UserRecord withManager(port::UserRecord record) const {
        if (const auto manager = scim::managerIdOf(record.doc)) {
            const auto found = users.find(*manager);
            record.manager = found == users.end()
                                 ? port::ManagerRef{false, ""}
                                 : port::ManagerRef{true, found->second.doc->optValue<std::string>(
                                                              "displayName", "")};
        }
        return record;
    }

    port::UserRecord& existing(const std::string& id, std::optional<Poco::Int64> expected) {
        const auto found = users.find(id);
        if (found == users.end()) {
            throw port::NotFound("No user " + id);
        }
        if (expected && *expected != found->second.version) {
            throw port::VersionMismatch("The user changed since version " +
                                        std::to_string(*expected));
        }
        return found->second;
    }
};

class FakeGroupStore final : public port::GroupStore {
  public:
    port::GroupWriteResult createOrBind(
        const Poco::JSON::Object::Ptr& doc,
        const std::optional<std::vector<std::string>>& members) override {
        port::GroupWriteResult result;
        result.record.id = "g-1";
        result.record.doc = doc;
        group = result.record;
        memberIds = members.value_or(std::vector<std::string>{});
        return result;
    }
    std::optional<port::GroupRecord> find(const std::string& id) override {
        return group && group->id == id ? group : std::nullopt;
    }
    std::vector<port::GroupMember> members(const std::string&) override {
        std::vector<port::GroupMember> listed;
        for (const auto& id : memberIds) {
            listed.push_back({id, "User", id + "@example.com"});
        }
        return listed;
    }
    port::GroupWriteResult replace(const std::string&, const Poco::JSON::Object::Ptr&,
                                   const std::vector<std::string>&,
                                   std::optional<Poco::Int64>) override {
        throw port::StoreError("not in this fake");
    }
    port::GroupWriteResult patch(const std::string& id, const port::ChangeGroup& change,
                                 const std::vector<port::MemberChange>& changes,
                                 std::optional<Poco::Int64>) override {
        if (!find(id)) {
            throw port::NotFound("No group " + id);
        }
        if (change) {
            group->doc = change(*group);
        }
        memberChanges = changes;
        return {*group, false, "", {}};
    }
    bool remove(const std::string&, std::optional<Poco::Int64>) override { return false; }
    port::GroupPage query(const port::GroupQuery&, bool, const port::RenderGroup&) override {
        return {};
    }
    std::vector<port::CataloguedRole> roleCatalogue() override { return {}; }
    bool rolesCatalogued(const std::string&) override { return false; }

    std::optional<port::GroupRecord> group;
    std::vector<std::string> memberIds;
    std::vector<port::MemberChange> memberChanges;
};

}  // namespace testing

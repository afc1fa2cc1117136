#include "support/AccountFixture.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Process.h>
#include <Poco/String.h>

#include <cppunit/extensions/HelperMacros.h>

using namespace Poco::Data::Keywords;

namespace testing {

Poco::JSON::Object::Ptr jsonObject(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

Poco::Data::Session sqliteSession(const std::string& path) {
    Poco::Data::SQLite::Connector::registerConnector();
    return Poco::Data::Session(Poco::Data::SQLite::Connector::KEY, path);
}

long processId() {
    return static_cast<long>(Poco::Process::id());
}

std::string idOf(const HttpResult& result) {
    CPPUNIT_ASSERT_MESSAGE(result.body, result.status == 200 || result.status == 201);
    return jsonObject(result.body)->getValue<std::string>("id");
}

void AccountFixture::startHost(const std::map<std::string, std::string>& extra) {
    _host.reset();
    auto properties = databaseProperties();
    for (const auto& p : extra) {
        properties[p.first] = p.second;
    }
    startHostOn(properties);
}

void AccountFixture::startHostOn(const std::map<std::string, std::string>& given) {
    _host.reset();
    auto properties = given;
    properties["initpass-x-others"] = "Init-Pass-1";
    _host = std::make_unique<HostProcess>(std::vector<std::string>{"tim-scim"}, properties);
    _host->start();
    _auth = "Bearer " + _host->generateToken();
}

HttpResult AccountFixture::request(const std::string& method, const std::string& path,
                                   const std::string& body) {
    std::map<std::string, std::string> headers{{"Authorization", _auth}};
    if (!body.empty()) {
        headers["Content-Type"] = "application/scim+json";
    }
    return _host->request(method, "/tim/api/scim" + path, body, headers);
}

int AccountFixture::total(const std::string& path) {
    const auto result = request("GET", path);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(result.body, 200, result.status);
    return jsonObject(result.body)->getValue<int>("totalResults");
}

std::string AccountFixture::createLocal(const std::vector<std::string>& args) {
    std::string out;
    std::string err;
    CPPUNIT_ASSERT_EQUAL_MESSAGE(err, 0,
                                 _host->runCommand("scim.user.create-local", args, out, err));
    return Poco::trim(out);
}

std::string AccountFixture::audit(const std::string& id) {
    std::string out;
    std::string err;
    CPPUNIT_ASSERT_EQUAL_MESSAGE(err, 0, _host->runCommand("scim.audit", {id}, out, err));
    return out;
}

Credentials AccountFixture::credentials(const std::string& id) {
    Poco::Data::Session session = database();
    Credentials c;
    std::string key = id;
    Poco::Nullable<std::string> hash;
    session << "SELECT password_hash, password_change_required, user_name, active, managed FROM "
               "tim_user WHERE id = ?",
        into(hash), into(c.mustChange), into(c.userName), into(c.active), into(c.managed), use(key),
        now;
    c.hash = hash.isNull() ? "" : hash.value();
    return c;
}

std::string AccountFixture::rolesWhere(const std::string& id, const std::string& condition) {
    Poco::Data::Session session = database();
    std::vector<std::string> keys;
    std::string key = id;
    session << "SELECT DISTINCT role_key FROM tim_user_role WHERE user_id = ?" + condition +
                   " ORDER BY role_key",
        into(keys), use(key), now;
    return Poco::cat(std::string(","), keys.begin(), keys.end());
}

std::string AccountFixture::roles(const std::string& id) {
    return rolesWhere(id, "");
}

std::string AccountFixture::timRoles(const std::string& id) {
    return rolesWhere(id, " AND source = 'tim'");
}

void AccountFixture::grantInTim(const std::string& id, const std::string& role) {
    Poco::Data::Session session = database();
    std::string user = id;
    std::string key = role;
    session << "INSERT INTO tim_user_role (user_id, role_key, source) VALUES (?, ?, 'tim')",
        use(user), use(key), now;
}

std::string AccountFixture::createGroupInTim(const std::string& name) {
    Poco::Data::Session session = database();
    std::string id = "tim-group-" + name;
    std::string displayName = name;
    std::string doc = R"({"displayName":")" + name + R"("})";
    session << "INSERT INTO tim_group (id, display_name, display_name_key, doc, version, "
               "created_ms, modified_ms, managed) VALUES (?, ?, ?, ?, 1, 1700000000000, "
               "1700000000000, 0)",
        use(id), use(displayName), use(displayName), use(doc), now;
    return id;
}

void AccountFixture::addInTim(const std::string& groupId, const std::string& memberId,
                              const std::string& type) {
    Poco::Data::Session session = database();
    std::string group = groupId;
    std::string member = memberId;
    std::string kind = type;
    session << "INSERT INTO tim_group_member (group_id, member_id, member_type) VALUES (?, ?, ?)",
        use(group), use(member), use(kind), now;
}

std::string AccountFixture::groupsOf(const std::string& memberId) {
    Poco::Data::Session session = database();
    std::vector<std::string> names;
    std::vector<int> managed;
    std::string member = memberId;
    session << "SELECT g.display_name, g.managed FROM tim_group_member m JOIN tim_group g ON g.id "
               "= m.group_id WHERE m.member_id = ? ORDER BY g.display_name",
        into(names), into(managed), use(member), now;
    std::string text;
    for (std::size_t i = 0; i < names.size(); ++i) {
        text += (i ? "," : "") + names[i] + (managed[i] ? ":managed" : ":unmanaged");
    }
    return text;
}

}  // namespace testing

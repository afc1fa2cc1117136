// What the e2e suites about accounts share: a timhost with the plugin on one engine, its
// bearer token, TIM's own actions as commands (create-local, audit), and a session of the
// test's own to read what TIM keeps (password hash, roles). A suite derives from it and names
// its engine.
#pragma once

#include "support/HostProcess.h"
#include "support/TestDatabases.h"

#include <Poco/Data/Session.h>
#include <Poco/JSON/Object.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace testing {

// What TIM keeps of an account's password and login state.
struct Credentials {
    std::string hash;
    int mustChange = -1;
    std::string userName;
    int active = -1;
    int managed = -1;
    bool operator==(const Credentials& o) const {
        return hash == o.hash && mustChange == o.mustChange && userName == o.userName &&
               active == o.active && managed == o.managed;
    }
};

Poco::JSON::Object::Ptr jsonObject(const std::string& text);

// A session on the SQLite file `path` (the connector registered).
Poco::Data::Session sqliteSession(const std::string& path);

long processId();

// The "id" of a SCIM response's resource.
std::string idOf(const HttpResult& result);

class AccountFixture {
  public:
    virtual ~AccountFixture() = default;

    // tim.properties for the plugin's database; a fresh database on every call.
    virtual std::map<std::string, std::string> databaseProperties() = 0;
    // A session of the test's own on the running host's database.
    virtual Poco::Data::Session database() = 0;

  protected:
    // (Re)starts the host on a fresh database with these extra properties.
    void startHost(const std::map<std::string, std::string>& extra);
    // Starts the host on the database databaseProperties() last gave, as it is.
    void startHostOn(const std::map<std::string, std::string>& properties);

    HttpResult request(const std::string& method, const std::string& path,
                       const std::string& body = "");
    // "Bearer <token>" of the running host.
    const std::string& token() const { return _auth; }
    int total(const std::string& path);
    // scim.user.create-local: an account as TIM's own UI creates it; returns its id.
    std::string createLocal(const std::vector<std::string>& args);
    // scim.audit of one account.
    std::string audit(const std::string& id);
    Credentials credentials(const std::string& id);
    // Roles from any source, or TIM's own, sorted and joined with commas.
    std::string roles(const std::string& id);
    std::string timRoles(const std::string& id);
    // TIM's UI grants `role` to account `id`.
    void grantInTim(const std::string& id, const std::string& role);
    // TIM's UI creates group `name` (lower-case ASCII, so its folded key is itself): unmanaged.
    std::string createGroupInTim(const std::string& name);
    // TIM's UI puts `memberId` ("User" or "Group") into group `groupId`.
    void addInTim(const std::string& groupId, const std::string& memberId,
                  const std::string& type = "User");
    // The displayNames of the groups `memberId` is a member of, with ":managed" or
    // ":unmanaged", sorted and joined with commas.
    std::string groupsOf(const std::string& memberId);

    std::unique_ptr<HostProcess> _host;

  private:
    std::string rolesWhere(const std::string& id, const std::string& condition);

    std::string _auth;
};

// The engines an account suite runs on: `Contract` is the suite, derived from AccountFixture.
// The plugin's default SQLite file in the host's data directory.
template <typename Contract>
class OnSQLite : public Contract {
  public:
    std::map<std::string, std::string> databaseProperties() override { return {}; }
    Poco::Data::Session database() override {
        return sqliteSession(this->_host->directory() + "/data/tim-scim.db");
    }
};

// A fresh database named `prefix` and the process id on the test MariaDB.
template <typename Contract>
class OnMariaDB : public Contract {
  public:
    explicit OnMariaDB(std::string prefix) : _prefix(std::move(prefix)) {}
    std::map<std::string, std::string> databaseProperties() override {
        _server = MariaDBServer::fromEnvironment();
        _name = _server.freshDatabase(_prefix + std::to_string(processId()));
        return _server.hostProperties(_name);
    }
    Poco::Data::Session database() override { return _server.session(_name); }

  private:
    const std::string _prefix;
    MariaDBServer _server;
    std::string _name;
};

}  // namespace testing

#include "TestDatabases.h"

#include <Poco/Data/LOB.h>
#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Environment.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/NumberParser.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

namespace testing {

using namespace Poco::Data::Keywords;

MariaDBServer MariaDBServer::fromEnvironment() {
    if (!Poco::Environment::has("TIM_TEST_MYSQL_PORT_FILE")) {
        throw Poco::IllegalStateException(
            "TIM_TEST_MYSQL_* is not set: run this suite through ctest, whose mariadb fixture "
            "starts the test server");
    }
    MariaDBServer server;
    server.host = Poco::Environment::get("TIM_TEST_MYSQL_HOST", "127.0.0.1");
    // The fixture writes the port it found free.
    std::string port;
    Poco::FileInputStream in(Poco::Environment::get("TIM_TEST_MYSQL_PORT_FILE"));
    in >> port;
    server.port = Poco::NumberParser::parse(port);
    server.user = Poco::Environment::get("TIM_TEST_MYSQL_USER", "tim");
    server.password = Poco::Environment::get("TIM_TEST_MYSQL_PASSWORD", "");
    return server;
}

std::string MariaDBServer::freshDatabase(const std::string& name) const {
    Poco::Data::MySQL::Connector::registerConnector();
    Poco::Data::Session admin(Poco::Data::MySQL::Connector::KEY,
                              "host=" + host + ";port=" + std::to_string(port) + ";user=" + user +
                                  ";password=" + password);
    admin << "DROP DATABASE IF EXISTS " + name, now;
    admin << "CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", now;
    return name;
}

std::map<std::string, std::string> MariaDBServer::hostProperties(const std::string& name) const {
    return {{"scim.db.connector", "mysql"},         {"scim.db.host", host},
            {"scim.db.port", std::to_string(port)}, {"scim.db.user", user},
            {"scim.db.password", password},         {"scim.db.name", name}};
}

Poco::Data::Session MariaDBServer::session(const std::string& database) const {
    Poco::Data::MySQL::Connector::registerConnector();
    return Poco::Data::Session(Poco::Data::MySQL::Connector::KEY,
                               "host=" + host + ";port=" + std::to_string(port) +
                                   ";db=" + database + ";user=" + user + ";password=" + password);
}

std::string everyStoredValue(Poco::Data::Session& session) {
    std::vector<std::string> tables;
    if (session.connector() == "sqlite") {
        session << "SELECT name FROM sqlite_master WHERE type = 'table'", into(tables), now;
    } else {
        session << "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                   "DATABASE()",
            into(tables), now;
    }
    std::string text;
    for (const auto& table : tables) {
        Poco::Data::Statement select(session);
        select << "SELECT * FROM " + table, now;  // table names from the catalogue itself
        Poco::Data::RecordSet rows(select);
        for (std::size_t row = 0; row < rows.rowCount(); ++row) {
            for (std::size_t column = 0; column < rows.columnCount(); ++column) {
                const Poco::Dynamic::Var value = rows.value(column, row);
                if (value.isEmpty()) {
                    continue;
                }
                if (value.type() == typeid(Poco::Data::BLOB)) {
                    const auto& blob = value.extract<Poco::Data::BLOB>();
                    text.append(reinterpret_cast<const char*>(blob.rawContent()), blob.size());
                } else if (value.type() == typeid(Poco::Data::CLOB)) {
                    const auto& clob = value.extract<Poco::Data::CLOB>();
                    text.append(reinterpret_cast<const char*>(clob.rawContent()), clob.size());
                } else {
                    text += value.convert<std::string>();
                }
                text += "\n";
            }
        }
    }
    return text;
}

std::string temporaryDirectory(const std::string& prefix) {
    const std::string unique = Poco::Path(Poco::TemporaryFile::tempName()).getFileName();
    Poco::Path path(Poco::Path::temp(), prefix + unique);
    Poco::File(path).createDirectories();
    Poco::TemporaryFile::registerForDeletion(path.toString());
    return path.toString();
}

}  // namespace testing

// Loads N users straight into the database in multi-row statements (a fixture, not an API
// benchmark): bench-user-<i>@example.com, externalId bench-ext-<i>, ids bench-<i>.
#include "store/engine/Database.h"
#include "store/engine/SqlSupport.h"

#include <Poco/Data/Statement.h>
#include <Poco/Logger.h>
#include <Poco/NumberParser.h>

#include <iostream>

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr
            << "usage: bench_preload sqlite FILE COUNT | mysql HOST PORT USER PASSWORD DB COUNT\n";
        return 2;
    }
    store::DatabaseConfig config;
    int count = 0;
    if (std::string(argv[1]) == "sqlite" && argc == 4) {
        config.file = argv[2];
        count = Poco::NumberParser::parse(argv[3]);
    } else if (std::string(argv[1]) == "mysql" && argc == 8) {
        config.engine = store::Engine::MySQL;
        config.host = argv[2];
        config.port = Poco::NumberParser::parse(argv[3]);
        config.user = argv[4];
        config.password = argv[5];
        config.name = argv[6];
        count = Poco::NumberParser::parse(argv[7]);
    } else {
        std::cerr << "bad arguments\n";
        return 2;
    }
    store::Database database(config, Poco::Logger::get("preload"));
    database.migrate();
    Poco::Data::Session session = database.session();
    constexpr int kRows = 500;
    for (int start = 0; start < count; start += kRows) {
        std::string sql =
            "INSERT INTO tim_user (id, user_name, user_name_key, kind, active, created_ms, "
            "modified_ms, external_id, work_email_key, doc, version, managed) VALUES ";
        std::vector<store::SqlParam> params;
        for (int i = start; i < std::min(count, start + kRows); ++i) {
            const std::string n = std::to_string(i);
            const std::string name = "bench-user-" + n + "@example.com";
            // Provisioned users, as SCIM creates them: managed.
            sql += i > start ? ", (?, ?, ?, 'person', 1, ?, ?, ?, ?, ?, 1, 1)"
                             : "(?, ?, ?, 'person', 1, ?, ?, ?, ?, ?, 1, 1)";
            for (const std::string& text : {"bench-" + n, name, name}) {
                params.push_back(store::textParam(text));
            }
            params.push_back(store::numberParam(1700000000000LL + i * 1000LL));
            params.push_back(store::numberParam(1700000000000LL + i * 1000LL));
            params.push_back(store::textParam("bench-ext-" + n));
            params.push_back(store::textParam(name));
            params.push_back(store::textParam(
                R"({"active":true,"emails":[{"primary":true,"type":"work","value":")" + name +
                R"("}],"externalId":"bench-ext-)" + n +
                R"(","name":{"familyName":"User","givenName":"Bench"},"userName":")" + name +
                R"("})"));
        }
        session << "BEGIN", Poco::Data::Keywords::now;
        Poco::Data::Statement insert(session);
        insert << sql;
        store::bindAll(insert, params);
        insert.execute();
        session << "COMMIT", Poco::Data::Keywords::now;
    }
    // One group with every preloaded user as a member (for excludedAttributes=members).
    session << "BEGIN", Poco::Data::Keywords::now;
    session << "DELETE FROM tim_group_member WHERE group_id = 'bench-group'",
        Poco::Data::Keywords::now;
    session << "DELETE FROM tim_group WHERE id = 'bench-group'", Poco::Data::Keywords::now;
    session
        << "INSERT INTO tim_group (id, display_name, display_name_key, doc, version, created_ms, "
           "modified_ms) VALUES ('bench-group', 'bench-group', 'bench-group', "
           "'{\"displayName\":\"bench-group\"}', 1, 0, 0)",
        Poco::Data::Keywords::now;
    for (int start = 0; start < count; start += kRows) {
        std::string sql = "INSERT INTO tim_group_member (group_id, member_id, member_type) VALUES ";
        std::vector<store::SqlParam> params;
        for (int i = start; i < std::min(count, start + kRows); ++i) {
            sql += i > start ? ", ('bench-group', ?, 'User')" : "('bench-group', ?, 'User')";
            params.push_back(store::textParam("bench-" + std::to_string(i)));
        }
        Poco::Data::Statement insert(session);
        insert << sql;
        store::bindAll(insert, params);
        insert.execute();
    }
    session << "COMMIT", Poco::Data::Keywords::now;
    std::cout << "loaded " << count << " users and a group with all of them\n";
    return 0;
}

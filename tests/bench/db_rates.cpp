// The raw database ceilings the SCIM scenarios are compared with, one thread, reused
// prepared statements: point select by an indexed key, single-row insert committed each time,
// multi-row insert (500 rows per statement). Prints one JSON object.
#include "store/engine/Database.h"
#include "store/engine/SqlSupport.h"

#include <Poco/Data/Statement.h>
#include <Poco/Logger.h>
#include <Poco/NumberParser.h>
#include <Poco/Stopwatch.h>

#include <iostream>

using namespace Poco::Data::Keywords;

int main(int argc, char** argv) {
    store::DatabaseConfig config;
    if (argc == 3 && std::string(argv[1]) == "sqlite") {
        config.file = argv[2];
    } else if (argc == 7 && std::string(argv[1]) == "mysql") {
        config.engine = store::Engine::MySQL;
        config.host = argv[2];
        config.port = Poco::NumberParser::parse(argv[3]);
        config.user = argv[4];
        config.password = argv[5];
        config.name = argv[6];
    } else {
        std::cerr << "usage: bench_db_rates sqlite FILE | mysql HOST PORT USER PASSWORD DB\n";
        return 2;
    }
    store::Database database(config, Poco::Logger::get("rates"));
    Poco::Data::Session session = database.session();
    session << "DROP TABLE IF EXISTS bench_rates", now;
    session << "CREATE TABLE bench_rates (id VARCHAR(36) NOT NULL PRIMARY KEY, v TEXT NOT NULL)",
        now;

    auto rate = [](std::size_t n, const Poco::Stopwatch& w) { return n / (w.elapsed() / 1e6); };
    // Point select by the indexed userName key (the preloaded users).
    std::string key;
    std::string doc;
    Poco::Data::Statement select(session);
    select << "SELECT doc FROM tim_user WHERE user_name_key = ?", use(key), into(doc);
    const std::size_t selects = 20000;
    Poco::Stopwatch watch;
    watch.start();
    for (std::size_t i = 0; i < selects; ++i) {
        key = "bench-user-" + std::to_string((i * 7919) % 100000) + "@example.com";
        doc.clear();
        select.execute();
    }
    watch.stop();
    const double selectRate = rate(selects, watch);

    // Single-row insert, each its own committed transaction (autocommit).
    std::string id;
    std::string value = "{\"userName\":\"x\"}";
    Poco::Data::Statement insert(session);
    insert << "INSERT INTO bench_rates (id, v) VALUES (?, ?)", use(id), use(value);
    const std::size_t inserts = 2000;
    watch.restart();
    for (std::size_t i = 0; i < inserts; ++i) {
        id = "single-" + std::to_string(i);
        insert.execute();
    }
    watch.stop();
    const double insertRate = rate(inserts, watch);

    // Multi-row inserts: 500 rows per statement, one transaction each.
    const std::size_t batches = 20;
    watch.restart();
    for (std::size_t b = 0; b < batches; ++b) {
        std::string sql = "INSERT INTO bench_rates (id, v) VALUES ";
        std::vector<store::SqlParam> params;
        for (int r = 0; r < 500; ++r) {
            sql += r ? ", (?, ?)" : "(?, ?)";
            params.push_back(
                store::textParam("multi-" + std::to_string(b) + "-" + std::to_string(r)));
            params.push_back(store::textParam(value));
        }
        session << "BEGIN", now;
        Poco::Data::Statement many(session);
        many << sql;
        store::bindAll(many, params);
        many.execute();
        session << "COMMIT", now;
    }
    watch.stop();
    const double multiRate = rate(batches * 500, watch);
    session << "DROP TABLE bench_rates", now;
    std::cout << "{\"select_by_key_per_s\":" << static_cast<long>(selectRate)
              << ",\"single_insert_per_s\":" << static_cast<long>(insertRate)
              << ",\"multi_row_insert_rows_per_s\":" << static_cast<long>(multiRate) << "}"
              << std::endl;
    return 0;
}

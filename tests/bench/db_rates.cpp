// The raw database ceilings the SCIM scenarios are compared with, one thread, reused
// prepared statements: point select by an indexed key, single-row insert committed each time,
// multi-row insert (500 rows per statement); and what a POST /Users must write, without HTTP:
// Entra's user created through TIM's use case over the store, from one thread and from 16.
// Prints one JSON object.
#include "scim/Representation.h"
#include "scim/UserSchemas.h"
#include "store/accounts/SqlAccountTransactions.h"
#include "store/accounts/UserRepository.h"
#include "store/engine/Database.h"
#include "store/engine/SqlSupport.h"
#include "tim/UserService.h"

#include <Poco/JSON/Parser.h>

#include <Poco/Data/Statement.h>
#include <Poco/Logger.h>
#include <Poco/NumberParser.h>
#include <Poco/Stopwatch.h>

#include <sys/resource.h>

#include <future>
#include <iostream>
#include <vector>

using namespace Poco::Data::Keywords;

namespace {

// Entra's POST body (tests/bench/scenarios.lua) for `name`, as the endpoint hands it on.
Poco::JSON::Object::Ptr entraUser(const std::string& name) {
    const std::string json =
        R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"externalId":")" + name +
        R"(","userName":")" + name +
        R"(@testuser.com","active":true,"emails":[{"primary":true,)"
        R"("type":"work","value":")" +
        name +
        R"(@testuser.com"}],"name":{"formatted":"givenName familyName","familyName":"familyName",)"
        R"("givenName":"givenName"}})";
    return scim::normaliseResource(
               Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>(),
               scim::userResourceSchema())
        .doc;
}

// This process's CPU time so far (all threads, user and system), in microseconds.
double processCpuMicros() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto micros = [](const timeval& t) { return t.tv_sec * 1e6 + t.tv_usec; };
    return micros(usage.ru_utime) + micros(usage.ru_stime);
}

struct CreateRate {
    double perSecond;
    // CPU this process spent per create: all of it on SQLite (the engine runs in the process),
    // the client's share on MariaDB. What 2 cores allow is 2e6 / (it + the server's share).
    double cpuMicros;
};

// Creates per second through tim::UserService, each its own transaction, from `threads`
// threads at once (the benchmark's POST runs 16 clients).
CreateRate storeCreateRate(store::Database& database, int threads) {
    store::SqlAccountTransactions transactions(database);
    store::UserRepository reads(database);
    const tim::AccountService rules{tim::AccountSettings{}};
    tim::UserService users(transactions, reads, rules);
    const int perThread = 4000 / threads;
    std::vector<std::vector<Poco::JSON::Object::Ptr>> docs(threads);
    for (int t = 0; t < threads; ++t) {
        for (int i = 0; i < perThread; ++i) {
            docs[t].push_back(entraUser("rates-" + std::to_string(threads) + "-" +
                                        std::to_string(t) + "-" + std::to_string(i)));
        }
    }
    const double cpuBefore = processCpuMicros();
    Poco::Stopwatch watch;
    watch.start();
    std::vector<std::future<void>> running;
    for (int t = 0; t < threads; ++t) {
        running.push_back(std::async(std::launch::async, [&users, &mine = docs[t]] {
            for (const auto& doc : mine) {
                users.createOrBind(doc, std::nullopt);
            }
        }));
    }
    for (auto& thread : running) {
        thread.get();  // a create that failed ends the run with its message
    }
    watch.stop();
    const int creates = threads * perThread;
    return {creates / (watch.elapsed() / 1e6), (processCpuMicros() - cpuBefore) / creates};
}

}  // namespace

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
    const CreateRate createRate = storeCreateRate(database, 1);
    const CreateRate createRate16 = storeCreateRate(database, 16);
    std::cout << "{\"select_by_key_per_s\":" << static_cast<long>(selectRate)
              << ",\"single_insert_per_s\":" << static_cast<long>(insertRate)
              << ",\"multi_row_insert_rows_per_s\":" << static_cast<long>(multiRate)
              << ",\"store_create_per_s\":" << static_cast<long>(createRate.perSecond)
              << ",\"store_create_cpu_us\":" << static_cast<long>(createRate.cpuMicros)
              << ",\"store_create_16_threads_per_s\":" << static_cast<long>(createRate16.perSecond)
              << ",\"store_create_16_threads_cpu_us\":" << static_cast<long>(createRate16.cpuMicros)
              << "}" << std::endl;
    return 0;
}

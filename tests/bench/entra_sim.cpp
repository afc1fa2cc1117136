// entra-sim: replays what Microsoft Entra ID's provisioning does against a SCIM endpoint,
// with N parallel workers, then checks that the server holds exactly the simulated directory.
//
//   entra_sim URL TOKEN [users=100000] [groups=1000] [members=100] [workers=8]
//
// Initial cycle: per user GET ?filter=userName eq, then POST; per group GET ?filter=displayName
// eq &excludedAttributes=members, POST, then PATCH Add members in batches of 100. Incremental
// cycle: 10% of users updated (default-mode PATCH), 5% disabled with "False", 2% deleted,
// one member removed by value list from 10% of groups. Every 20th group (g % 20 == 5) is the
// role group "role.sim-role-<g>", so the server must list "sim-role-<g>" in scim.roles.known
// (sim.sh does). Verification compares every user's attributes and roles and every group's
// members with the simulated directory. Prints objects/s and latency percentiles per request
// kind, then the verification result; exits non-zero on a mismatch. While a phase runs, a line
// on stderr every 10 s says how far it is (done of total, rate, time left).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/NumberParser.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
    std::string host;
    Poco::UInt16 port = 0;
    std::string base;
    std::string token;
    int users = 100000;
    int groups = 1000;
    int members = 100;
    int workers = 8;
};

struct SimUser {
    std::string name;
    std::string id;
    bool active = true;
    bool deleted = false;
    std::string department = "Dept";
    std::string givenName = "User";
};

struct SimGroup {
    std::string name;
    std::string id;
    std::string role;       // the static role it grants, or empty
    std::set<int> members;  // user indexes
};

constexpr const char* kEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
constexpr const char* kTimUser = "urn:ietf:params:scim:schemas:extension:tim:2.0:User";

bool isRoleGroup(int g) {
    return g % 20 == 5;
}

// The strings of a JSON array member of obj (absent: empty).
std::set<std::string> stringsOf(const Poco::JSON::Object::Ptr& obj, const std::string& key) {
    std::set<std::string> out;
    const auto list = obj ? obj->getArray(key) : nullptr;
    for (std::size_t k = 0; list && k < list->size(); ++k) {
        out.insert(list->getElement<std::string>(static_cast<unsigned>(k)));
    }
    return out;
}

class Stats {
  public:
    void add(const std::string& kind, double ms, int status, int expected) {
        std::lock_guard<std::mutex> lock(_mutex);
        _latencies[kind].push_back(ms);
        if (status != expected) {
            ++_failures[kind];
        }
    }
    void print(double seconds, int objects) const {
        std::cout << "objects/s: " << static_cast<int>(objects / seconds) << " (" << objects
                  << " in " << seconds << " s)\n";
        for (auto entry : _latencies) {
            auto& v = entry.second;
            std::sort(v.begin(), v.end());
            auto pct = [&](double p) {
                return v[std::min(v.size() - 1, static_cast<std::size_t>(p * v.size()))];
            };
            const auto f = _failures.count(entry.first) ? _failures.at(entry.first) : 0;
            std::cout << "  " << entry.first << ": " << v.size() << " requests, p50 " << pct(0.5)
                      << " ms, p99 " << pct(0.99) << " ms, unexpected status " << f << "\n";
        }
    }
    int failures() const {
        int n = 0;
        for (const auto& f : _failures) {
            n += f.second;
        }
        return n;
    }

  private:
    mutable std::mutex _mutex;
    mutable std::map<std::string, std::vector<double>> _latencies;
    std::map<std::string, int> _failures;
};

class Client {
  public:
    Client(const Options& o, Stats& stats) : _o(o), _stats(stats), _session(o.host, o.port) {
        _session.setKeepAlive(true);
        _session.setTimeout(Poco::Timespan(60, 0));
    }

    // Sends a request; returns the status and fills body.
    int send(const std::string& kind, const std::string& method, const std::string& path,
             const std::string& payload, std::string& body, int expected) {
        const auto start = Clock::now();
        Poco::Net::HTTPRequest request(method, _o.base + path, Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("Authorization", "Bearer " + _o.token);
        request.setKeepAlive(true);
        if (!payload.empty()) {
            request.setContentType("application/scim+json; charset=utf-8");
            request.setContentLength(static_cast<std::streamsize>(payload.size()));
        }
        _session.sendRequest(request) << payload;
        Poco::Net::HTTPResponse response;
        std::istream& in = _session.receiveResponse(response);
        body.clear();
        Poco::StreamCopier::copyToString(in, body);
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        _stats.add(kind, ms, response.getStatus(), expected);
        return response.getStatus();
    }

  private:
    const Options& _o;
    Stats& _stats;
    Poco::Net::HTTPClientSession _session;
};

std::string quote(const std::string& value) {
    return "%22" + value + "%22";
}

std::string idFrom(const std::string& body) {
    return Poco::JSON::Parser()
        .parse(body)
        .extract<Poco::JSON::Object::Ptr>()
        ->getValue<std::string>("id");
}

// A phase's progress on stderr every kProgressSeconds, until it ends (stdout keeps the report).
class Progress {
  public:
    static constexpr int kProgressSeconds = 10;

    Progress(const char* phase, int total)
        : _phase(phase), _total(total), _reporter([this] { report(); }) {}
    ~Progress() {
        {
            std::lock_guard<std::mutex> lock(_mutex);
            _finished = true;
        }
        _wake.notify_all();
        _reporter.join();
    }
    void tick() { ++_done; }

  private:
    void report() {
        std::unique_lock<std::mutex> lock(_mutex);
        while (!_wake.wait_for(lock, std::chrono::seconds(kProgressSeconds),
                               [this] { return _finished; })) {
            const double seconds = std::chrono::duration<double>(Clock::now() - _started).count();
            const int done = _done;
            const double rate = done / seconds;
            const std::string left =
                done == 0 ? "time left unknown"
                          : "about " + std::to_string(static_cast<long>((_total - done) / rate)) +
                                " s left";
            std::fprintf(stderr, "  %s: %d of %d (%.1f %%), %.0f/s, %s\n", _phase, done, _total,
                         100.0 * done / std::max(1, _total), rate, left.c_str());
        }
    }

    const char* const _phase;
    const int _total;
    const Clock::time_point _started = Clock::now();
    std::atomic<int> _done{0};
    std::mutex _mutex;
    std::condition_variable _wake;
    bool _finished = false;
    std::thread _reporter;  // last: it starts once the rest is set
};

// Runs fn(worker client, index) for indexes [0, count) spread over the workers; `phase` names
// them in the progress lines.
template <typename Fn>
void parallel(const Options& o, Stats& stats, const char* phase, int count, Fn fn) {
    std::atomic<int> next{0};
    Progress progress(phase, count);
    std::vector<std::thread> threads;
    for (int w = 0; w < o.workers; ++w) {
        threads.emplace_back([&] {
            Client client(o, stats);
            for (int i = next++; i < count; i = next++) {
                fn(client, i);
                progress.tick();
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
}

// A PatchOp body around an Operations array.
std::string patchBody(const std::string& operations) {
    return R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)" +
           operations + "}";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: entra_sim URL TOKEN [users] [groups] [members] [workers]\n";
        return 2;
    }
    Options o;
    const Poco::URI uri(argv[1]);
    o.host = uri.getHost();
    o.port = uri.getPort();
    o.base = uri.getPath();
    o.token = argv[2];
    int* fields[] = {&o.users, &o.groups, &o.members, &o.workers};
    for (int i = 3; i < argc && i < 7; ++i) {
        *fields[i - 3] = Poco::NumberParser::parse(argv[i]);
    }
    Stats stats;
    std::vector<SimUser> users(static_cast<std::size_t>(o.users));
    std::vector<SimGroup> groups(static_cast<std::size_t>(o.groups));
    const std::string run =
        std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1000000);

    const auto start = Clock::now();
    parallel(o, stats, "users created", o.users, [&](Client& c, int i) {
        auto& u = users[static_cast<std::size_t>(i)];
        u.name = "sim" + run + "-" + std::to_string(i) + "@contoso.com";
        std::string body;
        c.send("GET user by userName", "GET", "/Users?filter=userName+eq+" + quote(u.name), "",
               body, 200);
        const int status = c.send(
            "POST user", "POST", "/Users",
            R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"externalId":"obj-)" +
                std::to_string(i) + R"(","userName":")" + u.name +
                R"(","active":true,"emails":[{"primary":true,"type":"work","value":")" + u.name +
                R"("}],"name":{"familyName":"Sim","givenName":"User"},"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Dept"}})",
            body, 201);
        if (status == 201) {
            u.id = idFrom(body);  // a failed create is counted above and shows in the verification
        }
    });
    parallel(o, stats, "groups created with their members", o.groups, [&](Client& c, int g) {
        auto& group = groups[static_cast<std::size_t>(g)];
        if (isRoleGroup(g)) {
            group.role = "sim-role-" + std::to_string(g);
            group.name = "role." + group.role;
        } else {
            group.name = "group-" + run + "-" + std::to_string(g);
        }
        std::string body;
        c.send("GET group by displayName", "GET",
               "/Groups?excludedAttributes=members&filter=displayName+eq+" + quote(group.name), "",
               body, 200);
        const int created = c.send(
            "POST group", "POST", "/Groups",
            R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"externalId":"grp-)" +
                std::to_string(g) + R"(","displayName":")" + group.name + R"(","members":[]})",
            body, 201);
        if (created != 201) {
            return;
        }
        group.id = idFrom(body);
        for (int m = 0; m < o.members; ++m) {
            group.members.insert((g * 7919 + m * 31) % o.users);
        }
        std::vector<int> list(group.members.begin(), group.members.end());
        for (std::size_t start = 0; start < list.size(); start += 100) {
            std::string values;
            for (std::size_t k = start; k < std::min(list.size(), start + 100); ++k) {
                values += std::string(k > start ? "," : "") + R"({"$ref":null,"value":")" +
                          users[static_cast<std::size_t>(list[k])].id + "\"}";
            }
            c.send("PATCH group add members", "PATCH", "/Groups/" + group.id,
                   patchBody(R"([{"op":"Add","path":"members","value":[)" + values + "]}]"), body,
                   204);
        }
    });
    const double initial = std::chrono::duration<double>(Clock::now() - start).count();
    std::cout << "initial cycle: " << o.users << " users, " << o.groups << " groups x " << o.members
              << " members in " << initial << " s\n";

    const auto incrementalStart = Clock::now();
    parallel(o, stats, "users updated", o.users, [&](Client& c, int i) {
        auto& u = users[static_cast<std::size_t>(i)];
        std::string body;
        if (u.id.empty()) {
            return;  // its create failed
        }
        if (i % 50 == 1) {  // 2% deleted
            c.send("DELETE user", "DELETE", "/Users/" + u.id, "", body, 204);
            u.deleted = true;
        } else if (i % 20 == 2) {  // 5% disabled, "False" as a string
            c.send("PATCH user disable", "PATCH", "/Users/" + u.id,
                   patchBody(R"([{"op":"Replace","path":"active","value":"False"}])"), body, 200);
            u.active = false;
        } else if (i % 10 == 3) {  // 10% updated
            u.department = "Dept-" + std::to_string(i);
            u.givenName = "Updated";
            c.send(
                "PATCH user update", "PATCH", "/Users/" + u.id,
                patchBody(
                    R"([{"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":")" +
                    u.department +
                    R"("},{"op":"Replace","path":"name.givenName","value":"Updated"}])"),
                body, 200);
        }
    });
    parallel(o, stats, "groups updated", o.groups, [&](Client& c, int g) {
        auto& group = groups[static_cast<std::size_t>(g)];
        if (g % 10 != 5 || group.members.empty()) {
            return;
        }
        const int removed = *group.members.begin();
        group.members.erase(removed);
        std::string body;
        c.send("PATCH group remove member", "PATCH", "/Groups/" + group.id,
               patchBody(R"([{"op":"Remove","path":"members","value":[{"value":")" +
                         users[static_cast<std::size_t>(removed)].id + R"("}]}])"),
               body, 204);
    });
    const double incremental =
        std::chrono::duration<double>(Clock::now() - incrementalStart).count();
    std::cout << "incremental cycle: " << incremental << " s\n";
    const int objects = o.users + o.groups + o.groups * o.members;
    stats.print(initial, objects);

    // Verify: every user as simulated, every group's members (deleted users are not listed).
    std::vector<std::set<std::string>> rolesOf(users.size());
    for (const auto& group : groups) {
        for (int m : group.members) {
            if (!group.role.empty() && !group.id.empty()) {
                rolesOf[static_cast<std::size_t>(m)].insert(group.role);
            }
        }
    }
    std::atomic<int> mismatches{0};
    Stats verifyStats;
    parallel(o, verifyStats, "users verified", o.users, [&](Client& c, int i) {
        const auto& u = users[static_cast<std::size_t>(i)];
        std::string body;
        if (u.id.empty()) {
            ++mismatches;
            return;
        }
        const int status =
            c.send("verify user", "GET", "/Users/" + u.id, "", body, u.deleted ? 404 : 200);
        if (u.deleted) {
            mismatches += status != 404;
            return;
        }
        const auto doc = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
        const auto ent = doc->getObject(kEnterprise);
        const auto name = doc->getObject("name");
        const auto emails = doc->getArray("emails");
        const bool ok =
            doc->getValue<std::string>("userName") == u.name &&
            doc->optValue<std::string>("externalId", "") == "obj-" + std::to_string(i) &&
            doc->getValue<bool>("active") == u.active && ent &&
            ent->getValue<std::string>("department") == u.department && name &&
            name->getValue<std::string>("givenName") == u.givenName &&
            name->getValue<std::string>("familyName") == "Sim" && emails && emails->size() == 1 &&
            emails->getObject(0)->getValue<std::string>("value") == u.name &&
            stringsOf(doc->getObject(kTimUser), "roles") == rolesOf[static_cast<std::size_t>(i)];
        if (!ok && mismatches.fetch_add(1) < 3) {
            std::cerr << "user " << i << " differs: " << body << "\n";
        }
    });
    parallel(o, verifyStats, "groups verified", o.groups, [&](Client& c, int g) {
        const auto& group = groups[static_cast<std::size_t>(g)];
        std::string body;
        c.send("verify group", "GET", "/Groups/" + group.id + "?attributes=members", "", body, 200);
        std::set<std::string> expected;
        for (int m : group.members) {
            if (!users[static_cast<std::size_t>(m)].deleted) {
                expected.insert(users[static_cast<std::size_t>(m)].id);
            }
        }
        std::set<std::string> actual;
        const auto members =
            Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>()->getArray(
                "members");
        for (std::size_t k = 0; members && k < members->size(); ++k) {
            actual.insert(
                members->getObject(static_cast<unsigned>(k))->getValue<std::string>("value"));
        }
        mismatches += expected != actual;
    });
    std::cout << "verification: " << mismatches.load() << " mismatches, " << stats.failures()
              << " unexpected statuses\n";
    return mismatches.load() == 0 && stats.failures() == 0 ? 0 : 1;
}

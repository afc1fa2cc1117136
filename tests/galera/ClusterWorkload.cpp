#include "ClusterWorkload.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/Thread.h>
#include <Poco/URI.h>

#include <chrono>
#include <memory>
#include <sstream>
#include <thread>

namespace testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kDomain = "@galera.test";
constexpr const char* kSharedGroup = "role.galera-shared";
constexpr long kGiveUpMs = 60000;  // no host answered a request for this long

struct Answer {
    int status = 0;
    std::string body;
    bool hadUnknownOutcome = false;  // an earlier attempt may have taken effect
};

std::string quoted(const std::string& text) {
    return "\"" + text + "\"";
}

std::string memberList(const std::vector<std::string>& ids) {
    std::string list;
    for (const auto& id : ids) {
        list += (list.empty() ? "" : ",") + std::string("{\"value\":") + quoted(id) + "}";
    }
    return "[" + list + "]";
}

std::string patch(const std::string& operations) {
    return R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[)" +
           operations + "]}";
}

std::string idIn(const std::string& body) {
    return Poco::JSON::Parser()
        .parse(body)
        .extract<Poco::JSON::Object::Ptr>()
        ->getValue<std::string>("id");
}

// The id of the one resource a list response holds, or "".
std::string onlyIdIn(const std::string& body) {
    const auto list = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    const auto resources = list->getArray("Resources");
    if (list->getValue<int>("totalResults") != 1 || !resources) {
        return "";
    }
    return resources->getObject(0)->getValue<std::string>("id");
}

}  // namespace

long WorkloadReport::count(int status) const {
    long total = 0;
    for (const auto& host : statusesByHost) {
        const auto it = host.second.find(status);
        total += it == host.second.end() ? 0 : it->second;
    }
    return total;
}

std::string WorkloadReport::summary() const {
    std::ostringstream out;
    out << requests << " requests in " << seconds << " s (" << static_cast<long>(requests / seconds)
        << "/s), " << acknowledgedWrites << " writes answered 2xx, " << unknownOutcomes
        << " attempts with no answer or 503, retried\n";
    for (const auto& host : statusesByHost) {
        out << "  host " << host.first + 1 << ":";
        for (const auto& status : host.second) {
            out << " "
                << (status.first == 0 ? std::string("no-answer") : std::to_string(status.first))
                << "x" << status.second;
        }
        out << "\n";
    }
    for (const auto& p : problems) {
        out << "  PROBLEM: " << p << "\n";
    }
    return out.str();
}

std::string ClusterWorkload::knownRoles(int workers) {
    std::string roles = "galera-shared";
    for (int w = 0; w < workers; ++w) {
        roles += ",galera-role-" + std::to_string(w);
    }
    return roles;
}

bool ClusterWorkload::isWorkloadUser(const std::string& userName) {
    const std::string domain = kDomain;
    return userName.size() > domain.size() &&
           userName.compare(userName.size() - domain.size(), domain.size(), domain) == 0;
}

// One client connection per host (keep-alive, as Entra's), and one worker's users and groups.
class ClusterWorkload::Worker {
  public:
    Worker(ClusterWorkload& load, int index)
        : _load(load), _index(index), _sessions(load._ports.size()) {}

    // Sends until a host gives a definite answer (anything but no answer or 503), trying the
    // hosts in turn from this worker's own.
    Answer send(const std::string& method, const std::string& path, const std::string& body = "") {
        Answer answer;
        const auto start = Clock::now();
        for (std::size_t attempt = 0;; ++attempt) {
            const std::size_t host = (_index + attempt) % _sessions.size();
            answer.status = exchange(host, method, path, body, answer.body);
            _load.record(host, answer.status);
            if (answer.status != 0 && answer.status != 503) {
                return answer;
            }
            answer.hadUnknownOutcome = true;
            if (Clock::now() - start > std::chrono::milliseconds(kGiveUpMs)) {
                throw std::runtime_error(method + " " + path + ": no host answered for 60 s");
            }
            Poco::Thread::sleep(attempt < _sessions.size() ? 20 : 200);
        }
    }

    void run(const std::function<bool()>& keepGoing) {
        createUsers();
        createGroups();
        addMembers();
        for (int round = 1; keepGoing(); ++round) {
            updateRound(round);
        }
    }

  private:
    int exchange(std::size_t host, const std::string& method, const std::string& path,
                 const std::string& body, std::string& answerBody) {
        auto& session = _sessions[host];
        try {
            if (!session) {
                session = std::make_unique<Poco::Net::HTTPClientSession>(
                    "127.0.0.1", static_cast<Poco::UInt16>(_load._ports[host]));
                session->setTimeout(Poco::Timespan(30, 0));
                session->setKeepAlive(true);
            }
            Poco::Net::HTTPRequest request(method, "/tim/api/scim" + path,
                                           Poco::Net::HTTPMessage::HTTP_1_1);
            request.set("Authorization", "Bearer " + _load._token);
            // The host logs every line of the request under this id: a failure names it.
            request.set("X-Request-Id",
                        "w" + std::to_string(_index) + "r" + std::to_string(++_sent));
            request.setContentType("application/scim+json");
            request.setKeepAlive(true);
            if (!body.empty()) {
                request.setContentLength(static_cast<std::streamsize>(body.size()));
            }
            session->sendRequest(request) << body;
            Poco::Net::HTTPResponse response;
            std::istream& in = session->receiveResponse(response);
            answerBody.clear();
            Poco::StreamCopier::copyToString(in, answerBody);
            const int status = response.getStatus();
            if (status == 503 && !response.has("Retry-After")) {
                _load.problem(method + " " + path + ": 503 without Retry-After");
            }
            if (status >= 500 && status != 503) {
                _load.problem(method + " " + path + " on host " + std::to_string(host + 1) + ": " +
                              std::to_string(status) + " " + answerBody);
            }
            if (!response.getKeepAlive()) {
                session.reset();
            }
            return status;
        } catch (const Poco::Exception&) {
            session.reset();  // refused, reset or timed out: the outcome is unknown
            return 0;
        }
    }

    // POST, or, when an unanswered earlier attempt created it, the id a filter finds.
    std::string create(const std::string& type, const std::string& nameAttribute,
                       const std::string& name, const std::string& body) {
        const Answer created = send("POST", "/" + type, body);
        if (created.status == 201) {
            _load.acknowledged();
            return idIn(created.body);
        }
        if (created.status == 409 && created.hadUnknownOutcome) {
            const Answer found =
                send("GET", "/" + type + "?filter=" +
                                Poco::URI(nameAttribute + " eq " + quoted(name)).getPathEtc());
            const std::string id = found.status == 200 ? onlyIdIn(found.body) : "";
            if (!id.empty()) {
                _load.acknowledged();
                return id;
            }
        }
        _load.problem("POST " + type + " " + name + ": " + std::to_string(created.status) + " " +
                      created.body);
        return "";
    }

    void createUsers() {
        for (int k = 0; k < _load._options.usersPerWorker; ++k) {
            const std::string name =
                "w" + std::to_string(_index) + "-u" + std::to_string(k) + kDomain;
            const std::string displayName = "User " + std::to_string(k);
            const std::string id =
                create("Users", "userName", name,
                       R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":)" +
                           quoted(name) + R"(,"externalId":)" + quoted("ext-" + name) +
                           R"(,"displayName":)" + quoted(displayName) + R"(,"active":true})");
            if (!id.empty()) {
                _users.push_back({name, id});
                _load.expectUser(name,
                                 [&](ExpectedState::User& u) { u.displayName = displayName; });
            }
        }
    }

    void createGroups() {
        for (int j = 0; j < _load._options.groupsPerWorker; ++j) {
            const std::string name =
                j == 0 ? "role.galera-role-" + std::to_string(_index)
                       : "galera-w" + std::to_string(_index) + "-g" + std::to_string(j);
            const std::string id = create(
                "Groups", "displayName", name,
                R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":)" +
                    quoted(name) + R"(,"externalId":)" + quoted("ext-" + name) + "}");
            if (!id.empty()) {
                _groups.push_back({name, id});
                _load.expectMembers(name, [](std::set<std::string>&) {});
            }
        }
    }

    // A PATCH that must succeed (members and attributes are idempotent to send again).
    bool patchOk(const std::string& path, const std::string& operations) {
        const Answer answer = send("PATCH", path, patch(operations));
        if (answer.status == 200 || answer.status == 204) {
            _load.acknowledged();
            return true;
        }
        _load.problem("PATCH " + path + ": " + std::to_string(answer.status) + " " + answer.body);
        return false;
    }

    void addMembers() {
        for (std::size_t j = 0; j < _groups.size(); ++j) {
            std::vector<std::string> ids;
            std::vector<std::string> names;
            for (std::size_t k = j; k < _users.size(); k += _groups.size()) {
                ids.push_back(_users[k].second);
                names.push_back(_users[k].first);
            }
            if (patchOk("/Groups/" + _groups[j].second,
                        R"({"op":"Add","path":"members","value":)" + memberList(ids) + "}")) {
                _load.expectMembers(_groups[j].first, [&](std::set<std::string>& members) {
                    members.insert(names.begin(), names.end());
                });
            }
        }
        // Every worker adds its first users to the one group they all share: concurrent
        // writes to one group, through different hosts and so different nodes.
        for (std::size_t k = 0; k < 3 && k < _users.size(); ++k) {
            if (patchOk("/Groups/" + _load._sharedGroupId,
                        R"({"op":"Add","path":"members","value":)" +
                            memberList({_users[k].second}) + "}")) {
                _load.expectMembers(kSharedGroup, [&](std::set<std::string>& members) {
                    members.insert(_users[k].first);
                });
            }
        }
    }

    void updateRound(int round) {
        for (std::size_t k = 0; k < _users.size(); ++k) {
            const auto& [name, id] = _users[k];
            if (_deleted.count(name)) {
                continue;
            }
            const std::string displayName =
                "User " + std::to_string(k) + " r" + std::to_string(round);
            if (patchOk("/Users/" + id, R"({"op":"Replace","path":"displayName","value":)" +
                                            quoted(displayName) + "}")) {
                _load.expectUser(name,
                                 [&](ExpectedState::User& u) { u.displayName = displayName; });
            }
            if ((k + round) % 5 == 0) {
                const bool active = round % 2 == 0;  // Entra sends the flag as a string
                if (patchOk("/Users/" + id,
                            std::string(R"({"op":"Replace","path":"active","value":")") +
                                (active ? "True" : "False") + "\"}")) {
                    _load.expectUser(name, [&](ExpectedState::User& u) { u.active = active; });
                }
            }
            if ((k + round) % 4 == 0 && !_groups.empty()) {
                toggleRoleMembership(name, id);
            }
            if (round == 2 && k % 7 == 6) {
                remove(name, id);
            }
        }
    }

    // Removes the user from, or adds it back to, the worker's role group.
    void toggleRoleMembership(const std::string& name, const std::string& id) {
        const auto& [group, groupId] = _groups.front();
        const bool member = _load.isExpectedMember(group, name);
        if (patchOk("/Groups/" + groupId, std::string(R"({"op":")") + (member ? "Remove" : "Add") +
                                              R"(","path":"members","value":)" + memberList({id}) +
                                              "}")) {
            _load.expectMembers(group, [&](std::set<std::string>& members) {
                if (member) {
                    members.erase(name);
                } else {
                    members.insert(name);
                }
            });
        }
    }

    void remove(const std::string& name, const std::string& id) {
        const Answer answer = send("DELETE", "/Users/" + id);
        if (answer.status == 204 || (answer.status == 404 && answer.hadUnknownOutcome)) {
            _load.acknowledged();
            _deleted.insert(name);
            _load.expectUser(name, [](ExpectedState::User& u) { u.deleted = true; });
            return;
        }
        _load.problem("DELETE " + name + ": " + std::to_string(answer.status) + " " + answer.body);
    }

    ClusterWorkload& _load;
    const int _index;
    std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>> _sessions;
    std::vector<std::pair<std::string, std::string>> _users;   // userName, id
    std::vector<std::pair<std::string, std::string>> _groups;  // displayName, id
    std::set<std::string> _deleted;
    long _sent = 0;
};

ClusterWorkload::ClusterWorkload(std::vector<int> hostPorts, std::string token,
                                 WorkloadOptions options)
    : _ports(std::move(hostPorts)), _token(std::move(token)), _options(options) {}

void ClusterWorkload::run(const std::function<bool()>& keepGoing) {
    const auto start = Clock::now();
    {
        Worker setup(*this, 0);
        const Answer shared = setup.send(
            "POST", "/Groups",
            R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":")" +
                std::string(kSharedGroup) + "\"}");
        if (shared.status != 201) {
            throw std::runtime_error("the shared group was not created: " + shared.body);
        }
        _sharedGroupId = idIn(shared.body);
        expectMembers(kSharedGroup, [](std::set<std::string>&) {});
    }
    std::vector<std::thread> threads;
    std::mutex failureMutex;
    std::string failure;
    for (int w = 0; w < _options.workers; ++w) {
        threads.emplace_back([&, w] {
            try {
                Worker(*this, w).run(keepGoing);
            } catch (const std::exception& e) {
                std::lock_guard<std::mutex> lock(failureMutex);
                failure = e.what();
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    _report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (!failure.empty()) {
        throw std::runtime_error(failure);
    }
}

void ClusterWorkload::record(std::size_t host, int status) {
    std::lock_guard<std::mutex> lock(_mutex);
    ++_report.requests;
    ++_report.statusesByHost[static_cast<int>(host)][status];
    if (status == 0 || status == 503) {
        ++_report.unknownOutcomes;
    }
}

void ClusterWorkload::acknowledged() {
    std::lock_guard<std::mutex> lock(_mutex);
    ++_report.acknowledgedWrites;
}

void ClusterWorkload::problem(const std::string& text) {
    std::lock_guard<std::mutex> lock(_mutex);
    _report.problems.push_back(text);
}

void ClusterWorkload::expectUser(const std::string& name,
                                 const std::function<void(ExpectedState::User&)>& change) {
    std::lock_guard<std::mutex> lock(_mutex);
    change(_expected.users[name]);
}

void ClusterWorkload::expectMembers(const std::string& group,
                                    const std::function<void(std::set<std::string>&)>& change) {
    std::lock_guard<std::mutex> lock(_mutex);
    change(_expected.members[group]);
}

bool ClusterWorkload::isExpectedMember(const std::string& group, const std::string& name) {
    std::lock_guard<std::mutex> lock(_mutex);
    return _expected.members[group].count(name) > 0;
}

}  // namespace testing

// Entra's provisioning traffic spread over several timhost instances, as a load balancer
// would: each worker creates its users and groups (one a `role.` group), adds members (also to
// one role group all workers share), then, round after round until the time is up, renames
// users, disables and enables them with "False"/"True", removes and re-adds members by value,
// and deletes some users. A request that gets no answer or a 503 goes to the next host until
// one answers, as Entra retries; a create or delete whose first outcome was unknown may then
// find its own earlier effect (409, 404), which the worker resolves as Entra does. Every write
// answered 2xx updates the model of what the database must hold afterwards.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace testing {

struct WorkloadOptions {
    int workers = 6;
    int usersPerWorker = 24;
    int groupsPerWorker = 3;
};

// What the database must hold when the workload is done.
struct ExpectedState {
    struct User {
        std::string displayName;
        bool active = true;
        bool deleted = false;
    };
    std::map<std::string, User> users;                     // by userName
    std::map<std::string, std::set<std::string>> members;  // group displayName -> userNames
};

// What was sent and answered, per host (status 0: no answer).
struct WorkloadReport {
    long requests = 0;
    long acknowledgedWrites = 0;  // writes answered 2xx
    long unknownOutcomes = 0;     // attempts without an answer, or 503, later resolved
    double seconds = 0;
    std::map<int, std::map<int, long>> statusesByHost;
    std::vector<std::string> problems;  // 500s, 503s without Retry-After, unexpected answers

    long count(int status) const;
    std::string summary() const;
};

class ClusterWorkload {
  public:
    ClusterWorkload(std::vector<int> hostPorts, std::string token, WorkloadOptions options);

    // Runs every worker: creates, then rounds of updates while `keepGoing()` holds. Throws if
    // a request found no host answering for 60 s.
    void run(const std::function<bool()>& keepGoing);

    const ExpectedState& expected() const { return _expected; }
    const WorkloadReport& report() const { return _report; }
    // The roles the workload's role groups grant: for scim.roles.known.
    static std::string knownRoles(int workers);
    static bool isWorkloadUser(const std::string& userName);

  private:
    class Worker;
    friend class Worker;

    void record(std::size_t host, int status);
    void acknowledged();
    void problem(const std::string& text);
    void expectUser(const std::string& name,
                    const std::function<void(ExpectedState::User&)>& change);
    void expectMembers(const std::string& group,
                       const std::function<void(std::set<std::string>&)>& change);
    bool isExpectedMember(const std::string& group, const std::string& name);

    const std::vector<int> _ports;
    const std::string _token;
    const WorkloadOptions _options;
    std::mutex _mutex;
    ExpectedState _expected;
    WorkloadReport _report;
    std::string _sharedGroupId;
};

}  // namespace testing

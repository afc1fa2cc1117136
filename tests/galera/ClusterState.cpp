#include "ClusterState.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <set>
#include <sstream>

namespace testing {
namespace {

using namespace Poco::Data::Keywords;

// Rows of a two-column query, each as "first|second".
std::set<std::string> rowsOf(Poco::Data::Session& session, const std::string& sql) {
    std::vector<std::string> first;
    std::vector<std::string> second;
    session << sql, into(first), into(second), now;
    std::set<std::string> rows;
    for (std::size_t i = 0; i < first.size(); ++i) {
        rows.insert(first[i] + "|" + second[i]);
    }
    return rows;
}

ExpectedState stateOf(Poco::Data::Session& session) {
    ExpectedState state;
    std::vector<std::string> names;
    std::vector<Poco::Int64> active;
    std::vector<Poco::Int64> deleted;
    std::vector<std::string> docs;
    session << "SELECT user_name, CAST(active AS SIGNED), CAST(deleted_ms IS NOT NULL AS SIGNED), "
               "doc FROM tim_user WHERE user_name LIKE '%@galera.test'",
        into(names), into(active), into(deleted), into(docs), now;
    for (std::size_t i = 0; i < names.size(); ++i) {
        auto& user = state.users[names[i]];
        const auto doc = Poco::JSON::Parser().parse(docs[i]).extract<Poco::JSON::Object::Ptr>();
        user.displayName = doc->optValue<std::string>("displayName", "");
        user.active = active[i] != 0;
        user.deleted = deleted[i] != 0;
    }
    std::vector<std::string> groups;
    session << "SELECT display_name FROM tim_group", into(groups), now;
    for (const auto& g : groups) {
        state.members[g];
    }
    // A deleted user's membership rows stay until the purge; SCIM no longer shows them.
    for (const auto& row : rowsOf(session,
                                  "SELECT g.display_name, u.user_name FROM tim_group_member m "
                                  "JOIN tim_group g ON g.id = m.group_id JOIN tim_user u ON u.id = "
                                  "m.member_id WHERE u.deleted_ms IS NULL")) {
        const auto bar = row.find('|');
        state.members[row.substr(0, bar)].insert(row.substr(bar + 1));
    }
    return state;
}

ExpectedState withoutDeletedMembers(ExpectedState model) {
    for (auto& group : model.members) {
        for (auto it = group.second.begin(); it != group.second.end();) {
            it = model.users[*it].deleted ? group.second.erase(it) : std::next(it);
        }
    }
    return model;
}

std::set<std::string> linesOf(const ExpectedState& state) {
    std::set<std::string> lines;
    for (const auto& [name, u] : state.users) {
        // A deleted user is inactive whatever it was before.
        lines.insert(name + " '" + u.displayName + "' " +
                     (u.deleted  ? "deleted"
                      : u.active ? "active"
                                 : "inactive"));
    }
    for (const auto& [group, members] : state.members) {
        std::string line = group + ":";
        for (const auto& m : members) {
            line += " " + m;
        }
        lines.insert(line);
    }
    return lines;
}

// The lines of `expected` the node lacks (-) and those only the node has (+).
std::string differences(const ExpectedState& expected, const ExpectedState& held) {
    const auto want = linesOf(expected);
    const auto have = linesOf(held);
    std::string diff;
    for (const auto& line : want) {
        diff += have.count(line) ? "" : "  - " + line + "\n";
    }
    for (const auto& line : have) {
        diff += want.count(line) ? "" : "  + " + line + "\n";
    }
    return diff;
}

// Users whose role rows differ from what their role groups grant.
std::string roleMismatches(Poco::Data::Session& session) {
    const auto granted = rowsOf(session,
                                "SELECT u.user_name, r.role_key FROM tim_user_role r JOIN tim_user "
                                "u ON u.id = r.user_id WHERE r.source = 'scim'");
    const auto implied = rowsOf(session,
                                "SELECT DISTINCT u.user_name, g.role_key FROM tim_group_member m "
                                "JOIN tim_group g ON g.id = m.group_id JOIN tim_user u ON u.id = "
                                "m.member_id WHERE g.role_key IS NOT NULL");
    std::string text;
    for (const auto& row : granted) {
        text += implied.count(row) ? "" : "  role without membership: " + row + "\n";
    }
    for (const auto& row : implied) {
        text += granted.count(row) ? "" : "  membership without role: " + row + "\n";
    }
    return text;
}

// Every table the plugin writes, summed row by row: equal sums on two nodes, equal rows.
std::vector<Poco::Int64> checksums(Poco::Data::Session& session) {
    std::vector<std::string> tables;
    std::vector<Poco::Int64> sums;
    session << "CHECKSUM TABLE tim_user, tim_group, tim_group_member, tim_user_role, "
               "scim_audit, scim_token, scim_schema_version",
        into(tables), into(sums), now;
    return sums;
}

}  // namespace

std::string differencesOnEveryNode(const GaleraCluster& cluster, const std::string& database,
                                   ExpectedState expected) {
    expected = withoutDeletedMembers(std::move(expected));
    std::string report;
    std::vector<Poco::Int64> first;
    for (std::size_t node = 0; node < cluster.size(); ++node) {
        auto session = cluster.session(node, database);
        const std::string where = "node " + std::to_string(node + 1);
        const std::string diff = differences(expected, stateOf(session));
        report += diff.empty() ? "" : where + " differs from the writes answered 2xx:\n" + diff;
        const std::string roles = roleMismatches(session);
        report += roles.empty() ? "" : where + ":\n" + roles;
        const auto sums = checksums(session);
        if (node == 0) {
            first = sums;
        } else if (sums != first) {
            report += where + "'s tables differ from node 1's\n";
        }
    }
    return report;
}

}  // namespace testing

#include "RoleCatalogue.h"

#include "Retry.h"
#include "SqlAccountWork.h"
#include "StoreFailures.h"
#include "WriteTransaction.h"
#include "scim/CaseFold.h"

#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <algorithm>
#include <map>

namespace store {
namespace {

using namespace Poco::Data::Keywords;

// A recompute still owed: set with the change it follows, cleared once every batch committed,
// so a host stopped half-way finishes it at its next start.
const std::string kPending = "role grants pending";

struct Listing {
    std::string name;
    int internal = 0;
};

// What tim_role's flag for `key` is, or null when it has no row.
Poco::Nullable<Poco::Int64> catalogueFlag(Poco::Data::Session& session, std::string key) {
    std::vector<Poco::Int64> flags;
    session << "SELECT internal FROM tim_role WHERE name_key = ?", use(key), into(flags), now;
    return flags.empty() ? Poco::Nullable<Poco::Int64>() : Poco::Nullable<Poco::Int64>(flags[0]);
}

void setCatalogueFlag(Poco::Data::Session& session, const SqlDialect& dialect, std::string key,
                      std::string name, Poco::Int64 flag) {
    session << dialect.insertSkippingExisting(
        "INSERT INTO tim_role (name_key, name, internal) VALUES (?, ?, ?)", "name_key"),
        use(key), use(name), use(flag), now;
    session << "UPDATE tim_role SET internal = ? WHERE name_key = ?", use(flag), use(key), now;
}

// Applies `listed` to tim_role against what scim_role_setting says was listed before; returns
// the roles whose listing changed, and whether a recompute is owed (changed now or before).
std::vector<std::string> applyListing(Poco::Data::Session& session, const SqlDialect& dialect,
                                      const std::map<std::string, Listing>& listed, bool& owed) {
    std::vector<std::string> keys;
    std::vector<Poco::Int64> flags;
    std::vector<Poco::Nullable<Poco::Int64>> priors;
    session << "SELECT name_key, internal, prior_internal FROM scim_role_setting", into(keys),
        into(flags), into(priors), now;
    std::vector<std::string> changed;
    for (const auto& [key, listing] : listed) {
        const auto at = std::find(keys.begin(), keys.end(), key);
        const std::size_t i = static_cast<std::size_t>(at - keys.begin());
        if (at != keys.end() && flags[i] == listing.internal) {
            continue;
        }
        std::string k = key;
        Poco::Int64 flag = listing.internal;
        if (at == keys.end()) {
            const auto prior = catalogueFlag(session, key);
            if (prior.isNull()) {
                session << "INSERT INTO scim_role_setting (name_key, internal, prior_internal) "
                           "VALUES (?, ?, NULL)",
                    use(k), use(flag), now;
            } else {
                Poco::Int64 held = prior.value();
                session << "INSERT INTO scim_role_setting (name_key, internal, prior_internal) "
                           "VALUES (?, ?, ?)",
                    use(k), use(flag), use(held), now;
            }
        } else {
            session << "UPDATE scim_role_setting SET internal = ? WHERE name_key = ?", use(flag),
                use(k), now;
        }
        setCatalogueFlag(session, dialect, key, listing.name, flag);
        changed.push_back(listing.name);
    }
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (listed.count(keys[i]) != 0) {
            continue;
        }
        std::string key = keys[i];
        if (priors[i].isNull()) {
            session << "DELETE FROM tim_role WHERE name_key = ?", use(key), now;
        } else {
            Poco::Int64 prior = priors[i].value();
            session << "UPDATE tim_role SET internal = ? WHERE name_key = ?", use(prior), use(key),
                now;
        }
        session << "DELETE FROM scim_role_setting WHERE name_key = ?", use(key), now;
        changed.push_back(key);
    }
    std::string pending = kPending;
    std::vector<std::string> marks;
    session << "SELECT name FROM scim_state WHERE name = ?", use(pending), into(marks), now;
    owed = !marks.empty() || !changed.empty();
    if (!changed.empty() && marks.empty()) {
        std::string yes = "1";
        session << "INSERT INTO scim_state (name, value) VALUES (?, ?)", use(pending), use(yes),
            now;
    }
    return changed;
}

// Whose grants a catalogue change may move: the members of role groups (groups among them
// lead to the users below, with nested role groups) and the holders of roles SCIM granted.
std::vector<std::string> affectedAccounts(Poco::Data::Session& session) {
    std::vector<std::string> ids;
    session << "SELECT m.member_id FROM tim_group_member m JOIN tim_group g ON g.id = m.group_id "
               "WHERE g.role_key IS NOT NULL "
               "UNION SELECT user_id FROM tim_user_role WHERE source = 'scim'",
        into(ids), now;
    std::sort(ids.begin(), ids.end());
    return ids;
}

}  // namespace

RoleCatalogueChange applyRoleCatalogue(Database& database, const port::AccountRules& rules,
                                       const std::vector<std::string>& known,
                                       const std::vector<std::string>& internal) try {
    std::map<std::string, Listing> listed;
    for (const auto* list : {&known, &internal}) {
        for (const auto& name : *list) {
            listed[scim::foldCase(name)] = Listing{name, list == &internal ? 1 : 0};
        }
    }
    const SqlDialect& dialect = database.dialect();
    Poco::Data::Session session = database.session();
    RoleCatalogueChange change;
    bool owed = false;
    // Hosts starting together write the same rows: the loser of a deadlock runs it again.
    change.roles = withRetry(dialect, [&] {
        WriteTransaction tx(session, dialect);
        auto changed = applyListing(session, dialect, listed, owed);
        tx.commit();
        return changed;
    });
    if (!owed) {
        return change;
    }
    const auto accounts = affectedAccounts(session);
    for (std::size_t first = 0; first < accounts.size(); first += kRoleRecomputeBatch) {
        const std::vector<std::string> batch(
            accounts.begin() + static_cast<long>(first),
            accounts.begin() +
                static_cast<long>(std::min(accounts.size(), first + kRoleRecomputeBatch)));
        const auto tally = withRetry(dialect, [&] {
            WriteTransaction tx(session, dialect);
            SqlAccountWork work(session, dialect);
            const auto counted = rules.grantRoles(work, batch);
            tx.commit();
            return counted;
        });
        change.granted += tally.granted;
        change.revoked += tally.revoked;
    }
    withRetry(dialect, [&] {
        WriteTransaction tx(session, dialect);
        std::string pending = kPending;
        session << "DELETE FROM scim_state WHERE name = ?", use(pending), now;
        tx.commit();
    });
    change.accountsRecomputed = accounts.size();
    change.recomputed = true;
    return change;
} catch (...) {
    rethrowAsStoreError();
}

}  // namespace store

#include "RoleCatalogue.h"

#include "scim/CaseFold.h"

#include <algorithm>
#include <map>

namespace tim {
namespace {

// A recompute still owed: set with the change it follows, cleared once every batch committed,
// so a host stopped half-way finishes it at its next start.
const std::string kPending = "role grants pending";

struct Listing {
    std::string name;
    bool internal = false;
};

// Applies `listed` to the catalogue against what was listed before; returns the roles whose
// listing changed.
std::vector<std::string> applyListing(port::AccountTransaction& tx,
                                      const std::map<std::string, Listing>& listed) {
    const auto before = tx.roleListings();
    std::vector<std::string> changed;
    for (const auto& [key, listing] : listed) {
        const auto was =
            std::find_if(before.begin(), before.end(),
                         [&key = key](const port::RoleListing& l) { return l.key == key; });
        if (was != before.end() && was->internal == listing.internal) {
            continue;
        }
        if (was == before.end()) {
            tx.addRoleListing({key, listing.internal, tx.catalogueStanding(key)});
        } else {
            tx.changeRoleListing(key, listing.internal);
        }
        tx.setCatalogueRole(key, listing.name, listing.internal);
        changed.push_back(listing.name);
    }
    for (const auto& listing : before) {
        if (listed.count(listing.key) != 0) {
            continue;
        }
        if (listing.prior) {
            tx.setCatalogueStanding(listing.key, *listing.prior);
        } else {
            tx.removeCatalogueRole(listing.key);
        }
        tx.removeRoleListing(listing.key);
        changed.push_back(listing.key);
    }
    return changed;
}

}  // namespace

RoleCatalogueChange applyRoleCatalogue(port::AccountTransactions& transactions,
                                       const AccountService& rules,
                                       const std::vector<std::string>& known,
                                       const std::vector<std::string>& internal) {
    std::map<std::string, Listing> listed;  // by the catalogue's key: the folded name
    for (const auto& name : known) {
        listed[scim::foldCase(name)] = Listing{name, false};
    }
    for (const auto& name : internal) {
        listed[scim::foldCase(name)] = Listing{name, true};
    }
    RoleCatalogueChange change;
    bool owed = false;
    // Hosts starting together write the same rows: the loser of a deadlock runs it again.
    transactions.run([&](port::AccountTransaction& tx) {
        change.roles = applyListing(tx, listed);
        owed = !change.roles.empty() || tx.hasMark(kPending);
        if (!change.roles.empty() && !tx.hasMark(kPending)) {
            tx.setMark(kPending);
        }
    });
    if (!owed) {
        return change;
    }
    std::vector<std::string> accounts;
    transactions.run([&](port::AccountTransaction& tx) { accounts = tx.roleGrantHolders(); });
    for (std::size_t first = 0; first < accounts.size(); first += kRoleRecomputeBatch) {
        const std::vector<std::string> batch(
            accounts.begin() + static_cast<long>(first),
            accounts.begin() +
                static_cast<long>(std::min(accounts.size(), first + kRoleRecomputeBatch)));
        GrantTally tally;
        transactions.run(
            [&](port::AccountTransaction& tx) { tally = rules.grantRoles(tx, batch); });
        change.granted += tally.granted;
        change.revoked += tally.revoked;
    }
    transactions.run([](port::AccountTransaction& tx) { tx.clearMark(kPending); });
    change.accountsRecomputed = accounts.size();
    change.recomputed = true;
    return change;
}

}  // namespace tim

#include "AdminCommands.h"

#include "Configuration.h"

#include "scim/DateTime.h"
#include "store/engine/OpenDiagnosis.h"
#include "tim/Passwords.h"
#include "tim/SystemIdentities.h"

#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>

namespace app {
namespace {

using Arguments = std::vector<std::string>;

const std::string& onlyArgument(const Arguments& args, const char* usage) {
    if (args.size() != 1) {
        throw Poco::InvalidArgumentException(usage);
    }
    return args[0];
}

std::string describeMigrations(Components& c, const Arguments&) {
    std::string text;
    for (const auto& m : c.database->appliedMigrations()) {
        text += m.name + "  " + m.appliedAt + "  " + m.checksum + "\n";
    }
    return text;
}

std::string setupIdentities(Components& c, const Arguments&) {
    const auto created = tim::setupSystemIdentities(*c.identities);
    std::string text;
    for (const auto& name : created) {
        text += "created " + name + "\n";
    }
    return text.empty() ? "all system identities exist\n" : text;
}

std::string runPurge(Components& c, const Arguments&) {
    const Poco::Timestamp now = c.clock.now();
    const auto result = c.purger->run(now);
    c.metrics.recordPurge(result, now);
    const auto snapshots =
        c.snapshots->purge(c.snapshotRetention->before(now).epochMicroseconds() / 1000);
    c.logger.information("purge: " + result.summary() + "; " + std::to_string(snapshots) +
                         " expired snapshot(s) of TIM-side deletions");
    return result.summary() + "\n";
}

std::string deleteUserInTim(Components& c, const Arguments& args) {
    const std::string& id = onlyArgument(args, "usage: scim.user.delete ID");
    if (!c.snapshots->deleteUserInTim(id)) {
        throw Poco::NotFoundException("no user " + id);
    }
    c.logger.information("user " + id + " deleted in TIM; its memberships and roles are kept for " +
                         c.snapshotRetention->text());
    return "deleted user " + id + "\n";
}

std::string createLocalUser(Components& c, const Arguments& args) {
    const std::string usage = "usage: scim.user.create-local USERNAME [--email E] [--roles r1,r2]";
    if (args.empty() || args[0].empty() || args[0][0] == '-') {
        throw Poco::InvalidArgumentException(usage);
    }
    std::string email;
    std::vector<std::string> roles;
    for (std::size_t i = 1; i < args.size(); i += 2) {
        if (i + 1 >= args.size()) {
            throw Poco::InvalidArgumentException(usage);
        }
        if (args[i] == "--email") {
            email = args[i + 1];
        } else if (args[i] == "--roles") {
            roles = splitList(args[i + 1]);
        } else {
            throw Poco::InvalidArgumentException(usage);
        }
    }
    const std::string id = c.users->createLocal(args[0], email, roles);
    c.logger.information("user " + id + " (" + args[0] + ") created as TIM's UI would: unmanaged");
    return id + "\n";
}

std::string deleteGroupInTim(Components& c, const Arguments& args) {
    const std::string& id = onlyArgument(args, "usage: scim.group.delete ID");
    if (!c.groups->deleteInTim(id)) {
        throw Poco::NotFoundException("no group " + id);
    }
    c.logger.information("group " + id + " deleted in TIM; its members are kept for " +
                         c.snapshotRetention->text());
    return "deleted group " + id + "\n";
}

std::string describeStatus(Components& c, const Arguments&) {
    const auto counts = c.status->counts();
    const auto last = c.purger->lastRun();
    std::string text;
    text += "users: " + std::to_string(counts.activeUsers) + " active, " +
            std::to_string(counts.disabledUsers) + " disabled, " +
            std::to_string(counts.deletedUsers) + " deleted (pending purge)\n";
    text += "groups: " + std::to_string(counts.groups) + " (" + std::to_string(counts.roleGroups) +
            " role groups)\n";
    text += "tokens: " + std::to_string(counts.liveTokens) + " not revoked" +
            (counts.unlabelledProvisioningTokens > 0
                 ? " (" + std::to_string(counts.unlabelledProvisioningTokens) +
                       " provisioning token(s) without a label: the expiry alert watches only the "
                       "last of them to expire; scim.token.label JTI NAME)"
                 : std::string()) +
            "\n";
    text += std::string(tim::kDefaultPasswordKey) +
            (c.defaultPasswordSet ? ": set (users SCIM creates get it, to change at first login)\n"
                                  : ": not set: users SCIM creates get no password until TIM "
                                    "sets one (admin guide, section 9)\n");
    text += "last purge: " + (last ? scim::formatDateTime(*last) : std::string("never")) + "\n";
    text += "next purge due: " +
            (last ? scim::formatDateTime(
                        *last + static_cast<Poco::Timestamp::TimeDiff>(c.purgeIntervalMs) * 1000)
                  : std::string("at the first run of a host's purge task")) +
            "\n";
    return text;
}

std::string describeRoles(Components& c, const Arguments&) {
    std::string text;
    for (const auto& role : c.groups->roleCatalogue()) {
        text += role.name + (role.internal ? "  [internal]" : "") + "  ";
        for (std::size_t i = 0; i < role.holders.size(); ++i) {
            text += (i ? ", " : "") + role.holders[i];
        }
        text += role.holders.empty() ? "-\n" : "\n";
    }
    return text;
}

std::string describeAudit(Components& c, const Arguments& args) {
    const std::string usage =
        "usage: scim.audit ID|USERNAME|DISPLAYNAME|EXTERNALID [N], or scim.audit --latest [N]";
    unsigned limit = 50;
    if (args.empty() || args.size() > 2 ||
        (args.size() == 2 &&
         (!Poco::NumberParser::tryParseUnsigned(args[1], limit) || limit == 0 || limit > 10000))) {
        throw Poco::InvalidArgumentException(usage);
    }
    const auto entries =
        args[0] == "--latest" ? c.audit->latest(limit) : c.audit->historyOf(args[0], limit);
    if (entries.empty()) {
        return "no audit entries for " + args[0] + "\n";
    }
    std::string text;
    for (const auto& entry : entries) {
        const auto& e = entry.event;
        const std::string changed = Poco::cat(std::string(","), e.changed.begin(), e.changed.end());
        text += scim::formatDateTime(Poco::Timestamp(entry.atMs * 1000)) + "  " + e.operation +
                "  " + e.resourceType + "  " + e.resourceId +
                "  externalId=" + (e.externalId.isNull() ? "-" : e.externalId.value()) +
                "  request=" + (entry.requestId.empty() ? "-" : entry.requestId) +
                "  changed=" + (changed.empty() ? "-" : changed) + "  outcome=" + e.outcome + "\n";
    }
    return text;
}

std::string generateToken(Components& c, const Arguments& args) {
    const std::string usage =
        "usage: scim.token.generate [--label NAME] [--scope provisioning|metrics]";
    std::optional<auth::TokenScope> scope = auth::TokenScope::Provisioning;
    std::string label;
    for (std::size_t i = 0; i < args.size(); i += 2) {
        if (i + 1 >= args.size()) {
            throw Poco::InvalidArgumentException(usage);
        }
        if (args[i] == "--scope") {
            scope = auth::scopeNamed(args[i + 1]);
        } else if (args[i] == "--label") {
            label = args[i + 1];
            auth::requireValidTokenLabel(label);  // "--label ''" too: no silent unlabelled token
        } else {
            scope.reset();
        }
        if (!scope) {
            throw Poco::InvalidArgumentException(usage);
        }
    }
    return c.tokens->issue(*scope, store::processAccount(), label) + "\n";
}

// A column of the token table: the value, padded to `width`.
std::string column(const std::string& value, std::size_t width) {
    return value + std::string(value.size() < width ? width - value.size() : 1, ' ');
}

// Minutes are what the store keeps of a use: "2026-12-06T21:40Z".
std::string minuteOf(const std::optional<Poco::Timestamp>& at) {
    if (!at) {
        return "never";
    }
    const std::string text = scim::formatDateTime(*at);
    return text.substr(0, 16) + "Z";
}

std::string listTokens(Components& c, const Arguments&) {
    const Poco::Timestamp now = c.clock.now();
    std::string text = column("jti", 38) + column("label", 14) + column("scope", 14) +
                       column("issued", 22) + column("expires", 22) + column("last used", 19) +
                       "state\n";
    for (const auto& token : c.tokenStore->list()) {
        const char* state =
            token.revokedAt ? "revoked" : (token.expiresAt <= now ? "expired" : "active");
        text += column(token.jti, 38) + column(token.label.empty() ? "-" : token.label, 14) +
                column(token.scope, 14) + column(scim::formatDateTime(token.issuedAt), 22) +
                column(scim::formatDateTime(token.expiresAt), 22) +
                column(minuteOf(token.lastUsedAt), 19) + state + "\n";
    }
    return text;
}

std::string labelToken(Components& c, const Arguments& args) {
    const std::string usage = "usage: scim.token.label JTI NAME";
    if (args.size() != 2) {
        throw Poco::InvalidArgumentException(usage);
    }
    auth::requireValidTokenLabel(args[1]);
    if (!c.tokenStore->relabel(args[0], args[1], store::processAccount())) {
        throw Poco::NotFoundException("no token has the jti " + args[0]);
    }
    return "labelled " + args[0] + " " + args[1] + "\n";
}

std::string rotateSigningKey(Components& c, const Arguments& args) {
    if (!args.empty()) {
        throw Poco::InvalidArgumentException("usage: scim.token.rotate-key");
    }
    if (c.signingKeyConfigured) {
        throw Poco::InvalidArgumentException(
            "the signing key is scim.token.signingKey in tim.properties: replace it there (32+ "
            "characters) on every instance, restart them, and generate new tokens");
    }
    const std::size_t revoked = c.tokenStore->replaceSigningKey(
        auth::TokenService::generateSigningKey(), c.clock.now(), store::processAccount());
    c.logger.warning("replaced the token signing key; " + std::to_string(revoked) +
                     " token(s) revoked");
    return "replaced the token signing key and revoked every token (" + std::to_string(revoked) +
           " not revoked before): no bearer token works any more, and open cursors end.\n"
           "Next: restart timhost on every instance (they sign and check with the key they "
           "read at start), then generate a token for each client (--label entra, --label "
           "prometheus --scope metrics) and paste Entra's into its Secret Token field.\n";
}

std::string revokeToken(Components& c, const Arguments& args) {
    const std::string& jti = onlyArgument(args, "usage: scim.token.revoke JTI");
    if (!c.tokenStore->revoke(jti, c.clock.now(), store::processAccount())) {
        throw Poco::NotFoundException("no token has the jti " + jti);
    }
    c.logger.information("revoked the bearer token " + jti);
    return "revoked " + jti + "\n";
}

}  // namespace

const std::vector<AdminCommand>& adminCommands() {
    static const std::vector<AdminCommand> commands = {
        {"scim.migrations", "list the database migrations applied so far", describeMigrations},
        {"scim.setup-identities", "create the system identities (sys.scim) if missing",
         setupIdentities},
        {"scim.purge.run", "purge users deleted or disabled longer ago than the retention",
         runPurge},
        {"scim.user.delete", "delete a user as TIM's UI does (restored if Entra re-creates it)",
         deleteUserInTim},
        {"scim.user.create-local",
         "create a user as TIM's own UI does (unmanaged): USERNAME [--email E] [--roles r1,r2]",
         createLocalUser},
        {"scim.group.delete", "delete a group as TIM's UI does (restored if Entra re-creates it)",
         deleteGroupInTim},
        {"scim.status", "counts of users, groups and tokens, and when the purge ran",
         describeStatus},
        {"scim.roles", "list the static roles SCIM knows and who holds each", describeRoles},
        {"scim.audit",
         "the SCIM writes to one user or group (id, userName, displayName or externalId), or "
         "--latest; an optional count (default 50)",
         describeAudit},
        {"scim.token.generate",
         "print a new bearer token for sys.scim: [--label NAME] [--scope provisioning|metrics] "
         "(metrics: reads <basePath>/metrics only)",
         generateToken},
        {"scim.token.list",
         "list issued bearer tokens: jti, label, scope, issued, expires, last used (to the "
         "minute), state (never the tokens themselves)",
         listTokens},
        {"scim.token.label", "name the holder of a token: JTI NAME", labelToken},
        {"scim.token.revoke", "revoke the bearer token with the given jti", revokeToken},
        {"scim.token.rotate-key",
         "replace the token signing key: revokes every token (restart every instance, then "
         "issue new ones)",
         rotateSigningKey},
    };
    return commands;
}

}  // namespace app

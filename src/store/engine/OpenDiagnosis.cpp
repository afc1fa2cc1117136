#include "OpenDiagnosis.h"

#include "Database.h"

#include <Poco/Format.h>
#include <Poco/Path.h>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace store {
namespace {

std::string accountName(uid_t uid) {
    const passwd* account = getpwuid(uid);
    return account != nullptr ? account->pw_name : "uid " + std::to_string(uid);
}

std::string ownerAndMode(const struct stat& status) {
    return "belongs to " + accountName(status.st_uid) + " (mode " +
           Poco::format("%04o", static_cast<unsigned>(status.st_mode & 07777)) + ")";
}

// A command run as root before the service's first start creates the files as root; the
// service's account then cannot open them.
std::string runAsHint(const struct stat& status, const std::string& account) {
    if (status.st_uid != 0 || ::geteuid() == 0) {
        return "";
    }
    return " (root created it: run admin commands as the service's account, runuser -u " + account +
           " -- timhost --config=... --command=...)";
}

std::string directoryProblem(const std::string& directory, const std::string& account) {
    struct stat status {};
    if (::stat(directory.c_str(), &status) != 0) {
        if (errno == EACCES) {
            return directory + " cannot be reached by " + account +
                   ", the account this process runs as (a directory above it is closed to it)";
        }
        return "the directory " + directory + " does not exist: create it, owned by " + account +
               " with mode 0700, or set data.dir or scim.db.file";
    }
    if (!S_ISDIR(status.st_mode)) {
        return directory + " is not a directory (data.dir or scim.db.file)";
    }
    if (::access(directory.c_str(), W_OK | X_OK) != 0) {
        return "the directory " + directory + " " + ownerAndMode(status) +
               " and this process runs as " + account +
               ", which cannot create files in it: chown -R " + account + " " + directory +
               runAsHint(status, account);
    }
    return "";
}

}  // namespace

std::string processAccount() {
    return accountName(::geteuid());
}

std::string sqliteFileProblem(const std::string& file) {
    const std::string account = processAccount();
    const std::string directory = Poco::Path(file).makeParent().toString();
    std::string problem = directoryProblem(directory.empty() ? "." : directory, account);
    if (!problem.empty()) {
        return problem;
    }
    for (const char* suffix : {"", "-wal", "-shm"}) {
        const std::string path = file + suffix;
        struct stat status {};
        if (::lstat(path.c_str(), &status) != 0) {
            continue;
        }
        if (S_ISDIR(status.st_mode)) {
            return path + " is a directory where the database file should be: move it aside";
        }
        if (::access(path.c_str(), R_OK | W_OK) != 0) {
            return path + " " + ownerAndMode(status) + " and this process runs as " + account +
                   ", which cannot read and write it: chown " + account + " " + file + "*" +
                   runAsHint(status, account);
        }
    }
    return "";
}

std::string openFailureFix(const DatabaseConfig& config, const std::string& cause) {
    const auto says = [&cause](const char* text) { return cause.find(text) != std::string::npos; };
    if (config.engine == Engine::SQLite) {
        if (says("not a database") || says("malformed") || says("corrupt")) {
            return "the file is not a usable SQLite database: restore it from a backup, or move "
                   "it aside to start empty";
        }
        if (says("locked") || says("busy")) {
            return "another process held a lock on the file longer than "
                   "scim.db.sqlite.busyTimeoutMs: find it (fuser " +
                   config.file + ") and stop it";
        }
        return "check the file (scim.db.file or data.dir) and the disk it lives on";
    }
    if (says("1045") || says("Access denied")) {
        return "the server refused the account: check scim.db.user and scim.db.password and "
               "the GRANT in docs/admin-guide.md";
    }
    if (says("1049") || says("Unknown database")) {
        return "create the database (docs/admin-guide.md, MariaDB) or fix scim.db.name";
    }
    return "check that the server runs and answers at " + config.host + ":" +
           std::to_string(config.port) + " (scim.db.host, scim.db.port)";
}

}  // namespace store

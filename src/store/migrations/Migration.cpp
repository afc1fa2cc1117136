#include "Migration.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>
#include <Poco/String.h>

#include <sstream>

namespace store {

std::vector<std::string> splitStatements(const std::string& script) {
    std::vector<std::string> statements;
    std::istringstream lines(script);
    std::string line;
    std::string current;
    while (std::getline(lines, line)) {
        const std::string trimmed = Poco::trim(line);
        if (trimmed.empty() || trimmed.rfind("--", 0) == 0) {
            continue;
        }
        current += line;
        current += '\n';
        if (trimmed.back() == ';') {
            statements.push_back(Poco::trim(current.substr(0, current.rfind(';'))));
            current.clear();
        }
    }
    if (!Poco::trim(current).empty()) {
        statements.push_back(Poco::trim(current));
    }
    return statements;
}

std::string checksumOf(const std::string& script) {
    Poco::SHA1Engine sha1;
    sha1.update(script);
    return Poco::DigestEngine::digestToHex(sha1.digest());
}

}  // namespace store

#include "CursorPaging.h"

#include "scim/ScimError.h"

#include <Poco/DigestEngine.h>
#include <Poco/NumberParser.h>
#include <Poco/SHA1Engine.h>

#include <vector>

namespace api {
namespace {

// Content: "<key>|<f or b>|<createdMs>|<id>", the last two empty at the start of a walk.
std::string contentOf(const std::string& key, bool backwards,
                      const std::optional<port::WalkPosition>& from) {
    return key + (backwards ? "|b|" : "|f|") + (from ? std::to_string(from->createdMs) : "") + "|" +
           (from ? from->id : "");
}

std::vector<std::string> fieldsOf(const std::string& content) {
    std::vector<std::string> fields(1);
    for (const char c : content) {
        if (c == '|') {
            fields.emplace_back();
        } else {
            fields.back() += c;
        }
    }
    return fields;
}

scim::ScimError invalidCursor(const std::string& why) {
    return scim::badRequest(
        "invalidCursor", "The cursor is not valid: " + why + "; start again with an empty cursor");
}

}  // namespace

std::string walkKey(const std::string& collection, const std::string& filter, bool descending) {
    Poco::SHA1Engine sha1;
    sha1.update(collection + "\n" + filter + "\n" + (descending ? "d" : "a"));
    return Poco::DigestEngine::digestToHex(sha1.digest()).substr(0, 16);
}

port::Walk openCursor(const port::CursorSeal& seal, const std::string& key,
                      const std::string& cursor) {
    if (cursor.empty()) {
        return {};
    }
    const auto opened = seal.open(cursor);
    if (opened.verdict == port::CursorSeal::Verdict::Expired) {
        throw scim::badRequest("expiredCursor", "The cursor has expired (cursors last " +
                                                    std::to_string(seal.timeoutSeconds()) +
                                                    " seconds); start again with an empty cursor");
    }
    if (opened.verdict != port::CursorSeal::Verdict::Valid) {
        throw invalidCursor("it was not issued by this service, or was changed");
    }
    const auto parts = fieldsOf(opened.content);
    if (parts.size() != 4 || (parts[1] != "f" && parts[1] != "b")) {
        throw invalidCursor("it is malformed");
    }
    if (parts[0] != key) {
        throw invalidCursor("it belongs to another collection, filter or sortOrder");
    }
    port::Walk walk;
    walk.backwards = parts[1] == "b";
    if (!parts[3].empty()) {
        port::WalkPosition from;
        if (!Poco::NumberParser::tryParse64(parts[2], from.createdMs)) {
            throw invalidCursor("it is malformed");
        }
        from.id = parts[3];
        walk.from = from;
    }
    return walk;
}

PageCursors cursorsAround(const port::CursorSeal& seal, const std::string& key,
                          const port::Walk& walk, const WalkedPage& page) {
    PageCursors cursors;
    // Beyond the page in the walk's direction only if the store saw more; on the other side
    // whenever the walk came from somewhere.
    const bool after = walk.backwards ? walk.from.has_value() : page.more;
    const bool before = walk.backwards ? page.more : walk.from.has_value();
    if (after) {
        // An empty page read backwards ends before the first match: continue from the start.
        cursors.next = seal.seal(contentOf(key, false, page.last));
    }
    if (before) {
        cursors.previous = seal.seal(contentOf(key, true, page.first ? page.first : walk.from));
    }
    return cursors;
}

}  // namespace api

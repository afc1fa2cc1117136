// RFC 9865 cursor paging over port::Walk. A cursor carries the walk's direction and the
// resource it continues from, bound to its query (collection, filter, order): sealed by
// port::CursorSeal, so a changed, foreign or expired cursor is refused, never misread.
#pragma once

#include "port/CursorSeal.h"
#include "port/ResourceQuery.h"

#include <optional>
#include <string>

namespace api {

// What a cursor must continue: the same collection, filter and order.
std::string walkKey(const std::string& collection, const std::string& filter, bool descending);

// The walk `cursor` asks for ("" starts one). Throws 400 invalidCursor for a cursor this
// service did not seal for `key`, 400 expiredCursor for one past the timeout.
port::Walk openCursor(const port::CursorSeal& seal, const std::string& key,
                      const std::string& cursor);

// Where a page of a walk sits: its first and last resources, and whether more matches lie
// beyond it in the walk's direction.
struct WalkedPage {
    std::optional<port::WalkPosition> first;
    std::optional<port::WalkPosition> last;
    bool more = false;
};

struct PageCursors {
    std::string next;      // "" on the last page
    std::string previous;  // "" on the first page
};

PageCursors cursorsAround(const port::CursorSeal& seal, const std::string& key,
                          const port::Walk& walk, const WalkedPage& page);

}  // namespace api

#include "UnroutedLog.h"

#include <Poco/Logger.h>

namespace timhost {

void UnroutedLog::note(const std::string& method, const std::string& path,
                       const std::string& client) {
    constexpr std::size_t kMostPathBytes = 200;  // a scanner's long paths stay one short line
    unsigned long unlogged = 0;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (_windowStart.isElapsed(_interval.totalMicroseconds())) {
            _windowStart.update();
            _lines = 0;
        }
        if (_lines == kLinesPerInterval) {
            ++_unlogged;
            return;
        }
        ++_lines;
        unlogged = _unlogged;
        _unlogged = 0;
    }
    const std::string shown =
        path.size() > kMostPathBytes ? path.substr(0, kMostPathBytes) + "..." : path;
    Poco::Logger::get("timhost.http")
        .warning("404: no plugin serves " + method + " " + shown + " (from " + client +
                 "); served: " + _servedPaths +
                 (unlogged > 0 ? "; " + std::to_string(unlogged) +
                                     " more unrouted request(s) not logged before this one"
                               : std::string()));
}

}  // namespace timhost

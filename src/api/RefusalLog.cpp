#include "RefusalLog.h"

namespace api {

RefusalLog::RefusalLog(Poco::Logger& logger, std::chrono::milliseconds interval,
                       std::size_t maxClients, Clock clock)
    : _logger(logger), _interval(interval), _maxClients(maxClients), _clock(std::move(clock)) {}

RefusalLog::Window& RefusalLog::windowOf(const std::string& client, TimePoint now) {
    const auto found = _windows.find(client);
    if (found != _windows.end()) {
        return found->second;
    }
    if (_windows.size() >= _maxClients && (!_sweptAt || now - *_sweptAt >= _interval)) {
        // One sweep an interval, so that many addresses cannot make every refusal a scan.
        _sweptAt = now;
        for (auto it = _windows.begin(); it != _windows.end();) {
            if (!it->second.loggedAt || now - *it->second.loggedAt >= _interval) {
                _forgottenLeft += it->second.left;
                it = _windows.erase(it);
            } else {
                ++it;
            }
        }
    }
    if (_windows.size() >= _maxClients) {
        return _untracked;
    }
    return _windows[client];
}

void RefusalLog::note(const std::string& client, const std::string& line) {
    std::string text;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        const TimePoint now = _clock();
        Window& window = windowOf(client, now);
        if (window.loggedAt && now - *window.loggedAt < _interval) {
            ++window.left;
            return;
        }
        text = line;
        if (window.left > 0) {
            text += " (" + std::to_string(window.left) +
                    (&window == &_untracked ? " more from untracked addresses not logged)"
                                            : " more from this address not logged)");
        }
        if (_forgottenLeft > 0) {
            text +=
                " (" + std::to_string(_forgottenLeft) + " more from other addresses not logged)";
            _forgottenLeft = 0;
        }
        window.loggedAt = now;
        window.left = 0;
    }
    _logger.warning(text);  // outside the lock: a slow channel does not hold every refusal
}

}  // namespace api

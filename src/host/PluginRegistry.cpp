#include "PluginRegistry.h"

#include <algorithm>

namespace timhost {

bool pathMatchesPrefix(const std::string& path, const std::string& prefix) {
    if (prefix == "/") {
        return !path.empty() && path[0] == '/';
    }
    if (path.compare(0, prefix.size(), prefix) != 0) {
        return false;
    }
    return path.size() == prefix.size() || path[prefix.size()] == '/';
}

std::string normalisePrefix(const std::string& prefix) {
    if (prefix.empty() || prefix[0] != '/' ||
        prefix.find_first_of("?# \t\r\n") != std::string::npos) {
        return "";
    }
    std::string normalised = prefix;
    while (normalised.size() > 1 && normalised.back() == '/') {
        normalised.pop_back();
    }
    return normalised;
}

namespace {

struct MethodName {
    const char* name;
    std::uint32_t bit;
};

constexpr MethodName kMethods[] = {
    {"GET", TIM_HTTP_GET},         {"HEAD", TIM_HTTP_HEAD},   {"POST", TIM_HTTP_POST},
    {"PUT", TIM_HTTP_PUT},         {"PATCH", TIM_HTTP_PATCH}, {"DELETE", TIM_HTTP_DELETE},
    {"OPTIONS", TIM_HTTP_OPTIONS},
};

}  // namespace

std::uint32_t methodBit(const std::string& method) {
    for (const auto& m : kMethods) {
        if (method == m.name) {
            return m.bit;
        }
    }
    return 0;
}

std::string allowHeader(std::uint32_t methods) {
    std::string allow;
    for (const auto& m : kMethods) {
        if (methods & m.bit) {
            allow += allow.empty() ? "" : ", ";
            allow += m.name;
        }
    }
    return allow;
}

tim_status PluginRegistry::addRoute(Route route) {
    route.prefix = normalisePrefix(route.prefix);
    if (route.prefix.empty() || route.handle == nullptr || (route.methods & TIM_HTTP_ANY) == 0) {
        return TIM_ERR_INVALID_ARGUMENT;
    }
    for (const auto& existing : _routes) {
        if (existing.prefix == route.prefix) {
            return TIM_ERR_CONFLICT;
        }
    }
    _routes.push_back(std::move(route));
    return TIM_OK;
}

tim_status PluginRegistry::addTask(Task task) {
    if (task.name.empty() || task.run == nullptr || task.intervalMs == 0) {
        return TIM_ERR_INVALID_ARGUMENT;
    }
    for (const auto& existing : _tasks) {
        if (existing.name == task.name) {
            return TIM_ERR_CONFLICT;
        }
    }
    _tasks.push_back(std::move(task));
    return TIM_OK;
}

tim_status PluginRegistry::addCommand(Command command) {
    if (command.name.empty() || command.run == nullptr) {
        return TIM_ERR_INVALID_ARGUMENT;
    }
    if (findCommand(command.name) != nullptr) {
        return TIM_ERR_CONFLICT;
    }
    _commands.push_back(std::move(command));
    return TIM_OK;
}

void PluginRegistry::removePlugin(const std::string& pluginName) {
    auto owned = [&](const auto& item) { return item.pluginName == pluginName; };
    _routes.erase(std::remove_if(_routes.begin(), _routes.end(), owned), _routes.end());
    _tasks.erase(std::remove_if(_tasks.begin(), _tasks.end(), owned), _tasks.end());
    _commands.erase(std::remove_if(_commands.begin(), _commands.end(), owned), _commands.end());
}

const Route* PluginRegistry::matchRoute(const std::string& path) const {
    const Route* best = nullptr;
    for (const auto& route : _routes) {
        if (pathMatchesPrefix(path, route.prefix) &&
            (best == nullptr || route.prefix.size() > best->prefix.size())) {
            best = &route;
        }
    }
    return best;
}

const Command* PluginRegistry::findCommand(const std::string& name) const {
    for (const auto& command : _commands) {
        if (command.name == name) {
            return &command;
        }
    }
    return nullptr;
}

}  // namespace timhost

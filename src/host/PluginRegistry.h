// Everything plugins registered during init: routes, tasks and commands.
// Filled on the main thread during plugin init, read-only while serving.
#pragma once

#include <tim/plugin_api.h>

#include <cstdint>
#include <string>
#include <vector>

namespace timhost {

struct Route {
    std::string pluginName;
    std::string prefix;  // normalised: starts with '/', no trailing '/' except for "/"
    std::uint32_t methods = 0;
    tim_http_handler_fn handle = nullptr;
    void* userData = nullptr;
    std::string errorMediaType = "application/json";  // of the errors the host makes for it
};

struct Task {
    std::string pluginName;
    std::string name;
    std::uint64_t firstDelayMs = 0;
    std::uint64_t intervalMs = 0;
    tim_task_fn run = nullptr;
    void* userData = nullptr;
    std::string errorMediaType = "application/json";  // of the errors the host makes for it
};

struct Command {
    std::string pluginName;
    std::string name;
    std::string description;
    tim_command_fn run = nullptr;
    void* userData = nullptr;
    std::string errorMediaType = "application/json";  // of the errors the host makes for it
};

// True if `path` is `prefix` or lies below it on a segment boundary ("/a" matches "/a",
// "/a/" and "/a/b", never "/ab"). `prefix` must be normalised.
bool pathMatchesPrefix(const std::string& path, const std::string& prefix);

// Returns the normalised form of a registered prefix, or "" if it is not a valid prefix.
std::string normalisePrefix(const std::string& prefix);

// The bit for an HTTP method name, or 0 for a method the ABI does not know.
std::uint32_t methodBit(const std::string& method);

// "GET, POST" for the Allow header.
std::string allowHeader(std::uint32_t methods);

class PluginRegistry {
  public:
    tim_status addRoute(Route route);
    tim_status addTask(Task task);
    tim_status addCommand(Command command);

    // Drops everything a plugin registered (its init failed).
    void removePlugin(const std::string& pluginName);

    // The route with the longest prefix that matches `path`, or nullptr.
    const Route* matchRoute(const std::string& path) const;
    const Command* findCommand(const std::string& name) const;

    const std::vector<Route>& routes() const { return _routes; }
    const std::vector<Task>& tasks() const { return _tasks; }
    const std::vector<Command>& commands() const { return _commands; }

  private:
    std::vector<Route> _routes;
    std::vector<Task> _tasks;
    std::vector<Command> _commands;
};

}  // namespace timhost

// The plugin's C++ core as the C glue (plugin/) sees it: built from the host's configuration,
// it serves SCIM requests, runs the purge task and the admin commands. Knows nothing of the
// C ABI; what it is made of stays behind this header.
#pragma once

#include <Poco/Logger.h>
#include <Poco/Util/AbstractConfiguration.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace app {

struct Components;

// One HTTP request as the glue reads it from the host: plain values and two readers.
struct Exchange {
    enum class BodyOutcome { Complete, TooLarge, Incomplete };
    struct Body {
        BodyOutcome outcome = BodyOutcome::Complete;
        std::string text;
    };

    std::string method;
    std::string path;           // as received (percent-encoded), without the query
    std::string query;          // raw, without '?'
    std::string clientAddress;  // as the host tells it; "" from a host older than ABI 1.1
    std::string origin;         // "scheme://authority" the client addressed; "" likewise
    std::function<std::optional<std::string>(const std::string&)> header;
    // Reads the whole body from the host; called at most once, and only once the token passed.
    std::function<Body()> readBody;
};

// The answer the glue writes back to the host.
struct Answer {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

class PluginCore {
  public:
    // Throws Poco::Exception with a message an operator can act on (bad setting, database
    // unreachable, migration failed).
    PluginCore(const Poco::Util::AbstractConfiguration& config, Poco::Logger& logger);
    ~PluginCore();

    PluginCore(const PluginCore&) = delete;
    PluginCore& operator=(const PluginCore&) = delete;

    // Never throws: every failure becomes a SCIM error answer (the api's one error funnel).
    Answer handle(const Exchange& exchange) const noexcept;

    // The glue's own answer when the exchange itself failed: a 500 SCIM error.
    static Answer internalError();

    // The media type of every error answer (the host's own, for the plugin's routes, too).
    static const char* errorMediaType();

    // `text` without the passwords an exception may quote (a connection string): for every line
    // the plugin hands the host.
    static std::string withoutPasswords(const std::string& text);

    // The id of the request this thread serves, or "".
    static const std::string& currentRequestId();

    // The path the SCIM endpoints are served under (scim.basePath).
    const std::string& basePath() const;

    // How often the host runs the purge task (scim.purge.intervalSeconds).
    std::uint64_t purgeIntervalMs() const;

    // The purge as the host's task runs it: a database that is down, restarting (a cluster
    // node rejoining) or too busy is a warning, not a failure.
    void runScheduledPurge();

    struct CommandInfo {
        std::string name;
        std::string description;
    };
    // The admin commands (app/AdminCommands.h), in the order the manifest lists them.
    static std::vector<CommandInfo> commands();

    // Runs the admin command `name`: what it prints. Throws Poco::NotFoundException for an
    // unknown name, Poco::Exception with a message for the operator otherwise.
    std::string runCommand(const std::string& name, const std::vector<std::string>& args);

  private:
    std::unique_ptr<Components> _components;
};

}  // namespace app

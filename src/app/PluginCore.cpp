#include "PluginCore.h"

#include "AdminCommands.h"
#include "Components.h"

#include "api/RequestLog.h"
#include "port/StoreErrors.h"
#include "scim/ScimError.h"

#include <Poco/Exception.h>

namespace app {

PluginCore::PluginCore(const Poco::Util::AbstractConfiguration& config, Poco::Logger& logger)
    : _components(std::make_unique<Components>(config, logger)) {}

PluginCore::~PluginCore() = default;

namespace {

api::Request requestOf(const Exchange& exchange) {
    api::Request request;
    request.method = exchange.method;
    request.path = exchange.path;
    request.query = exchange.query;
    request.clientAddress = exchange.clientAddress;
    request.origin = exchange.origin;
    request.header = exchange.header;
    if (!exchange.readBody) {
        return request;  // no body: api::Request reads an empty one
    }
    request.readBody = [&exchange] {
        Exchange::Body body = exchange.readBody();
        api::ReceivedBody received;
        received.text = std::move(body.text);
        switch (body.outcome) {
            case Exchange::BodyOutcome::Complete:
                received.outcome = api::ReceivedBody::Outcome::Complete;
                break;
            case Exchange::BodyOutcome::TooLarge:
                received.outcome = api::ReceivedBody::Outcome::TooLarge;
                break;
            case Exchange::BodyOutcome::Incomplete:
                received.outcome = api::ReceivedBody::Outcome::Incomplete;
                break;
        }
        return received;
    };
    return request;
}

Answer answerOf(api::Response response) {
    return Answer{response.status, std::move(response.headers), std::move(response.body)};
}

}  // namespace

Answer PluginCore::handle(const Exchange& exchange) const noexcept {
    try {
        return answerOf(_components->service->handle(requestOf(exchange)));
    } catch (...) {
        _components->logger.error(
            "a request could not be handed to the SCIM service "
            "(out of memory?); answered 500");
        return internalError();
    }
}

Answer PluginCore::internalError() {
    return answerOf(api::Response::error(scim::internalError()));
}

const char* PluginCore::errorMediaType() {
    return scim::kMediaType;
}

std::string PluginCore::withoutPasswords(const std::string& text) {
    return api::withoutPasswords(text);
}

const std::string& PluginCore::currentRequestId() {
    return api::currentRequestId();
}

const std::string& PluginCore::basePath() const {
    return _components->service->settings().basePath;
}

std::uint64_t PluginCore::purgeIntervalMs() const {
    return _components->purgeIntervalMs;
}

void PluginCore::runScheduledPurge() {
    try {
        runCommand("scim.purge.run", {});
    } catch (const port::Unavailable& e) {
        // Nothing is wrong with the purge: the next run tries again.
        _components->logger.warning(
            std::string("scim.purge: skipped, the database is unavailable or busy (") + e.what() +
            "); the next run tries again");
    }
}

std::vector<PluginCore::CommandInfo> PluginCore::commands() {
    std::vector<CommandInfo> infos;
    for (const auto& command : adminCommands()) {
        infos.push_back({command.name, command.description});
    }
    return infos;
}

std::string PluginCore::runCommand(const std::string& name, const std::vector<std::string>& args) {
    for (const auto& command : adminCommands()) {
        if (name == command.name) {
            return command.run(*_components, args);
        }
    }
    throw Poco::NotFoundException("no admin command " + name);
}

}  // namespace app

#include "HostApplication.h"

#include "EscapingChannel.h"
#include "HostHandles.h"
#include "HttpFrontend.h"
#include "HttpServer.h"
#include "StartWatch.h"
#include "TaskScheduler.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/File.h>
#include <Poco/Format.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/Path.h>
#include <Poco/PatternFormatter.h>
#include <Poco/StringTokenizer.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/IntValidator.h>
#include <Poco/Util/OptionException.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <pthread.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <iostream>
#include <set>

namespace timhost {
namespace {

using Poco::Util::Option;
using Poco::Util::OptionCallback;

std::set<std::string> optionalPlugins(const Poco::Util::AbstractConfiguration& config) {
    std::set<std::string> names;
    Poco::StringTokenizer tokens(
        config.getString("plugin.optional", ""), ",",
        Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    names.insert(tokens.begin(), tokens.end());
    return names;
}

// Plugins keep keys and password hashes under the data directory: owner only, whatever the
// umask; a wider directory found at start is narrowed, with a warning.
void keepDirectoryPrivate(const std::string& path, Poco::Logger& logger) {
    Poco::File directory(path);
    if (!directory.exists()) {
        directory.createDirectories();
        ::chmod(path.c_str(), S_IRWXU);  // ours: private from the start, nothing to warn about
    }
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0) {
        throw Poco::FileNotFoundException("data.dir " + path);
    }
    if ((status.st_mode & (S_IRWXG | S_IRWXO)) == 0) {
        return;
    }
    if (::chmod(path.c_str(), S_IRWXU) != 0) {
        throw Poco::FileAccessDeniedException(
            "data.dir " + path + " is open to other accounts and cannot be made private");
    }
    logger.warning("data.dir %s was open to other accounts (mode %s); it is now 0700", path,
                   Poco::format("%04o", static_cast<unsigned>(status.st_mode & 07777)));
}

// The TLS key is the operator's file: a key others can read is worth a warning, not a change.
void warnIfKeyIsShared(const HttpSettings& http, Poco::Logger& logger) {
    struct stat status {};
    if (http.tlsEnabled() && ::stat(http.tlsPrivateKeyFile.c_str(), &status) == 0 &&
        (status.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        logger.warning("http.tls.privateKeyFile %s is readable by other accounts (mode %s)",
                       http.tlsPrivateKeyFile,
                       Poco::format("%04o", static_cast<unsigned>(status.st_mode & 07777)));
    }
}

// Poco's waitForTerminationRequest blocks SIGINT, SIGQUIT and SIGTERM only in the thread that
// calls it, and only once it is called: a stop requested earlier (while plugins start), or
// delivered to a thread started before (plugins start pools and timers), killed the host
// instead of stopping it. Blocked before any thread exists, every thread inherits the mask and
// the signal waits for waitForTerminationRequest.
void holdTerminationSignals() {
    sigset_t signals;
    sigemptyset(&signals);
    for (const int signal : {SIGINT, SIGQUIT, SIGTERM}) {
        sigaddset(&signals, signal);
    }
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

// Every key of a configuration, depth first ("a.b" and "a.b.c" both when both are set).
void collectKeys(const Poco::Util::AbstractConfiguration& config, const std::string& prefix,
                 std::vector<std::string>& keys) {
    if (!prefix.empty() && config.hasProperty(prefix)) {
        keys.push_back(prefix);
    }
    Poco::Util::AbstractConfiguration::Keys children;
    config.keys(prefix, children);
    for (const auto& child : children) {
        collectKeys(config, prefix.empty() ? child : prefix + "." + child, keys);
    }
}

std::vector<std::string> allKeys(const Poco::Util::AbstractConfiguration& config) {
    std::vector<std::string> keys;
    collectKeys(config, "", keys);
    return keys;
}

std::string processAccount() {
    const passwd* account = getpwuid(geteuid());
    return account != nullptr ? account->pw_name : "uid " + std::to_string(geteuid());
}

}  // namespace

void HostApplication::defineOptions(Poco::Util::OptionSet& options) {
    ServerApplication::defineOptions(options);
    options.addOption(
        Option("config", "c", "read tim.properties from FILE")
            .argument("FILE")
            .callback(OptionCallback<HostApplication>(this, &HostApplication::handleConfig)));
    options.addOption(
        Option("command", "",
               "run admin command NAME with the arguments that "
               "follow, print its output and exit")
            .argument("NAME")
            .callback(OptionCallback<HostApplication>(this, &HostApplication::handleCommand)));
    options.addOption(
        Option("help", "h", "show this help")
            .callback(OptionCallback<HostApplication>(this, &HostApplication::handleHelp)));
}

void HostApplication::handleConfig(const std::string&, const std::string& value) {
    if (!_configFile.empty()) {
        throw Poco::Util::DuplicateOptionException("--config is given twice");
    }
    // tim.properties is a Java properties file whatever its name (Poco would go by extension).
    try {
        config().add(new Poco::Util::PropertyFileConfiguration(value), PRIO_DEFAULT, false);
    } catch (const Poco::FileException& e) {
        throw Poco::Util::OptionException("--config " + value + ": " + e.displayText() +
                                          " (timhost runs as " + processAccount() + ")");
    }
    _configFile = value;
}

// Options stop at --command (what follows is the command's), so a --config after it is taken
// here: the order of the two never changes which file is read.
void HostApplication::takeConfigOption(std::vector<std::string>& commandArgs) {
    for (auto it = commandArgs.begin(); it != commandArgs.end();) {
        std::string file;
        if ((*it == "--config" || *it == "-c") && it + 1 != commandArgs.end()) {
            file = *(it + 1);
            it = commandArgs.erase(it, it + 2);
        } else if (it->rfind("--config=", 0) == 0) {
            file = it->substr(9);
            it = commandArgs.erase(it);
        } else if (it->size() > 2 && it->rfind("-c", 0) == 0) {
            file = it->substr(2);
            it = commandArgs.erase(it);
        } else {
            ++it;
            continue;
        }
        handleConfig("config", file);
    }
}

void HostApplication::handleCommand(const std::string&, const std::string& value) {
    _commandName = value;
    stopOptionsProcessing();  // what follows belongs to the command
}

void HostApplication::handleHelp(const std::string&, const std::string&) {
    _helpRequested = true;
    Poco::Util::HelpFormatter help(options());
    help.setCommand(commandName());
    help.setUsage("--config=FILE [--command=NAME [ARGS...]]");
    help.setFooter(
        "The host's own command: config.check (exits non-zero on a key nothing "
        "reads, a bad value or a plugin that cannot start). An unknown command name lists "
        "every command.");
    help.setHeader("TIM reference host: loads plugins from plugin.dir and serves them.");
    help.format(std::cout);
    stopOptionsProcessing();
}

void HostApplication::configureLogging() {
    Poco::AutoPtr<Poco::PatternFormatter> formatter(
        new Poco::PatternFormatter("%Y-%m-%d %H:%M:%S.%i %p %s: %t"));
    formatter->setProperty("times", "local");
    // Logs go to stderr so that a command's stdout carries only its output; escaped, so that
    // no request value can forge a line.
    Poco::AutoPtr<Poco::Channel> console(new Poco::ConsoleChannel(std::cerr));
    Poco::AutoPtr<Poco::FormattingChannel> channel(
        new Poco::FormattingChannel(formatter, new EscapingChannel(console)));
    Poco::Logger::root().setChannel(channel);
    const int level = Poco::Logger::parseLevel(config().getString("log.level", "information"));
    Poco::Logger::root().setLevel(level);
    for (const std::string name : {"timhost", "plugin"}) {
        Poco::Logger::setChannel(name, channel);
        Poco::Logger::setLevel(name, level);
    }
}

int HostApplication::main(const std::vector<std::string>& arguments) {
    if (_helpRequested) {
        return EXIT_OK;
    }
    std::vector<std::string> args = arguments;
    try {
        takeConfigOption(args);
    } catch (const Poco::Exception& e) {
        std::cerr << "timhost: " << e.message() << "\n";
        return EXIT_USAGE;
    }
    std::unique_ptr<StartWatch> startWatch;
    if (_commandName.empty()) {
        holdTerminationSignals();
        startWatch = std::make_unique<StartWatch>();
    }
    Poco::Logger& logger = Poco::Logger::get("timhost");
    HostSettings settings;
    try {
        configureLogging();
        settings = HostSettings::read(config());
        reportConfigurationSource(settings);
        keepDirectoryPrivate(settings.dataDir, logger);
        warnIfKeyIsShared(settings.http, logger);
        // Plugins read the effective values through the property service.
        config().setString("plugin.dir", settings.pluginDir);
        config().setString("data.dir", settings.dataDir);
    } catch (const Poco::Exception& e) {
        logger.fatal("configuration: " + e.message());
        return EXIT_CONFIG;
    }

    try {
        _plugins.loadAll(settings.pluginDir, optionalPlugins(config()), config(), _registry);
    } catch (const Poco::Exception&) {
        checkKeys();  // a misspelt key may be why it failed
        _plugins.shutdownAll();
        return EXIT_SOFTWARE;
    }
    const auto unknown = checkKeys();
    startWatch.reset();  // from here a stop is graceful: waitForTerminationRequest takes it

    int rc = EXIT_OK;
    if (_plugins.size() == 0 && !config().getBool("plugin.allowNone", false)) {
        logger.fatal(
            "no plugin started from " + settings.pluginDir +
            " (plugin.dir): a host without plugins serves nothing; set plugin.dir to the "
            "directory that holds tim-scim/manifest.json (packages: /usr/lib/tim/plugins)");
        rc = EXIT_CONFIG;
    } else if (_commandName == "config.check") {
        rc = checkConfiguration(unknown);
    } else if (!_commandName.empty()) {
        rc = runCommand(args);
    } else {
        try {
            rc = serve();
        } catch (const Poco::Exception& e) {
            logger.fatal("cannot serve HTTP on " + settings.http.address + ":" +
                         std::to_string(settings.http.port) + ": " + e.displayText());
            rc = EXIT_UNAVAILABLE;
        }
    }
    _plugins.shutdownAll();
    logger.information("stopped");
    return rc;
}

void HostApplication::reportConfigurationSource(const HostSettings& settings) {
    Poco::Logger& logger = Poco::Logger::get("timhost");
    if (!_configFile.empty()) {
        logger.information("configuration: " + Poco::Path(_configFile).absolute().toString());
        return;
    }
    logger.warning(
        "no --config given: no tim.properties was read and every key has its default "
        "(plugin.dir " +
        settings.pluginDir + ", data.dir " + settings.dataDir +
        "); the packages' file is /etc/tim/tim.properties");
}

// Keys of the file in the host's and plugins' namespaces that nothing reads: each a warning.
std::vector<UnknownKey> HostApplication::checkKeys() {
    if (_configFile.empty()) {
        return {};
    }
    Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> file(
        new Poco::Util::PropertyFileConfiguration(_configFile));
    std::set<std::string> known = HostSettings::keys();
    known.insert(_plugins.settingKeys().begin(), _plugins.settingKeys().end());
    const auto unknown = unknownKeys(allKeys(*file), known);
    for (const auto& key : unknown) {
        Poco::Logger::get("timhost").warning(describe(key));
    }
    return unknown;
}

int HostApplication::checkConfiguration(const std::vector<UnknownKey>& unknown) {
    if (_configFile.empty()) {
        std::cout << "no --config given: there is no file to check\n";
        return EXIT_USAGE;
    }
    std::cout << "configuration: "
              << (_configFile.empty() ? std::string("none (--config not given): every default")
                                      : Poco::Path(_configFile).absolute().toString())
              << "\n"
              << "plugins started: " << _plugins.size()
              << " (each read its settings and opened what it needs)\n";
    for (const auto& failed : _plugins.failed()) {
        std::cout << "plugin " << failed << " did not start (optional; the log says why)\n";
    }
    for (const auto& key : unknown) {
        std::cout << describe(key) << "\n";
    }
    std::cout << (unknown.empty() ? "every key in scim., http., plugin., log. and data. is known\n"
                                  : "unknown keys: " + std::to_string(unknown.size()) + "\n");
    return unknown.empty() && _plugins.failed().empty() ? EXIT_OK : EXIT_CONFIG;
}

int HostApplication::runCommand(const std::vector<std::string>& args) {
    const Command* command = _registry.findCommand(_commandName);
    if (command == nullptr) {
        std::cerr << "unknown command: " << _commandName << "\navailable commands:\n"
                  << "  config.check  check tim.properties: unknown keys, values, plugins\n";
        for (const auto& c : _registry.commands()) {
            std::cerr << "  " << c.name << "  " << c.description << "\n";
        }
        return EXIT_USAGE;
    }
    std::vector<const char*> argv;
    for (const auto& arg : args) {
        argv.push_back(arg.c_str());
    }
    argv.push_back(nullptr);
    tim_command_output output{std::cout};
    tim_status status = TIM_ERR_INTERNAL;
    try {
        status =
            command->run(command->userData, static_cast<int>(args.size()), argv.data(), &output);
    } catch (...) {
        Poco::Logger::get("timhost").error("command " + command->name + " let an exception escape");
    }
    std::cout.flush();
    if (status != TIM_OK) {
        std::cerr << "command " << command->name << " failed (status " << status << ")\n";
        return EXIT_SOFTWARE;
    }
    return EXIT_OK;
}

int HostApplication::serve() {
    Poco::Logger& logger = Poco::Logger::get("timhost");
    const HostSettings settings = HostSettings::read(config());
    const HttpSettings& http = settings.http;

    const RequestRouter router(_registry, http);
    HttpServer server(http, router);
    server.start();
    TaskScheduler tasks;
    tasks.start(_registry.tasks());
    logger.information(std::string("listening on ") + (http.tlsEnabled() ? "https" : "http") +
                       "://" + http.address + ":" + std::to_string(server.port()) + " with " +
                       std::to_string(_plugins.size()) + " plugin(s), " +
                       std::to_string(http.workerThreads) + " workers and " +
                       std::to_string(http.ioThreads) + " I/O threads");

    waitForTerminationRequest();
    logger.information("stopping: finishing in-flight requests");
    // Stop accepting, let each connection finish its current request, then close it.
    server.stop();
    tasks.stop();
    return EXIT_OK;
}

}  // namespace timhost

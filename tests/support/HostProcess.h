// A real timhost process for end-to-end tests: its own directory, tim.properties, plugin
// directory (links to built plugins) and port; its stderr log kept in a file.
#pragma once

#include <Poco/Net/HTTPResponse.h>
#include <Poco/Pipe.h>
#include <Poco/Process.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace testing {

struct HttpResult {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string header(const std::string& lowerName) const;
};

class HostProcess {
  public:
    // plugins: names of directories under TIM_TEST_PLUGIN_DIR, or "tim-scim" for the real
    // plugin. properties: extra tim.properties lines (key -> value).
    HostProcess(const std::vector<std::string>& plugins,
                const std::map<std::string, std::string>& properties = {});
    ~HostProcess();

    // Starts timhost and waits until its port accepts connections; throws if it exits.
    void start();
    // Starts timhost and returns at once.
    void launch();
    // Sends SIGTERM and waits for the exit code (at most `timeoutMs`).
    int stop(long timeoutMs = 20000);
    // Sends SIGKILL, as a crash would (no shutdown runs), and reaps the process.
    void kill();
    // Waits for a process that exits by itself (e.g. a failed start) and returns its code.
    int waitForExit(long timeoutMs = 20000);
    bool running() const;

    // Runs `timhost --config=... --command=NAME args...` to completion; fills stdout/stderr.
    int runCommand(const std::string& name, const std::vector<std::string>& args, std::string& out,
                   std::string& err) const;
    // Runs `timhost args...` (nothing added) to completion, from the host's directory.
    int run(const std::vector<std::string>& args, std::string& out, std::string& err) const;

    // Runs every later launch and command through `wrapper` (e.g. setpriv with its options),
    // as an operator's service unit or runuser would.
    void runThrough(const std::vector<std::string>& wrapper) { _wrapper = wrapper; }

    // A new bearer token from `--command=scim.token.generate` (the real plugin must be loaded).
    std::string generateToken() const;

    HttpResult request(const std::string& method, const std::string& path,
                       const std::string& body = "",
                       const std::map<std::string, std::string>& headers = {}) const;

    std::string log() const;  // what timhost wrote to stderr so far
    int port() const { return _port; }
    // The running timhost's process id (0 when it is not running).
    long pid() const { return _process ? static_cast<long>(_process->id()) : 0; }
    const std::string& configFile() const { return _configFile; }
    const std::string& directory() const { return _dir; }

    static int freePort();
    static std::string environment(const std::string& name);

  private:
    std::string _dir;
    std::string _configFile;
    std::string _logFile;
    int _port;
    std::unique_ptr<Poco::ProcessHandle> _process;
    std::vector<std::string> _wrapper;
    mutable std::optional<int> _exitCode;  // reaped already (a zombie would look alive)
};

// Requests to the real plugin's SCIM base (/tim/api/scim) with a fresh bearer token, as Entra
// sends them.
class ScimClient {
  public:
    explicit ScimClient(const HostProcess& host)
        : _host(host),
          _headers{{"Authorization", "Bearer " + host.generateToken()},
                   {"Content-Type", "application/scim+json"}} {}

    HttpResult operator()(const std::string& method, const std::string& path,
                          const std::string& body = "",
                          const std::map<std::string, std::string>& extraHeaders = {}) const {
        auto headers = _headers;
        headers.insert(extraHeaders.begin(), extraHeaders.end());
        return _host.request(method, "/tim/api/scim" + path, body, headers);
    }

  private:
    const HostProcess& _host;
    const std::map<std::string, std::string> _headers;
};

// Everything a child process writes to `pipe`, until it closes it.
std::string readAll(Poco::Pipe& pipe);

// Polls `condition` every 20 ms until it holds or `timeoutMs` passes.
bool eventually(const std::function<bool()>& condition, long timeoutMs = 10000);

}  // namespace testing

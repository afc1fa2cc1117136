#include "HostProcess.h"

#include "TestDatabases.h"

#include <Poco/Environment.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Path.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/Thread.h>

#include <csignal>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <thread>

namespace testing {

std::string HttpResult::header(const std::string& lowerName) const {
    const auto it = headers.find(lowerName);
    return it == headers.end() ? "" : it->second;
}

std::string HostProcess::environment(const std::string& name) {
    if (!Poco::Environment::has(name)) {
        throw Poco::IllegalStateException(name + " is not set: run the e2e tests through ctest");
    }
    return Poco::Environment::get(name);
}

int HostProcess::freePort() {
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true, false);
    return socket.address().port();
}

bool eventually(const std::function<bool()>& condition, long timeoutMs) {
    for (long waited = 0; waited <= timeoutMs; waited += 20) {
        if (condition()) {
            return true;
        }
        Poco::Thread::sleep(20);
    }
    return condition();
}

HostProcess::HostProcess(const std::vector<std::string>& plugins,
                         const std::map<std::string, std::string>& properties)
    : _dir(temporaryDirectory("timhost-")), _port(freePort()) {
    const std::string pluginDir = _dir + "/plugins";
    Poco::File(pluginDir).createDirectories();
    for (const auto& name : plugins) {
        const std::string source = name == "tim-scim"
                                       ? environment("TIM_SCIM_PLUGIN_DIR")
                                       : environment("TIM_TEST_PLUGIN_DIR") + "/" + name;
        Poco::File(source).linkTo(pluginDir + "/" + name, Poco::File::LINK_SYMBOLIC);
    }
    std::map<std::string, std::string> config = {
        {"http.address", "127.0.0.1"}, {"http.port", std::to_string(_port)},
        {"plugin.dir", pluginDir},     {"data.dir", _dir + "/data"},
        {"log.level", "information"},
    };
    for (const auto& p : properties) {
        config[p.first] = p.second;
    }
    _configFile = _dir + "/tim.properties";
    _logFile = _dir + "/timhost.log";
    Poco::FileOutputStream out(_configFile);
    for (const auto& p : config) {
        out << p.first << " = " << p.second << "\n";
    }
}

HostProcess::~HostProcess() {
    if (running()) {
        try {
            stop(5000);
        } catch (...) {
        }
    }
}

void HostProcess::start() {
    launch();
    const bool listening = eventually(
        [this] {
            if (!running()) {
                return true;
            }
            try {
                Poco::Net::StreamSocket probe(Poco::Net::SocketAddress("127.0.0.1", _port));
                return true;
            } catch (const Poco::Exception&) {
                return false;
            }
        },
        20000);
    if (!running() || !listening) {
        // Also on stderr: CppUnit reports a Poco exception by its class name alone.
        std::cerr << "timhost on port " << _port << " did not start (running: " << running()
                  << "):\n"
                  << log() << std::endl;
        throw Poco::IllegalStateException("timhost did not start:\n" + log());
    }
}

void HostProcess::launch() {
    std::string command = "exec";
    for (const auto& word : _wrapper) {
        command += " '" + word + "'";
    }
    command +=
        " '" + environment("TIMHOST") + "' --config='" + _configFile + "' 2>>'" + _logFile + "'";
    _exitCode.reset();
    _process = std::make_unique<Poco::ProcessHandle>(
        Poco::Process::launch("/bin/sh", {"-c", command}, _dir));
}

bool HostProcess::running() const {
    if (!_process || _exitCode) {
        return false;
    }
    const int rc = _process->tryWait();
    if (rc != -1) {
        _exitCode = rc;
    }
    return !_exitCode;
}

int HostProcess::waitForExit(long timeoutMs) {
    if (!_process) {
        throw Poco::IllegalStateException("timhost was not started");
    }
    if (!eventually([this] { return !running(); }, timeoutMs)) {
        Poco::Process::kill(*_process);
        _process->wait();
        throw Poco::TimeoutException("timhost did not exit in time:\n" + log());
    }
    return *_exitCode;
}

int HostProcess::stop(long timeoutMs) {
    if (!_process) {
        throw Poco::IllegalStateException("timhost was not started");
    }
    ::kill(static_cast<pid_t>(_process->id()), SIGTERM);
    return waitForExit(timeoutMs);
}

void HostProcess::kill() {
    if (!_process) {
        throw Poco::IllegalStateException("timhost was not started");
    }
    ::kill(static_cast<pid_t>(_process->id()), SIGKILL);
    waitForExit(5000);
}

std::string readAll(Poco::Pipe& pipe) {
    Poco::PipeInputStream in(pipe);
    std::string text;
    Poco::StreamCopier::copyToString(in, text);
    return text;
}

int HostProcess::runCommand(const std::string& name, const std::vector<std::string>& args,
                            std::string& out, std::string& err) const {
    std::vector<std::string> argv = {"--config=" + _configFile, "--command=" + name};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, out, err);
}

int HostProcess::run(const std::vector<std::string>& args, std::string& out,
                     std::string& err) const {
    std::vector<std::string> argv(_wrapper.begin(), _wrapper.end());
    std::string program = environment("TIMHOST");
    if (!argv.empty()) {
        argv.push_back(program);
        program = argv.front();
        argv.erase(argv.begin());
    }
    argv.insert(argv.end(), args.begin(), args.end());
    Poco::Pipe outPipe;
    Poco::Pipe errPipe;
    Poco::ProcessHandle handle =
        Poco::Process::launch(program, argv, _dir, nullptr, &outPipe, &errPipe);
    std::thread errReader([&] { err = readAll(errPipe); });
    out = readAll(outPipe);
    errReader.join();
    return handle.wait();
}

std::string HostProcess::generateToken() const {
    std::string out;
    std::string err;
    if (runCommand("scim.token.generate", {}, out, err) != 0) {
        throw Poco::IllegalStateException("scim.token.generate failed:\n" + err);
    }
    return Poco::trim(out);
}

HttpResult HostProcess::request(const std::string& method, const std::string& path,
                                const std::string& body,
                                const std::map<std::string, std::string>& headers) const {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(_port));
    session.setTimeout(Poco::Timespan(20, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& h : headers) {
        request.set(h.first, h.second);
    }
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
        request.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    HttpResult result;
    result.status = response.getStatus();
    Poco::StreamCopier::copyToString(in, result.body);
    for (const auto& h : response) {
        result.headers[Poco::toLower(h.first)] = h.second;
    }
    return result;
}

std::string HostProcess::log() const {
    std::ifstream in(_logFile);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace testing

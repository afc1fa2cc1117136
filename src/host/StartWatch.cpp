#include "StartWatch.h"

#include <Poco/Clock.h>
#include <Poco/Logger.h>
#include <Poco/Thread.h>

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <string>

namespace timhost {
namespace {

constexpr Poco::Clock::ClockDiff kGraceMicroseconds = 2 * 1000 * 1000;

}  // namespace

StartWatch::StartWatch() : _thread([this] { watch(); }) {}

StartWatch::~StartWatch() {
    _started = true;
    _thread.join();
}

void StartWatch::watch() {
    sigset_t signals;
    sigemptyset(&signals);
    for (const int signal : {SIGINT, SIGQUIT, SIGTERM}) {
        sigaddset(&signals, signal);
    }
    const timespec tick{0, 100 * 1000 * 1000};
    while (!_started) {
        const int signal = sigtimedwait(&signals, nullptr, &tick);
        if (signal <= 0) {
            continue;
        }
        // A start about to finish stops as usual, gracefully; one stuck (a database that does
        // not answer) is cut short.
        const Poco::Clock asked;
        while (!_started && !asked.isElapsed(kGraceMicroseconds)) {
            Poco::Thread::sleep(10);
        }
        if (_started) {
            ::kill(::getpid(), signal);  // pending again, for waitForTerminationRequest
            return;
        }
        Poco::Logger::get("timhost").warning(
            std::string("stop requested while starting (") + strsignal(signal) +
            "), and the start did not finish within 2 s: exiting before serving");
        std::_Exit(EXIT_SUCCESS);
    }
}

}  // namespace timhost

#include "MySQLTimeouts.h"

#include <Poco/Data/Connector.h>
#include <Poco/Data/MySQL/SessionImpl.h>
#include <Poco/Data/SessionFactory.h>
#include <Poco/Exception.h>

#include <mysql.h>
#include <poll.h>

#include <algorithm>
#include <atomic>
#include <cerrno>

namespace store {
namespace {

std::atomic<int> waitLimitSeconds{30};

// libmariadb's wait for a socket to become ready; it passes -1 (forever) unless a read timeout
// was set before connecting.
int waitForServer(my_socket socket, my_bool reading, int timeoutMs) {
    const int limitMs = waitLimitSeconds.load() * 1000;
    pollfd ready{static_cast<int>(socket), static_cast<short>(reading ? POLLIN : POLLOUT), 0};
    int rc = 0;
    do {
        rc = poll(&ready, 1, timeoutMs < 0 ? limitMs : std::min(timeoutMs, limitMs));
    } while (rc == -1 && errno == EINTR);
    if (rc == 0) {
        errno = ETIMEDOUT;  // libmariadb reports the read as a lost connection (2013)
    }
    return rc;
}

class BoundedMySQLConnector : public Poco::Data::Connector {
  public:
    const std::string& name() const override { return boundedMySQLConnectorKey(); }

    Poco::AutoPtr<Poco::Data::SessionImpl> createSession(const std::string& connectionString,
                                                         std::size_t) override {
        return new Poco::Data::MySQL::SessionImpl(
            connectionString, static_cast<std::size_t>(waitLimitSeconds.load()));
    }
};

}  // namespace

const std::string& boundedMySQLConnectorKey() {
    static const std::string key = "tim-mysql";
    return key;
}

void registerBoundedMySQLConnector() {
    Poco::Data::SessionFactory::instance().add(new BoundedMySQLConnector);
}

void unregisterBoundedMySQLConnector() {
    Poco::Data::SessionFactory::instance().remove(boundedMySQLConnectorKey());
}

void setMySQLWaitLimit(int seconds) {
    waitLimitSeconds = seconds;
}

void limitServerWait(Poco::Data::Session& session, bool limited) {
    auto* mysql = dynamic_cast<Poco::Data::MySQL::SessionImpl*>(session.impl());
    if (mysql == nullptr) {
        return;
    }
    void* hook = limited ? reinterpret_cast<void*>(&waitForServer) : nullptr;
    if (mysql_optionsv(mysql->handle(), MARIADB_OPT_IO_WAIT, hook) != 0) {
        throw Poco::IOException("cannot bound the database connection's waits");
    }
}

}  // namespace store

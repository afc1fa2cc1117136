// A log channel that keeps the text and priority of every message logged to it, for tests that
// assert what was logged.
#pragma once

#include <Poco/Channel.h>
#include <Poco/Message.h>

#include <string>
#include <vector>

namespace testing {

class CapturingChannel : public Poco::Channel {
  public:
    void log(const Poco::Message& message) override {
        lines.push_back(message.getText());
        priorities.push_back(message.getPriority());
    }
    std::vector<std::string> lines;
    std::vector<Poco::Message::Priority> priorities;
};

}  // namespace testing

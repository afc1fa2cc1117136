// Runs the tasks plugins registered, each on its own timer so a slow task delays only itself.
#pragma once

#include "PluginRegistry.h"

#include <Poco/Util/Timer.h>

#include <memory>
#include <vector>

namespace timhost {

class TaskScheduler {
  public:
    ~TaskScheduler() { stop(); }

    // Schedules every task with a fixed delay between the end of one run and the next start,
    // so a task never overlaps itself.
    void start(const std::vector<Task>& tasks);

    // Cancels all tasks and waits for a running one to finish.
    void stop();

  private:
    std::vector<std::unique_ptr<Poco::Util::Timer>> _timers;
};

}  // namespace timhost

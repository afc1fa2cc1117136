#include "TaskScheduler.h"

#include <Poco/Logger.h>
#include <Poco/Util/TimerTask.h>

#include <limits>

namespace timhost {
namespace {

long toTimerMillis(std::uint64_t ms) {
    return static_cast<long>(std::min<std::uint64_t>(ms, std::numeric_limits<long>::max()));
}

class PluginTimerTask : public Poco::Util::TimerTask {
  public:
    explicit PluginTimerTask(Task task) : _task(std::move(task)) {}

    void run() override {
        Poco::Logger& logger = Poco::Logger::get("timhost.tasks");
        try {
            const tim_status status = _task.run(_task.userData);
            if (status != TIM_OK) {
                logger.error("task " + _task.name + " of plugin " + _task.pluginName +
                             " failed with status " + std::to_string(status));
            }
        } catch (...) {
            // The ABI forbids exceptions; a plugin that throws anyway must not stop the timer.
            logger.error("task " + _task.name + " of plugin " + _task.pluginName +
                         " let an exception escape");
        }
    }

  private:
    const Task _task;
};

}  // namespace

void TaskScheduler::start(const std::vector<Task>& tasks) {
    for (const auto& task : tasks) {
        auto timer = std::make_unique<Poco::Util::Timer>();
        timer->schedule(new PluginTimerTask(task), toTimerMillis(task.firstDelayMs),
                        toTimerMillis(task.intervalMs));
        _timers.push_back(std::move(timer));
        Poco::Logger::get("timhost.tasks")
            .information("scheduled task " + task.name + " every " +
                         std::to_string(task.intervalMs) + " ms");
    }
}

void TaskScheduler::stop() {
    for (auto& timer : _timers) {
        timer->cancel(true);
    }
    _timers.clear();
}

}  // namespace timhost

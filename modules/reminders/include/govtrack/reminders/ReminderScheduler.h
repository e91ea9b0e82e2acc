#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace govtrack::reminders {

/// Runs the reminder sweep and the delivery worker on a Boost.Asio io_context with steady timers, on one
/// background thread (SPEC 4.6; issue 5): both run once at start(), then the sweep every `sweepEvery` and
/// delivery every `deliverEvery`. A job that throws is reported to `log` and runs again at its next tick.
/// stop() cancels the timers, waits for a job in progress to finish and joins the thread; serve calls it
/// on SIGTERM/SIGINT.
class ReminderScheduler {
public:
    struct Jobs {
        std::function<void()> sweep;
        std::function<void()> deliver;
        std::chrono::seconds sweepEvery{std::chrono::minutes{5}};
        std::chrono::seconds deliverEvery{std::chrono::minutes{1}};
        std::function<void(const std::string&)> log;  ///< one line per failure
    };

    explicit ReminderScheduler(Jobs jobs);
    ~ReminderScheduler();
    ReminderScheduler(const ReminderScheduler&) = delete;
    ReminderScheduler& operator=(const ReminderScheduler&) = delete;

    void start();
    /// Idempotent.
    void stop();
    /// Runs delivery once more as soon as the scheduler's thread is free (after a chase put messages in
    /// the outbox), instead of waiting for the next tick. Several calls before it runs make one run.
    /// Thread-safe; does nothing when the scheduler is not started or is stopping.
    void deliverNow();
    /// Sweeps and delivery runs completed so far (for tests and status).
    int sweeps() const;
    int deliveries() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace govtrack::reminders

#include "govtrack/reminders/ReminderScheduler.h"

#include <atomic>
#include <exception>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace govtrack::reminders {

struct ReminderScheduler::Impl {
    explicit Impl(Jobs j) : jobs(std::move(j)), sweepTimer(io), deliverTimer(io) {}

    void run(const char* what, const std::function<void()>& job, std::atomic<int>& count) {
        try {
            if (job) job();
        } catch (const std::exception& e) {
            if (jobs.log) jobs.log(std::string("reminders: ") + what + " failed: " + e.what());
        } catch (...) {
            if (jobs.log) jobs.log(std::string("reminders: ") + what + " failed");
        }
        ++count;
    }

    void scheduleSweep() {
        sweepTimer.expires_after(jobs.sweepEvery);
        sweepTimer.async_wait([this](const boost::system::error_code& ec) {
            if (ec || stopping) return;
            run("sweep", jobs.sweep, sweeps);
            // A sweep records new messages: deliver them now rather than at the next delivery tick.
            run("delivery", jobs.deliver, deliveries);
            scheduleSweep();
        });
    }

    void scheduleDeliver() {
        deliverTimer.expires_after(jobs.deliverEvery);
        deliverTimer.async_wait([this](const boost::system::error_code& ec) {
            if (ec || stopping) return;
            run("delivery", jobs.deliver, deliveries);
            scheduleDeliver();
        });
    }

    Jobs jobs;
    boost::asio::io_context io;
    boost::asio::steady_timer sweepTimer;
    boost::asio::steady_timer deliverTimer;
    std::thread thread;
    std::atomic<bool> stopping{false};
    std::atomic<int> sweeps{0};
    std::atomic<int> deliveries{0};
    std::atomic<bool> deliveryQueued{false};  ///< a deliverNow() run is posted and has not started
};

ReminderScheduler::ReminderScheduler(Jobs jobs) : impl_(std::make_unique<Impl>(std::move(jobs))) {}

ReminderScheduler::~ReminderScheduler() {
    stop();
}

void ReminderScheduler::start() {
    if (impl_->thread.joinable()) return;
    impl_->stopping = false;
    boost::asio::post(impl_->io, [this] {
        impl_->run("sweep", impl_->jobs.sweep, impl_->sweeps);
        impl_->run("delivery", impl_->jobs.deliver, impl_->deliveries);
        impl_->scheduleSweep();
        impl_->scheduleDeliver();
    });
    impl_->thread = std::thread([this] { impl_->io.run(); });
}

void ReminderScheduler::deliverNow() {
    if (!impl_->thread.joinable() || impl_->stopping) return;
    if (impl_->deliveryQueued.exchange(true)) return;  // one queued run delivers everything due
    boost::asio::post(impl_->io, [this] {
        impl_->deliveryQueued = false;
        if (impl_->stopping) return;
        impl_->run("delivery", impl_->jobs.deliver, impl_->deliveries);
    });
}

void ReminderScheduler::stop() {
    if (!impl_->thread.joinable()) return;
    impl_->stopping = true;
    boost::asio::post(impl_->io, [this] {
        impl_->sweepTimer.cancel();
        impl_->deliverTimer.cancel();
    });
    impl_->thread.join();
    impl_->io.restart();
}

int ReminderScheduler::sweeps() const {
    return impl_->sweeps;
}
int ReminderScheduler::deliveries() const {
    return impl_->deliveries;
}

}  // namespace govtrack::reminders

#include "govtrack/domain/SignInThrottle.h"

#include <algorithm>

namespace govtrack::domain {
namespace {
constexpr std::size_t kMaxTracked = 100000;  // bounds memory under a spray of usernames/addresses
}

int SignInThrottle::waitFor(Failures& failures, int limit, std::chrono::sys_seconds now) const {
    while (!failures.empty() && now - failures.front() >= limits_.window) failures.pop_front();
    if (static_cast<int>(failures.size()) < limit) return 0;
    const auto until = failures[failures.size() - static_cast<std::size_t>(limit)] + limits_.window;
    return static_cast<int>(std::max<std::chrono::seconds::rep>(1, (until - now).count()));
}

int SignInThrottle::retryAfter(const std::string& account, const std::string& address,
                               std::chrono::sys_seconds now) {
    std::lock_guard lock(mutex_);
    int wait = 0;
    if (auto it = byAccount_.find(account); it != byAccount_.end()) {
        wait = std::max(wait, waitFor(it->second, limits_.perAccount, now));
        if (it->second.empty()) byAccount_.erase(it);
    }
    if (auto it = byAddress_.find(address); it != byAddress_.end()) {
        wait = std::max(wait, waitFor(it->second, limits_.perAddress, now));
        if (it->second.empty()) byAddress_.erase(it);
    }
    return wait;
}

void SignInThrottle::failed(const std::string& account, const std::string& address, std::chrono::sys_seconds now) {
    std::lock_guard lock(mutex_);
    if (byAccount_.size() > kMaxTracked) byAccount_.clear();
    if (byAddress_.size() > kMaxTracked) byAddress_.clear();
    byAccount_[account].push_back(now);
    byAddress_[address].push_back(now);
}

void SignInThrottle::succeeded(const std::string& account) {
    std::lock_guard lock(mutex_);
    byAccount_.erase(account);
}

}  // namespace govtrack::domain

#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <string>

/// Sign-in throttling (issue 7): after too many failed sign-ins for one account, or from one address,
/// within a window, further attempts are refused until the oldest failure leaves the window. Kept in
/// memory per server process (docs/security.md: with several instances each counts its own).
namespace govtrack::domain {

class SignInThrottle {
public:
    struct Limits {
        int perAccount = 5;                      ///< failures per username within the window
        int perAddress = 20;                     ///< failures per client address within the window
        std::chrono::seconds window{15 * 60};  ///< sliding window
    };

    SignInThrottle() = default;
    explicit SignInThrottle(Limits limits) : limits_(limits) {}

    /// Seconds until an attempt for this account from this address may be made; 0 if it may now.
    int retryAfter(const std::string& account, const std::string& address, std::chrono::sys_seconds now);
    /// Counts a failed attempt.
    void failed(const std::string& account, const std::string& address, std::chrono::sys_seconds now);
    /// A successful sign-in clears the account's failures (not the address's).
    void succeeded(const std::string& account);

private:
    using Failures = std::deque<std::chrono::sys_seconds>;
    int waitFor(Failures& failures, int limit, std::chrono::sys_seconds now) const;

    Limits limits_;
    std::mutex mutex_;
    std::map<std::string, Failures> byAccount_;
    std::map<std::string, Failures> byAddress_;
};

}  // namespace govtrack::domain

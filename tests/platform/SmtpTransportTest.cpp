// What SmtpTransport (modules/reminders) puts on the wire, against a recording SMTP server in this process:
// no bare CR or LF in the message, so a body line "." cannot end the message early (SMTP smuggling,
// CVE-2023-51764..6; attack-run finding on chase notes).
#include <string>
#include <thread>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include "govtrack/reminders/SmtpTransport.h"

namespace {

/// Accepts one SMTP session and records everything the client sends. It ends DATA on "\r\n.\r\n" only, as a
/// strict server does; the recorded bytes are then checked for what a lax server would have misread.
class RecordingSmtpServer {
public:
    RecordingSmtpServer() : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
        thread_ = std::thread([this] { serve(); });
    }
    ~RecordingSmtpServer() {
        if (thread_.joinable()) thread_.join();
    }
    unsigned short port() const { return socket_.address().port(); }
    void join() { thread_.join(); }

    std::string data;      ///< the bytes between DATA's 354 and the terminating "\r\n.\r\n"
    int mailCommands = 0;  ///< MAIL FROM commands seen (one message: one)

private:
    void serve() {
        Poco::Net::StreamSocket client = socket_.acceptConnection();
        client.setReceiveTimeout(Poco::Timespan(10, 0));
        auto say = [&](const std::string& line) { client.sendBytes(line.data(), static_cast<int>(line.size())); };
        std::string buffer;
        auto readLine = [&](std::string& line) {
            for (;;) {
                const auto end = buffer.find("\r\n");
                if (end != std::string::npos) {
                    line = buffer.substr(0, end);
                    buffer.erase(0, end + 2);
                    return true;
                }
                char chunk[4096];
                const int n = client.receiveBytes(chunk, sizeof chunk);
                if (n <= 0) return false;
                buffer.append(chunk, static_cast<std::size_t>(n));
            }
        };
        say("220 test ESMTP\r\n");
        std::string line;
        while (readLine(line)) {
            const std::string verb = line.substr(0, 4);
            if (verb == "EHLO" || verb == "HELO") {
                say("250 test\r\n");
            } else if (verb == "MAIL") {
                ++mailCommands;
                say("250 ok\r\n");
            } else if (verb == "RCPT") {
                say("250 ok\r\n");
            } else if (verb == "DATA") {
                say("354 go\r\n");
                for (;;) {
                    const auto end = buffer.find("\r\n.\r\n");
                    if (end != std::string::npos) {
                        data = buffer.substr(0, end + 2);
                        buffer.erase(0, end + 5);
                        break;
                    }
                    char chunk[4096];
                    const int n = client.receiveBytes(chunk, sizeof chunk);
                    if (n <= 0) return;
                    buffer.append(chunk, static_cast<std::size_t>(n));
                }
                say("250 queued\r\n");
            } else if (verb == "QUIT") {
                say("221 bye\r\n");
                return;
            } else {
                say("250 ok\r\n");
            }
        }
    }

    Poco::Net::ServerSocket socket_;
    std::thread thread_;
};

TEST(SmtpTransport, LineEndsAreCrlfAndADotLineCannotEndTheMessageEarly) {
    RecordingSmtpServer server;
    govtrack::reminders::SmtpSettings settings;
    settings.port = server.port();
    settings.from = "govtrack@example.org";
    settings.timeoutSeconds = 10;
    govtrack::domain::OutboxMessage m;
    m.id = "m1";
    m.recipientEmail = "owner@example.org";
    m.subject = "govtrack: chase";
    // A note as a hostile secretariat might write it: every kind of line end before a lone dot, then commands.
    const std::string smuggle = ".\r\nMAIL FROM:<ceo@example.org>\r\nRCPT TO:<victim@example.net>\r\nDATA\r\n";
    m.textBody = "Note:\nCommittee.\n" + smuggle + "x\r" + smuggle + "y\r\n" + smuggle + "end\n";
    m.htmlBody = "<p>Committee.</p>\n" + smuggle;
    govtrack::reminders::SmtpTransport(settings).send(m);
    server.join();

    EXPECT_EQ(server.mailCommands, 1);
    ASSERT_FALSE(server.data.empty());
    for (std::size_t i = 0; i < server.data.size(); ++i) {
        if (server.data[i] == '\n') {
            ASSERT_GT(i, 0u);
            EXPECT_EQ(server.data[i - 1], '\r') << "bare LF at byte " << i;
        }
        if (server.data[i] == '\r') {
            ASSERT_LT(i + 1, server.data.size());
            EXPECT_EQ(server.data[i + 1], '\n') << "bare CR at byte " << i;
        }
    }
    // Every body line that was "." went out dot-stuffed, so the message ends only at the real terminator.
    EXPECT_NE(server.data.find("\r\n..\r\nMAIL FROM:<ceo@example.org>"), std::string::npos) << server.data;
    EXPECT_NE(server.data.find("end"), std::string::npos);
}

}  // namespace

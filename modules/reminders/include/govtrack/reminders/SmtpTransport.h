#pragma once

#include <string>

#include "govtrack/domain/ReminderService.h"

namespace govtrack::reminders {

/// How to reach the mail server (docs/reminders.md). The password never comes from the command line: the
/// app reads it from GOVTRACK_SMTP_PASSWORD or govtrack.smtp.password_file.
struct SmtpSettings {
    std::string host = "127.0.0.1";
    unsigned short port = 25;
    bool startTls = false;   ///< upgrade the connection with STARTTLS before logging in
    bool verifyPeer = true;  ///< with STARTTLS: check the server certificate against the system CAs
    std::string username;    ///< empty: no AUTH
    std::string password;    ///< never logged or stored
    std::string from = "govtrack@localhost";
    int timeoutSeconds = 30;
};

/// Sends outbox messages as multipart/alternative (text/plain + text/html, UTF-8, quoted-printable) through
/// Poco::Net::SMTPClientSession (SecureSMTPClientSession for STARTTLS), one connection per message.
/// Throws std::runtime_error with the server's answer (never the password) when delivery fails.
class SmtpTransport final : public domain::MailTransport {
public:
    explicit SmtpTransport(SmtpSettings settings);
    void send(const domain::OutboxMessage& message) override;

private:
    SmtpSettings settings_;
};

}  // namespace govtrack::reminders

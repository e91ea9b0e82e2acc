#include "govtrack/reminders/SmtpTransport.h"

#include <stdexcept>

#include <Poco/Net/Context.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureSMTPClientSession.h>
#include <Poco/Net/StringPartSource.h>
#include <Poco/Timespan.h>

namespace govtrack::reminders {

namespace {

/// Every line end as CRLF (RFC 5321 2.3.8: no bare CR or LF in a message). Poco's SMTP stream doubles a
/// dot only after CRLF, so a bare LF before "." in a body (a chase note: "\n.\r\nMAIL FROM:...") could end
/// the message early on servers that accept "<LF>.<CR><LF>" (SMTP smuggling, CVE-2023-51764) and let the
/// rest run as commands. With CRLF everywhere, every line start is dot-stuffed.
std::string crlf(const std::string& body) {
    std::string out;
    out.reserve(body.size() + body.size() / 32);
    for (std::size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (c == '\r') {
            out += "\r\n";
            if (i + 1 < body.size() && body[i + 1] == '\n') ++i;
        } else if (c == '\n') {
            out += "\r\n";
        } else {
            out += c;
        }
    }
    return out;
}

void compose(Poco::Net::MailMessage& msg, const SmtpSettings& settings, const domain::OutboxMessage& m) {
    msg.setSender(settings.from);
    msg.addRecipient(Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, m.recipientEmail));
    msg.setSubject(Poco::Net::MailMessage::encodeWord(m.subject, "UTF-8"));
    // multipart/alternative: mail clients show the last part they can render (the HTML), else the text.
    msg.setContentType("multipart/alternative");
    msg.set("X-Govtrack-Message-Id", m.id);
    msg.addContent(new Poco::Net::StringPartSource(crlf(m.textBody), "text/plain; charset=UTF-8"),
                   Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
    msg.addContent(new Poco::Net::StringPartSource(crlf(m.htmlBody), "text/html; charset=UTF-8"),
                   Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
}

}  // namespace

SmtpTransport::SmtpTransport(SmtpSettings settings) : settings_(std::move(settings)) {}

void SmtpTransport::send(const domain::OutboxMessage& message) {
    try {
        Poco::Net::MailMessage msg;
        compose(msg, settings_, message);
        const Poco::Timespan timeout(settings_.timeoutSeconds, 0);
        if (settings_.startTls) {
            Poco::Net::SecureSMTPClientSession session(settings_.host, settings_.port);
            session.setTimeout(timeout);
            session.login();
            Poco::Net::Context::Ptr context = new Poco::Net::Context(
                Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                settings_.verifyPeer ? Poco::Net::Context::VERIFY_RELAXED : Poco::Net::Context::VERIFY_NONE, 9, true);
            if (!session.startTLS(context)) throw std::runtime_error("the mail server does not offer STARTTLS");
            if (!settings_.username.empty()) {
                session.login(Poco::Net::SMTPClientSession::AUTH_LOGIN, settings_.username, settings_.password);
            }
            session.sendMessage(msg);
            session.close();
        } else {
            Poco::Net::SMTPClientSession session(settings_.host, settings_.port);
            session.setTimeout(timeout);
            if (settings_.username.empty()) {
                session.login();
            } else {
                session.login(Poco::Net::SMTPClientSession::AUTH_LOGIN, settings_.username, settings_.password);
            }
            session.sendMessage(msg);
            session.close();
        }
    } catch (const Poco::Exception& e) {
        // displayText holds the server's reply or the socket error; Poco never echoes the password.
        throw std::runtime_error("SMTP " + settings_.host + ":" + std::to_string(settings_.port) + ": " +
                                 e.displayText());
    }
}

}  // namespace govtrack::reminders

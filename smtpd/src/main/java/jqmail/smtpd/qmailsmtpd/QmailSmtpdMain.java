package jqmail.smtpd.qmailsmtpd;

import jqmail.common.Home;
import jqmail.common.smtp.StdioSession;

/** {@code qmail-smtpd}: see this package's documentation. */
public final class QmailSmtpdMain {
    private QmailSmtpdMain() {
    }

    public static void main(String[] args) {
        System.exit(StdioSession.run("qmail-smtpd", Home.fromEnvironment(), System.getenv()));
    }
}

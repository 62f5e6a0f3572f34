package jqmail.remote.rspawn;

import java.io.IOException;
import jqmail.common.Control;
import jqmail.remote.route.Hop;
import jqmail.remote.smtp.ClientSettings;
import jqmail.remote.smtp.TlsPolicy;

/**
 * qmail-rspawn's control files: {@code helohost} (else {@code me}),
 * {@code timeoutconnect} (60 s), {@code timeoutremote} (1200 s),
 * {@code maxrcptremote} (recipients per transaction, 100),
 * {@code concurrencydestination} (connections at once to one domain, 20),
 * {@link TlsDestinations tlsdestinations} and {@link RelayCredentials relayauth}.
 */
record Settings(ClientSettings client, int concurrencyPerDestination, TlsDestinations tls,
                RelayCredentials logins) {
    static final int DEFAULT_RECIPIENTS_PER_TRANSACTION = 100;
    static final int DEFAULT_CONCURRENCY_PER_DESTINATION = 20;

    static Settings read(Control c) throws IOException {
        String helo = c.line("helohost", c.me());
        int connect = (int) Math.min(Integer.MAX_VALUE / 1000, Math.max(1, c.number("timeoutconnect", 60)));
        int remote = (int) Math.min(Integer.MAX_VALUE / 1000, Math.max(1, c.number("timeoutremote", 1200)));
        int perTransaction = (int) Math.min(10_000, Math.max(1, c.number("maxrcptremote",
            DEFAULT_RECIPIENTS_PER_TRANSACTION)));
        int perDestination = (int) Math.min(10_000, Math.max(1, c.number("concurrencydestination",
            DEFAULT_CONCURRENCY_PER_DESTINATION)));
        ClientSettings client = new ClientSettings(helo, connect * 1000, remote * 1000, TlsPolicy.OPPORTUNISTIC,
            null, null, null, perTransaction);
        TlsDestinations tls = TlsDestinations.parse(c.list("tlsdestinations"), c.dir());   // TlsDestinations.FILE
        return new Settings(client, perDestination, tls, RelayCredentials.read(c));
    }

    /** How to talk to one hop of a domain: the domain's TLS policy, and the relay's login if it is a smarthost. */
    ClientSettings forHop(String domain, Hop hop) {
        TlsDestinations.Choice choice = tls.choose(domain);
        RelayCredentials.Login login = hop.smarthost() ? logins.forRelay(hop.host()) : null;
        if (choice == TlsDestinations.DEFAULT && login == null) {
            return client;
        }
        ClientSettings c = client;
        return new ClientSettings(c.helo(), c.connectTimeoutMillis(), c.replyTimeoutMillis(), choice.policy(),
            choice.trust(), login == null ? null : login.user(), login == null ? null : login.password(),
            c.maxRecipientsPerTransaction());
    }
}

package jqmail.remote.rspawn;

import java.util.List;
import jqmail.common.QueueId;
import jqmail.common.SpawnWire;

/**
 * Recipients of one message, with one envelope sender, at one domain: what
 * goes in one SMTP transaction (at most the per-transaction limit).
 */
record Job(QueueId id, String sender, String domain, List<SpawnWire.Request> requests) {
    /** The recipients' addresses, in request order. */
    List<String> recipients() {
        return requests.stream().map(SpawnWire.Request::recipient).toList();
    }

    /** The part after the last {@code @}, lower-cased: deliveries group by it. */
    static String domainOf(String recipient) {
        int at = recipient.lastIndexOf('@');
        return at < 0 ? "" : recipient.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
    }
}

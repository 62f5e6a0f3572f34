package jqmail.remote.rspawn;

import java.util.List;
import jqmail.common.QueueId;
import jqmail.common.SpawnWire;

/**
 * Recipients of one message, with one envelope sender, at one domain: what
 * goes in one SMTP transaction (at most the per-transaction limit). The id
 * is null for qmail-remote's message, which is not in the queue.
 */
record Job(QueueId id, String sender, String domain, List<SpawnWire.Request> requests) {
    /** The recipients' addresses, in request order. */
    List<String> recipients() {
        return requests.stream().map(SpawnWire.Request::recipient).toList();
    }
}

package jqmail.send;

import java.util.ArrayList;
import java.util.List;
import jqmail.common.QueueId;

/**
 * The scheduler's picture of one message, owned by the scheduler's thread:
 * sender, birth, and for each channel its recipients, its next attempt and
 * whether a pass is running. The directories hold the same facts (DESIGN
 * §4 invariant 5); this is their cache.
 */
final class Msg {
    /** One channel's part of the message. */
    static final class Job {
        final Kind kind;
        final List<Recipient> recipients = new ArrayList<>();
        long next;
        boolean passRunning;
        boolean dying;
        int queued;
        int inFlight;

        Job(Kind kind) {
            this.kind = kind;
        }

        boolean hasPending() {
            for (Recipient r : recipients) {
                if (r.state == Recipient.State.PENDING) {
                    return true;
                }
            }
            return false;
        }

        long skip() {
            return kind == Kind.LOCAL ? Retry.LOCAL_SKIP : Retry.REMOTE_SKIP;
        }
    }

    enum Kind { LOCAL, REMOTE }

    final QueueId id;
    final String sender;
    final long birth;
    final long uid;
    final long bytes;
    final Job local = new Job(Kind.LOCAL);
    final Job remote = new Job(Kind.REMOTE);
    /** The failures to report, in the order they happened; bounce/ID holds the same once state is on disk. */
    final List<Bounces.Failure> failures = new ArrayList<>();
    boolean held;
    boolean finishing;
    /** Set by an administrator's delete: no more deliveries, no bounce; completed once the files are gone. */
    java.util.concurrent.CompletableFuture<Void> deleted;
    /**
     * Whether info/ID and the channel files exist. A message delivered at
     * its first attempt never needs them: its envelope says everything a
     * restart would need (see {@link StateFiles}).
     */
    boolean stateOnDisk;

    Msg(QueueId id, String sender, long birth, long uid, long bytes) {
        this.id = id;
        this.sender = sender;
        this.birth = birth;
        this.uid = uid;
        this.bytes = bytes;
    }

    Job job(Kind k) {
        return k == Kind.LOCAL ? local : remote;
    }

    boolean allDone() {
        return !local.hasPending() && !remote.hasPending() && local.inFlight == 0 && remote.inFlight == 0;
    }
}

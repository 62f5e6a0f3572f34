package jqmail.common;

/**
 * A queue id: a positive decimal number, unique while its message is in the
 * queue, named in every log line about the message. Unlike qmail's inode
 * numbers, ids do not depend on the file system: the queue daemon hands them
 * out in increasing order from a microsecond clock, so a queue can be copied
 * and restored.
 */
public record QueueId(long value) implements Comparable<QueueId> {
    /** qmail's conf-split: directories that hold one entry per message are split this many ways. */
    public static final int SPLIT = 23;
    private static final int MAX_DIGITS = 19;

    public QueueId {
        if (value <= 0) {
            throw new IllegalArgumentException("queue id must be positive: " + value);
        }
    }

    /** Parses a file name; returns null for anything that is not a queue id. */
    public static QueueId parse(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_DIGITS || s.charAt(0) == '0') {
            return null;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            v = v * 10 + (c - '0');
            if (v < 0) {
                return null;
            }
        }
        return new QueueId(v);
    }

    /** The split subdirectory this id lives in: {@code id % 23}. */
    public int split() {
        return (int) (value % SPLIT);
    }

    @Override
    public int compareTo(QueueId o) {
        return Long.compare(value, o.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}

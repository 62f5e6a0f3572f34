package jqmail.send;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the scheduler's state files must look like ({@link StateFiles}
 * writes and reads them; docs/QUEUE.md shows them), for
 * {@code jqmail queue fsck}.
 * The scheduler reads them leniently and skips what it does not know; fsck
 * calls a file damaged when the scheduler cannot have written it whole: a
 * power cut (state files are not fsynced) or a hand edit. Each check gives
 * null for a sound file, else why it is not.
 */
public enum StateFormat {
    /** {@code info/N/ID}: {@code u<uid>\0F<sender>\0}. */
    INFO {
        @Override
        public String problem(byte[] data) {
            List<String> records = records(data);
            if (records == null) {
                return torn(data);
            }
            int senders = 0;
            for (String r : records) {
                if (r.startsWith("F")) {
                    senders++;
                } else if (!r.matches("u-?[0-9]{1,19}")) {
                    return "a record that is neither u<uid> nor F<sender>";
                }
            }
            return senders == 1 ? null : senders == 0 ? "no sender record" : "more than one sender record";
        }
    },
    /** {@code local/N/ID}, {@code remote/N/ID}: {@code T<addr>\0} per recipient, D once delivered. */
    CHANNEL {
        @Override
        public String problem(byte[] data) {
            List<String> records = records(data);
            if (records == null) {
                return torn(data);
            }
            for (String r : records) {
                if (r.length() < 2 || r.charAt(0) != 'T' && r.charAt(0) != 'D') {
                    return "a record that is not T<recipient> or D<recipient>";
                }
            }
            return null;
        }
    },
    /** {@code bounce/ID}: {@code <addr>:\n text \n\n}, appended one failure at a time. */
    BOUNCE {
        @Override
        public String problem(byte[] data) {
            String s = new String(data, StandardCharsets.ISO_8859_1);
            if (!s.endsWith("\n\n")) {
                return s.isEmpty() ? "empty" : "cut off: it does not end with an empty line";
            }
            for (String head : Bounces.heads(s)) {
                if (!head.startsWith("<") || !head.endsWith(">:")) {
                    return "a failure that does not begin with <address>:";
                }
            }
            return null;
        }
    };

    /** Null for a sound file, else what is wrong with it in a few words. */
    public abstract String problem(byte[] data);

    /** NUL-terminated records, or null when the file is empty or its last record has no NUL. */
    static List<String> records(byte[] data) {
        if (data.length == 0 || data[data.length - 1] != 0) {
            return null;
        }
        return StateFiles.records(data);
    }

    private static String torn(byte[] data) {
        return data.length == 0 ? "empty" : "cut off: its last record has no NUL";
    }
}

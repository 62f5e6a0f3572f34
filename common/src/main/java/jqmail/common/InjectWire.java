package jqmail.common;

import java.nio.charset.StandardCharsets;

/**
 * The injection protocol between a client (qmail-queue, smtpd, sendmail ...)
 * and the queue daemon on {@code run/queue/inject.sock}. Version 1:
 *
 * <pre>
 * client -&gt; daemon: frames, each  kind(1 byte) length(4 bytes, big-endian) payload
 *   'V' "1"            first frame: the protocol version
 *   '?' empty          optional, right after 'V': "do you take mail now?"; the daemon
 *                      answers "0 ready\n", or a failure line and closes
 *   'M' 1..65536 bytes the message, in order, any number of frames (none for an empty message)
 *   'E' 1..65536 bytes the envelope in qmail's format (F..\0 T..\0 ... \0), after every 'M'
 *   '.' empty          end of message: commit it
 * daemon -&gt; client: one line of at most 1024 bytes, "CODE TEXT\n"
 *   CODE is a qmail-queue exit code (0: queued, TEXT then is "ok ID")
 * </pre>
 *
 * The daemon learns the client's uid and pid from the socket, never from the
 * client's words. A client that closes before its '.' frame leaves nothing
 * queued. The daemon may reply with a failure at any time and close; a
 * client that then fails to write reads that reply.
 */
public final class InjectWire {
    public static final byte VERSION = 'V';
    public static final byte MESSAGE = 'M';
    public static final byte ENVELOPE = 'E';
    public static final byte END = '.';
    public static final byte PROBE = '?';
    public static final byte[] VERSION_1 = {'1'};
    public static final int HEADER = 5;
    public static final int MAX_PAYLOAD = 65536;
    public static final int MAX_REPLY = 1024;

    private InjectWire() {
    }

    /** A reply line without its newline: "CODE TEXT". */
    public static byte[] reply(int code, String text) {
        String line = code + " " + text.replace('\n', ' ').replace('\r', ' ');
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(b.length, MAX_REPLY - 1);
        byte[] out = new byte[n + 1];
        System.arraycopy(b, 0, out, 0, n);
        out[n] = '\n';
        return out;
    }

    /** Parses a reply line; anything malformed is a failed communication, never success. */
    public static InjectResult parseReply(byte[] b, int length) {
        String s = new String(b, 0, length, StandardCharsets.UTF_8);
        if (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        int sp = s.indexOf(' ');
        String num = sp < 0 ? s : s.substring(0, sp);
        String text = sp < 0 ? "" : s.substring(sp + 1);
        if (num.isEmpty() || num.length() > 3 || !digits(num)) {
            return new InjectResult(QueueExit.DAEMON_FAILED.code(), "malformed reply from the queue daemon");
        }
        return new InjectResult(Integer.parseInt(num), text);
    }

    /** A loop, not a lambda: this runs in per-message programs, where each lambda costs start-up time. */
    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}

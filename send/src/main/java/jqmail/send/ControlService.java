package jqmail.send;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jnr.unixsocket.Credentials;
import jnr.unixsocket.UnixSocketChannel;
import jqmail.common.Identities;
import jqmail.common.QueueId;
import jqmail.queue.inspect.QueueListing;
import jqmail.queue.daemon.SocketServer;

/**
 * The scheduler's control socket, {@code run/send/control.sock}: one request
 * line, one answer, then the connection closes. Requests:
 * {@code qstat}, {@code qread}, {@code qstat json}, {@code qread json},
 * {@code qstat shape} (with an age histogram), and the administrator's
 * {@code hold|release|delete|requeue ID|all}. The caller's uid comes from
 * the kernel: root, the home's own accounts and the queue's owner see and
 * act on every message; anyone else sees and acts on only the messages
 * they submitted (and may ask for everything to be retried).
 */
final class ControlService implements SocketServer.Handler {
    private static final int MAX_REQUEST = 256;

    private final Scheduler scheduler;
    private final Identities ids;

    ControlService(Scheduler scheduler, Identities ids) {
        this.scheduler = scheduler;
        this.ids = ids;
    }

    @Override
    public void serve(UnixSocketChannel ch, Credentials peer) {
        try (ch) {
            String request = readLine(ch);
            String answer = answer(request == null ? "" : request, peer.getUid());
            ByteBuffer b = ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
        } catch (IOException e) {
            // The caller went away.
        }
    }

    String answer(String request, int uid) {
        String[] words = request.strip().split(" ");
        boolean all = uid == 0 || ids.isOwn(uid);
        Scheduler.Admin op = adminVerb(words[0]);
        if (op != null) {
            return admin(op, words, all ? -1 : Integer.toUnsignedLong(uid));
        }
        List<QueueListing.Message> list;
        try {
            list = scheduler.listing().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "error the scheduler did not answer\n";
        }
        if (!all) {
            List<QueueListing.Message> mine = new ArrayList<>();
            for (QueueListing.Message m : list) {
                if (m.uid() == Integer.toUnsignedLong(uid)) {
                    mine.add(m);
                }
            }
            list = mine;
        }
        QueueListing l = QueueListing.of(list, all ? scheduler.untaken(list) : 0);
        return switch (request.strip()) {
            case "qstat" -> "ok\n" + l.qstat();
            case "qstat json" -> "ok\n" + l.qstatJson(Instant.now());
            case "qstat shape" -> "ok\n" + l.qstat() + "\n" + l.qshape(Instant.now());
            case "qread" -> "ok\n" + l.qread();
            case "qread json" -> "ok\n" + l.qreadJson();
            default -> "error unknown request\n";
        };
    }

    private static Scheduler.Admin adminVerb(String word) {
        return switch (word) {
            case "hold" -> Scheduler.Admin.HOLD;
            case "release" -> Scheduler.Admin.RELEASE;
            case "delete" -> Scheduler.Admin.DELETE;
            case "requeue" -> Scheduler.Admin.REQUEUE;
            default -> null;
        };
    }

    /**
     * {@code VERB ID} or {@code VERB all}. Root and the home's accounts act on
     * every message, anyone else on the messages they submitted; a requeue of
     * everything (sendmail -q) is allowed to all, as Postfix allows a flush.
     */
    private String admin(Scheduler.Admin op, String[] words, long owner) {
        if (words.length != 2) {
            return "error usage: " + words[0] + " ID|all\n";
        }
        QueueId id = null;
        if (!words[1].equals("all")) {
            id = QueueId.parse(words[1]);
            if (id == null) {
                return "error not a queue id (the number qmail-qread shows after #)\n";
            }
        }
        long scope = op == Scheduler.Admin.REQUEUE && id == null ? -1 : owner;
        try {
            return scheduler.admin(op, id, scope).get(Scheduler.DELETE_WAIT_SECONDS + 10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "error the scheduler did not answer\n";
        }
    }

    private static String readLine(UnixSocketChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(MAX_REQUEST);
        while (b.hasRemaining()) {
            int n = ch.read(b);
            if (n <= 0) {
                break;
            }
            for (int i = b.position() - n; i < b.position(); i++) {
                if (b.get(i) == '\n') {
                    return new String(b.array(), 0, i, StandardCharsets.US_ASCII);
                }
            }
        }
        return null;
    }
}

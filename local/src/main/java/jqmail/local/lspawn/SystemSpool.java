package jqmail.local.lspawn;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import jnr.constants.platform.Errno;
import jnr.constants.platform.OpenFlags;
import jnr.posix.FileStat;
import jnr.posix.POSIX;
import jqmail.common.Outcome;
import jqmail.local.deliver.LocalDelivery;
import jqmail.local.deliver.Mbox;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * The spool step of a system home: qmail-lspawn, as root, appends a message
 * to an account's /var/mail file when the account's worker reaches a spool
 * line. Root, because Debian's spool (2775 root:mail) lets only root and
 * group mail make a file or a dotlock there, and group mail, which reads
 * every spool file, must not be given to any process of the account's uid
 * (the account could trace it). So that root writes nothing but that file:
 * it is opened without following a link and checked on the open
 * descriptor (a regular file, one link, the account's own); a new one is
 * made exclusively and given to the account and the spool's group, 0660.
 * The file is opened once its dotlock is held; the message goes from the
 * queue file, From-quoted, under an fcntl lock too; a failure cuts the
 * file back to its old length.
 */
final class SystemSpool {
    private SystemSpool() {
    }

    /** Never throws: trouble is a temporary failure, whose text names the file. */
    static Outcome append(POSIX posix, LocalDelivery.Request d, FileChannel message, long length) {
        Path file;
        try {
            file = LocalDelivery.spoolFile(d);
        } catch (IOException e) {
            return new Outcome.TempFailure(e.getMessage());
        }
        try {
            Mbox.appendLocked(file, () -> open(posix, file, d.user().uid()), LocalDelivery.fromLine(d.sender()),
                LocalDelivery.mailboxHeader(d), BoundedInputStream.builder()
                    .setInputStream(Channels.newInputStream(message.position(0))).setMaxCount(length)
                    .setPropagateClose(false).get());
            return new Outcome.Delivered("spool " + file);
        } catch (IOException e) {
            return new Outcome.TempFailure("Unable to write " + file + ": " + e.getMessage() + " (#4.2.1)");
        }
    }

    /** The account's spool file, open for writing: the one that is there, checked, or a new one of the account's. */
    private static FileChannel open(POSIX posix, Path file, int uid) throws IOException {
        int flags = OpenFlags.O_RDWR.intValue() | OpenFlags.O_NOFOLLOW.intValue() | OpenFlags.O_NONBLOCK.intValue()
            | OpenFlags.O_CLOEXEC.intValue();
        int fd = posix.open(file.toString(), flags, 0);
        if (fd < 0 && posix.errno() == Errno.ENOENT.intValue()) {
            fd = posix.open(file.toString(), flags | OpenFlags.O_CREAT.intValue() | OpenFlags.O_EXCL.intValue(), 0600);
            if (fd >= 0) {
                int gid = (Integer) Files.getAttribute(file.getParent(), "unix:gid");
                if (posix.fchown(fd, uid, gid) != 0 || posix.fchmod(fd, 0660) != 0) {
                    posix.close(fd);
                    throw new IOException("unable to give the new file to uid " + uid);
                }
            }
        }
        if (fd < 0) {
            throw new IOException("unable to open it (errno " + posix.errno() + ")");
        }
        try {
            FileStat st = posix.fstat(fd);
            if (!st.isFile() || st.nlink() != 1 || st.uid() != uid) {
                throw new IOException("Uh-oh: it is not a file of the recipient's own with one link");
            }
            return FileChannel.open(Path.of("/proc/self/fd/" + fd), StandardOpenOption.READ, StandardOpenOption.WRITE);
        } finally {
            posix.close(fd);   // the channel has a descriptor of its own
        }
    }
}

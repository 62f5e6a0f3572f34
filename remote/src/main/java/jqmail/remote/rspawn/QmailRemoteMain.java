package jqmail.remote.rspawn;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import jqmail.common.Home;

/** {@code qmail-remote}: see this package's documentation. */
public final class QmailRemoteMain {
    private QmailRemoteMain() {
    }

    public static void main(String[] args) {
        OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
        System.exit(QmailRemote.run(args, Home.fromEnvironment(), new FileInputStream(FileDescriptor.in),
            Path.of(System.getProperty("java.io.tmpdir")), out, System.err));
    }
}

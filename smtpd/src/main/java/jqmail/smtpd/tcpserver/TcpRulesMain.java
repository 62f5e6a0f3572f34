package jqmail.smtpd.tcpserver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import jqmail.common.cdb.CdbWriter;

/** {@code tcprules rules.cdb rules.tmp < rules.txt}: see this package's documentation. */
public final class TcpRulesMain {
    private TcpRulesMain() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("tcprules: usage: tcprules rules.cdb rules.tmp");
            System.exit(100);
        }
        try {
            compile(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.ISO_8859_1)))
                .install(Path.of(args[0]), Path.of(args[1]));
        } catch (Rule.BadRule e) {
            System.err.println("tcprules: fatal: " + e.getMessage());
            System.exit(100);
        } catch (IOException e) {
            System.err.println("tcprules: fatal: unable to write " + args[1] + " or " + args[0] + ": " + e.getMessage());
            System.exit(111);
        }
        System.exit(0);
    }

    /** Compiles {@code text} into {@code cdb} (through {@code cdb.tmp}), as jqmail start does for control/tcp.smtp. */
    public static void compile(Path text, Path cdb) throws IOException {
        try (BufferedReader in = java.nio.file.Files.newBufferedReader(text, StandardCharsets.ISO_8859_1)) {
            compile(in).install(cdb, cdb.resolveSibling(cdb.getFileName() + ".tmp"));
        } catch (Rule.BadRule e) {
            throw new IOException(text + ": " + e.getMessage());
        }
    }

    /** Every rule of the text; a bad line stops everything, so the old cdb stays in place. */
    static CdbWriter compile(BufferedReader in) throws IOException, Rule.BadRule {
        CdbWriter w = new CdbWriter();
        int n = 0;
        for (String line; (line = in.readLine()) != null; ) {
            n++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            Rule r;
            try {
                r = Rule.parse(l);
            } catch (Rule.BadRule e) {
                throw new Rule.BadRule("bad rule on line " + n + ": " + e.getMessage());
            }
            for (String k : r.keys()) {
                w.add(k.getBytes(StandardCharsets.ISO_8859_1), r.data());
            }
        }
        return w;
    }
}

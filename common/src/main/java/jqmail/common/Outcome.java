package jqmail.common;

/**
 * The result of one delivery, qmail's letters: K delivered, Z temporary
 * failure (retry), D permanent failure (bounce). Text is what the scheduler
 * logs and what a bounce says.
 */
public sealed interface Outcome {
    String text();

    char letter();

    record Delivered(String text) implements Outcome {
        @Override
        public char letter() {
            return 'K';
        }
    }

    record TempFailure(String text) implements Outcome {
        @Override
        public char letter() {
            return 'Z';
        }
    }

    record PermFailure(String text) implements Outcome {
        @Override
        public char letter() {
            return 'D';
        }
    }

    /** A report line "Ktext" / "Ztext" / "Dtext"; anything else is a temporary failure. */
    public static Outcome decode(String report) {
        if (report == null || report.isEmpty()) {
            return new TempFailure("delivery report missing");
        }
        String t = report.substring(1);
        return switch (report.charAt(0)) {
            case 'K' -> new Delivered(t);
            case 'D' -> new PermFailure(t);
            case 'Z' -> new TempFailure(t);
            default -> new TempFailure("delivery report mangled");
        };
    }

    public static String encode(Outcome o) {
        return o.letter() + o.text().replace('\n', '/').replace('\0', '_');
    }
}

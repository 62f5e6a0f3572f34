package jqmail.common;

/**
 * Text from outside made safe to print on one line of a log, a reply or a
 * listing: every character outside printable ASCII becomes {@code stand},
 * so no CR, LF, control byte or look-alike can forge a line, and the result
 * is cut at {@code max} characters.
 */
public final class Printable {
    private Printable() {
    }

    /** A word: {@code !} to {@code ~}; a space is replaced too. */
    public static String word(String s, char stand, int max) {
        return ascii(s, '!', stand, max);
    }

    /** A line: a space to {@code ~}. */
    public static String line(String s, char stand, int max) {
        return ascii(s, ' ', stand, max);
    }

    private static String ascii(String s, char lowest, char stand, int max) {
        int n = Math.min(s.length(), max);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            b.append(c >= lowest && c <= '~' ? c : stand);
        }
        return b.toString();
    }
}

package jqmail.queue.inject;

/**
 * Whether an envelope address is one a mail system can route:
 * {@code local@domain} with a dot-atom or quoted local part and a domain of
 * letters, digits, hyphens and dots, or an address literal in brackets.
 * What is refused here fails at once, before anything is queued.
 */
final class AddressSyntax {
    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~.";

    private AddressSyntax() {
    }

    /** Null when the address is well formed, else what is wrong with it, in a few words. */
    static String problem(String a) {
        if (a.isEmpty()) {
            return "empty";
        }
        if (a.length() > jqmail.common.Address.MAX_LENGTH) {
            return "longer than " + jqmail.common.Address.MAX_LENGTH + " bytes";
        }
        int at = a.lastIndexOf('@');
        if (at <= 0) {
            return at == 0 ? "no local part" : "no domain";
        }
        String local = a.substring(0, at);
        String domain = a.substring(at + 1);
        String p = localProblem(local);
        return p != null ? p : domainProblem(domain);
    }

    private static String localProblem(String local) {
        if (local.length() >= 2 && local.charAt(0) == '"' && local.charAt(local.length() - 1) == '"') {
            for (int i = 1; i < local.length() - 1; i++) {
                char c = local.charAt(i);
                if (c < 32 && c != '\t' || c == 127 || c > 255) {
                    return "a control character in the local part";
                }
            }
            return null;
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (!(c < 128 && Character.isLetterOrDigit(c)) && ATEXT_SPECIALS.indexOf(c) < 0) {
                return c <= 32 || c >= 127 ? "a space or control character in the local part"
                    : "'" + c + "' in the local part";
            }
        }
        return null;
    }

    private static String domainProblem(String d) {
        if (d.isEmpty()) {
            return "no domain";
        }
        if (d.charAt(0) == '[') {
            if (d.charAt(d.length() - 1) != ']' || d.length() < 3) {
                return "an unclosed address literal";
            }
            for (int i = 1; i < d.length() - 1; i++) {
                char c = d.charAt(i);
                if (c <= 32 || c >= 127 || c == '[' || c == ']' || c == '\\') {
                    return "a bad address literal";
                }
            }
            return null;
        }
        if (d.startsWith(".") || d.endsWith(".") || d.contains("..")) {
            return "an empty label in the domain";
        }
        for (int i = 0; i < d.length(); i++) {
            char c = d.charAt(i);
            if (!(c < 128 && Character.isLetterOrDigit(c)) && c != '-' && c != '.' && c != '_') {
                return c <= 32 || c >= 127 ? "a space or control character in the domain" : "'" + c + "' in the domain";
            }
        }
        return null;
    }
}

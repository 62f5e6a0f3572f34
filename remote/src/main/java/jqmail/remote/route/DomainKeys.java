package jqmail.remote.route;

import java.util.Locale;
import java.util.Map;

/**
 * How qmail-remote looks a domain up in control/smtproutes, shared by every
 * control file keyed the same way: the domain itself, then each of its
 * {@code .suffix}es from the longest, then the empty key. Keys are stored
 * in lower case.
 */
public final class DomainKeys {
    private DomainKeys() {
    }

    /** The value of the first key present, or null when none is. */
    public static <T> T lookup(Map<String, T> table, String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        T v = table.get(d);
        for (int i = d.indexOf('.'); v == null && i >= 0; i = d.indexOf('.', i + 1)) {
            v = table.get(d.substring(i));
        }
        return v != null ? v : table.get("");
    }
}

package jqmail.queue.inject;

/**
 * qmail-inject's host rewriting, from {@code control/defaulthost},
 * {@code control/defaultdomain} and {@code control/plusdomain} (or the
 * QMAILDEFAULTHOST, QMAILDEFAULTDOMAIN and QMAILPLUSDOMAIN variables):
 * <ul>
 * <li>a lone local part gets {@code @defaulthost};
 * <li>a host ending in {@code +} has the {@code +} replaced by {@code .plusdomain};
 * <li>any other host without a dot gets {@code .defaultdomain};
 * <li>a domain literal {@code [1.2.3.4]} is left alone.
 * </ul>
 * The host rules apply to the default host as well, as qmail-inject(8)
 * says. A null or empty setting turns its rule off; a host ending in
 * {@code +} is then left as it is rather than given the default domain. No
 * dot is added where one is already ({@code x.+}) or nothing comes before
 * the {@code +}: qmail would write an empty label there, which no parser
 * reads back.
 */
record Rewriter(String defaultHost, String defaultDomain, String plusDomain) {
    /**
     * The rewritten domain; {@code domain} is null for a lone local part, and
     * the result is null when there is no default host to give it.
     */
    String domain(String domain) {
        String d = domain != null ? domain : isSet(defaultHost) ? defaultHost : null;
        if (d == null || d.startsWith("[")) {
            return d;
        }
        if (d.endsWith("+")) {
            if (!isSet(plusDomain)) {
                return d;
            }
            String stem = d.substring(0, d.length() - 1);
            return stem.isEmpty() || stem.endsWith(".") ? stem + plusDomain : stem + "." + plusDomain;
        }
        if (d.indexOf('.') < 0 && isSet(defaultDomain)) {
            return d + "." + defaultDomain;
        }
        return d;
    }

    private static boolean isSet(String setting) {
        return setting != null && !setting.isEmpty();
    }
}

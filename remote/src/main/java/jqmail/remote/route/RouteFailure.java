package jqmail.remote.route;

import jqmail.common.Outcome;

/**
 * Why no hop could be found for a domain. The message is the text the
 * delivery report carries, worded like qmail-remote's and ending in an
 * RFC 3463 status; {@link #permanent()} decides whether the message bounces
 * (D) or waits for the next attempt (Z).
 */
public final class RouteFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean permanent;

    private RouteFailure(String text, boolean permanent) {
        super(text);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }

    /** The delivery outcome this failure means for every recipient at the domain. */
    public Outcome outcome() {
        return permanent ? new Outcome.PermFailure(getMessage()) : new Outcome.TempFailure(getMessage());
    }

    /** A failure with its own text, which must end in a status like {@code (#4.4.3)}. */
    public static RouteFailure temporary(String text) {
        return new RouteFailure(text, false);
    }

    /** A failure with its own text, which must end in a status like {@code (#5.1.2)}. */
    public static RouteFailure permanent(String text) {
        return new RouteFailure(text, true);
    }

    /** NXDOMAIN, or a name that cannot be a host name: qmail-remote's perm_dns. */
    public static RouteFailure hostNotFound(String name) {
        return permanent("Sorry, I couldn't find any host named " + name + ". (#5.1.2)");
    }

    /** SERVFAIL, REFUSED, a timeout: the answer may come next time. */
    public static RouteFailure lookupFailed(String name, String type, String why) {
        return temporary("Sorry, the DNS lookup of " + name + " (" + type + ") failed temporarily: " + why + ". (#4.4.3)");
    }

    /** Every lookup worked and still there is no address: qmail-remote's perm_nomx. */
    public static RouteFailure noMailExchanger() {
        return permanent("Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)");
    }

    /** RFC 7505: the domain says it accepts no mail at all. */
    public static RouteFailure nullMx(String domain) {
        return permanent("Sorry, " + domain + " does not accept mail (null MX). (#5.1.10)");
    }

    /**
     * A relay named in control/smtproutes does not resolve. Temporary, unlike
     * qmail-remote: the mistake is the administrator's, and bouncing every
     * message routed through it would punish the senders for it.
     */
    public static RouteFailure relayNotFound(String relay) {
        return temporary("Sorry, I couldn't find the relay " + relay + " named in control/smtproutes. (#4.4.3)");
    }
}

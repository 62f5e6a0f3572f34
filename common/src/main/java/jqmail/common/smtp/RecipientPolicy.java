package jqmail.common.smtp;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import jqmail.common.Accounts;

/**
 * Decides each RCPT: relay control, then the account check.
 *
 * <ol>
 * <li>{@code postmaster} (any case, with or without our domain) is always taken.
 * <li>An address literal naming one of our own addresses becomes
 *     {@code @localiphost}, as in qmail-smtpd.
 * <li>Unless RELAYCLIENT is set, the domain must be in rcpthosts (which, when
 *     missing, means our locals and virtual domains: never an open relay).
 *     With RELAYCLIENT, its value is appended to the address (qmail's suffix).
 * <li>A recipient in a local domain must have an account; in a virtual domain
 *     its prepend user must. Otherwise {@code unknownrcpt} decides.
 * </ol>
 */
public final class RecipientPolicy {
    /** The answer: the reply, the address to queue, and whether to queue it at all. */
    public record Decision(Reply reply, String address, boolean deliver) {
        static Decision refuse(Reply r) {
            return new Decision(r, null, false);
        }
    }

    private final SmtpSettings settings;
    private final Accounts accounts;
    private final String relayClient;
    private List<InetAddress> ownAddresses;

    /** @param relayClient the RELAYCLIENT variable, or null when unset */
    public RecipientPolicy(SmtpSettings settings, Accounts accounts, String relayClient) {
        this.settings = settings;
        this.accounts = accounts;
        this.relayClient = relayClient;
    }

    public Decision decide(String address) {
        if (address.equalsIgnoreCase("postmaster")) {
            return new Decision(Reply.RECIPIENT_OK, "postmaster@" + settings.me(), true);
        }
        int at = address.lastIndexOf('@');
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (domain.startsWith("[")) {
            InetAddress ip = AddressLiteral.parse(domain);
            if (ip != null && isOwn(ip)) {
                domain = settings.localIpHost();
                address = local + "@" + domain;
            }
        }
        if (local.equalsIgnoreCase("postmaster") && settings.routing().isLocal(domain)) {
            return new Decision(Reply.RECIPIENT_OK, address, true);
        }
        if (relayClient == null && !settings.acceptsDomain(domain)) {
            return Decision.refuse(Reply.NOT_OUR_DOMAIN);
        }
        if (relayClient != null) {
            address = address + relayClient;
            at = address.lastIndexOf('@');
            local = address.substring(0, at);
            domain = address.substring(at + 1);
        }
        String user = null;
        if (settings.routing().isLocal(domain)) {
            user = local;
        } else {
            String prepend = settings.routing().virtualPrepend(address);
            if (prepend != null) {
                user = prepend + "-" + local;
            }
        }
        if (user == null || accounts.exists(user)) {
            return new Decision(Reply.RECIPIENT_OK, address, true);
        }
        return switch (settings.unknownRecipients()) {
            case REJECT -> Decision.refuse(Reply.NO_SUCH_USER);
            case DISCARD -> new Decision(Reply.RECIPIENT_OK, address, false);
            case BOUNCE -> new Decision(Reply.RECIPIENT_OK, address, true);
        };
    }

    private boolean isOwn(InetAddress ip) {
        if (ownAddresses == null) {
            ownAddresses = ownAddresses();
        }
        return ip.isAnyLocalAddress() || ownAddresses.contains(ip);
    }

    /** This host's addresses, from its interfaces: no DNS. */
    static List<InetAddress> ownAddresses() {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                out.addAll(Collections.list(ni.getInetAddresses()));
            }
        } catch (SocketException e) {
            // Without the list, no literal counts as ours: such mail goes by rcpthosts.
        }
        return out;
    }
}

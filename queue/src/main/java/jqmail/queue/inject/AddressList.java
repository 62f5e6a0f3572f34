package jqmail.queue.inject;

import java.util.ArrayList;
import java.util.List;

/**
 * An address-list header field body (To, Cc, Bcc, From, Reply-To, Sender,
 * their Resent- forms, ...) as qmail-inject reads and rewrites it.
 *
 * <p>RFC 5322 forms (section 3.4, with the obsolete syntax of 4.4): mailboxes
 * written as {@code addr-spec} or {@code [display-name] <addr-spec>}; groups
 * {@code name: member, ...;}, empty ones included; comments between any two
 * tokens, nested and with quoted pairs; quoted local parts; domain literals;
 * source routes {@code <@a,@b:user@host>}, which are dropped; the empty
 * {@code <>}, which yields no address; empty list elements ({@code a,,b,});
 * folded field bodies.
 *
 * <p>qmail's leniencies: a lone local part is an address (the {@link Rewriter}
 * gives it the default host); addresses separated only by white space are
 * separate entries, so {@code joe fred} is two while {@code Joe Smith <joe@x>}
 * stays one mailbox; a {@code ;} outside a group separates like a comma.
 *
 * <p>Nothing is refused. A part that does not parse is kept as written, up
 * to the next comma or semicolon outside angle brackets, and yields no
 * address. A quoted string, comment or domain literal that is never closed
 * takes, by the grammar, the rest of the field with it: that rest is kept and
 * yields nothing, rather than guessing at addresses the sender may never have
 * meant. A field body longer than {@link #MAX_LENGTH} is kept whole and
 * yields nothing.
 *
 * <p>{@link #format()} renders the entries afresh: display names and group
 * names as written, comments moved behind the address they were in, routes
 * dropped, local parts quoted only where needed, entries joined with ", ".
 * The rendering parses back to the same entries. Parsing is linear in the
 * input ({@link AddressTokens}, {@link AddressParser}).
 */
final class AddressList {
    /** Longer field bodies are kept as they are: no sane one comes near it. */
    static final int MAX_LENGTH = 64 * 1024;

    private final List<Entry> entries;

    private AddressList(List<Entry> entries) {
        this.entries = entries;
    }

    /**
     * Parses a field body: the text after the field name's colon, folded or
     * unfolded. Never throws on any content.
     */
    static AddressList parse(String fieldBody) {
        if (fieldBody.length() > MAX_LENGTH) {
            return new AddressList(List.of(new Verbatim(fieldBody)));
        }
        String text = AddressTokens.unfold(fieldBody);
        return new AddressList(new AddressParser(text, AddressTokens.tokenize(text)).entries(false));
    }

    /**
     * The addresses in order, group members included, as {@code local@domain}
     * ({@code local} alone before rewriting gives it a host). The local part is
     * quoted only when it is not a dot-atom: {@code "john doe"@x}.
     */
    List<String> addresses() {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            e.addresses(out);
        }
        return out;
    }

    /** The list with qmail-inject's host rewriting applied to every address. */
    AddressList rewrite(Rewriter r) {
        List<Entry> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            out.add(e.rewrite(r));
        }
        return new AddressList(out);
    }

    /** The field body rendered again, on one line; folding it is the writer's business. */
    String format() {
        return join(entries);
    }

    /** True when there is neither an address nor a group, only text that did not parse or {@code <>}. */
    boolean isEmpty() {
        for (Entry e : entries) {
            if (e instanceof Group || e instanceof Mailbox m && m.address() != null) {
                return false;
            }
        }
        return true;
    }

    private static String join(List<Entry> list) {
        StringBuilder b = new StringBuilder();
        for (Entry e : list) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(e.format());
        }
        return b.toString();
    }

    /** One element of the list: a mailbox, a group, or text kept as written. */
    sealed interface Entry {
        void addresses(List<String> out);

        Entry rewrite(Rewriter r);

        String format();
    }

    /** An addr-spec; {@code domain} is null for a lone local part. */
    record Spec(String local, String domain) {
        String text() {
            return domain == null ? local : local + "@" + domain;
        }
    }

    /**
     * @param name the display name as written, or "" when there is none
     * @param address null for {@code <>}
     * @param comments the comments inside and after the address, in order
     * @param angle whether the address is rendered in angle brackets
     */
    record Mailbox(String name, Spec address, List<String> comments, boolean angle) implements Entry {
        @Override
        public void addresses(List<String> out) {
            if (address != null) {
                out.add(address.text());
            }
        }

        @Override
        public Entry rewrite(Rewriter r) {
            if (address == null) {
                return this;
            }
            return new Mailbox(name, new Spec(address.local(), r.domain(address.domain())), comments, angle);
        }

        @Override
        public String format() {
            StringBuilder b = new StringBuilder();
            String text = address == null ? "" : address.text();
            if (angle) {
                if (!name.isEmpty()) {
                    b.append(name).append(' ');
                }
                b.append('<').append(text).append('>');
            } else {
                b.append(text);
            }
            for (String c : comments) {
                b.append(' ').append(c);
            }
            return b.toString();
        }
    }

    /**
     * @param close how the group ended: ";", " ;" (an empty group written with
     *     the space, as in qmail's own "recipient list not shown: ;") or ""
     *     (the field ended first)
     */
    record Group(String name, List<Entry> members, String close, List<String> comments) implements Entry {
        @Override
        public void addresses(List<String> out) {
            for (Entry e : members) {
                e.addresses(out);
            }
        }

        @Override
        public Entry rewrite(Rewriter r) {
            List<Entry> out = new ArrayList<>(members.size());
            for (Entry e : members) {
                out.add(e.rewrite(r));
            }
            return new Group(name, out, close, comments);
        }

        @Override
        public String format() {
            StringBuilder b = new StringBuilder(name).append(':');
            if (!members.isEmpty()) {
                b.append(' ').append(join(members));
            }
            b.append(close);
            for (String c : comments) {
                b.append(' ').append(c);
            }
            return b.toString();
        }
    }

    /** Text that did not parse, kept as written. */
    record Verbatim(String text) implements Entry {
        @Override
        public void addresses(List<String> out) {
        }

        @Override
        public Entry rewrite(Rewriter r) {
            return this;
        }

        @Override
        public String format() {
            return text;
        }
    }
}

package jqmail.common.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jqmail.common.Accounts;
import jqmail.common.Control;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecipientPolicyTest {
    @TempDir
    Path dir;
    Accounts accounts;

    @BeforeEach
    void accounts() throws IOException {
        Files.writeString(dir.resolve("assign"), "=vuser:jqmailv:990:990:/h/vmail/vuser:::\n+list-:jqmailv:990:990:/h/l:-::\n.\n");
        Files.writeString(dir.resolve("passwd"), "root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n"
            + "Bob:x:1001:1001::/home/bob:/bin/sh\n");
        Files.createDirectories(dir.resolve("alias"));
        Files.writeString(dir.resolve("alias/.qmail-abuse"), "&alice\n");
        Files.writeString(dir.resolve("alias/.qmail-info-default"), "&alice\n");
        accounts = Accounts.load(dir.resolve("assign"), dir.resolve("passwd"), dir.resolve("alias"));
    }

    SmtpSettings settings(String... files) throws IOException {
        Path c = Files.createDirectories(dir.resolve("control"));
        for (int i = 0; i < files.length; i += 2) {
            Files.writeString(c.resolve(files[i]), files[i + 1]);
        }
        Files.writeString(c.resolve("me"), "mx.example\n");
        return SmtpSettings.read(new Control(c), null);
    }

    Reply reply(RecipientPolicy p, String a) {
        return p.decide(a).reply();
    }

    @Test
    void withoutRcpthostsOnlyOurOwnDomainsAreTaken() throws IOException {
        RecipientPolicy p = new RecipientPolicy(settings("locals", "mx.example\nlocal.example\n",
            "virtualdomains", "virt.example:vuser\n"), accounts, null);
        assertEquals(Reply.RECIPIENT_OK, reply(p, "alice@local.example"));
        assertEquals(Reply.RECIPIENT_OK, reply(p, "anything@virt.example"), "the virtual domain's user exists");
        assertEquals(Reply.NOT_OUR_DOMAIN, reply(p, "someone@elsewhere.example"), "never an open relay");
    }

    @Test
    void rcpthostsWithSuffixes() throws IOException {
        RecipientPolicy p = new RecipientPolicy(settings("rcpthosts", "mx.example\n.backup.example\n",
            "morercpthosts", "more.example\n"), accounts, null);
        assertEquals(Reply.RECIPIENT_OK, reply(p, "x@a.backup.example"));
        assertEquals(Reply.RECIPIENT_OK, reply(p, "x@more.example"));
        assertEquals(Reply.NOT_OUR_DOMAIN, reply(p, "x@backup.example.evil"));
    }

    @Test
    void relayClientRelaysAndAppendsItsSuffix() throws IOException {
        SmtpSettings s = settings();
        RecipientPolicy relay = new RecipientPolicy(s, accounts, "");
        assertEquals(Reply.RECIPIENT_OK, reply(relay, "x@anywhere.example"));
        RecipientPolicy suffix = new RecipientPolicy(s, accounts, ".fixme");
        RecipientPolicy.Decision d = suffix.decide("x@anywhere.example");
        assertEquals("x@anywhere.example.fixme", d.address());
    }

    @Test
    void localRecipientsAreValidatedAtTheAccountLevel() throws IOException {
        RecipientPolicy p = new RecipientPolicy(settings(), accounts, null);
        assertEquals(Reply.RECIPIENT_OK, reply(p, "alice@mx.example"), "passwd user");
        assertEquals(Reply.RECIPIENT_OK, reply(p, "ALICE-ext-more@MX.example"), "an extension of an account");
        assertEquals(Reply.RECIPIENT_OK, reply(p, "vuser@mx.example"), "assign");
        assertEquals(Reply.RECIPIENT_OK, reply(p, "list-anything@mx.example"), "assign wildcard");
        assertEquals(Reply.RECIPIENT_OK, reply(p, "abuse@mx.example"), "alias");
        assertEquals(Reply.RECIPIENT_OK, reply(p, "info-sales@mx.example"), "alias -default");
        assertEquals(Reply.RECIPIENT_OK, reply(p, "PostMaster@mx.example"), "postmaster always");
        assertEquals(Reply.RECIPIENT_OK, reply(p, "postmaster"), "postmaster without a domain");
        assertEquals(Reply.NO_SUCH_USER, reply(p, "root@mx.example"), "uid 0 gets no mail of its own");
        assertEquals(Reply.NO_SUCH_USER, reply(p, "bob@mx.example"), "upper-case passwd names are not mailboxes");
        assertEquals(Reply.NO_SUCH_USER, reply(p, "nobody-here@mx.example"));
    }

    @Test
    void unknownRecipientPolicies() throws IOException {
        RecipientPolicy discard = new RecipientPolicy(settings("unknownrcpt", "discard\n"), accounts, null);
        RecipientPolicy.Decision d = discard.decide("ghost@mx.example");
        assertEquals(Reply.RECIPIENT_OK, d.reply());
        assertFalse(d.deliver());
        RecipientPolicy bounce = new RecipientPolicy(settings("unknownrcpt", "bounce\n"), accounts, null);
        assertTrue(bounce.decide("ghost@mx.example").deliver());
    }

    @Test
    void ourOwnAddressLiteralBecomesLocaliphost() throws IOException {
        RecipientPolicy p = new RecipientPolicy(settings(), accounts, null);
        RecipientPolicy.Decision d = p.decide("alice@[127.0.0.1]");
        assertEquals(Reply.RECIPIENT_OK, d.reply());
        assertEquals("alice@mx.example", d.address());
        assertEquals(Reply.NOT_OUR_DOMAIN, reply(p, "alice@[192.0.2.77]"));
    }

    @Test
    void badmailfromExactAndDomain() throws IOException {
        SmtpSettings s = settings("badmailfrom", "spammer@x.example\n@junk.example\n");
        assertTrue(s.isBadSender("SPAMMER@x.example"));
        assertTrue(s.isBadSender("anyone@junk.example"));
        assertFalse(s.isBadSender("friend@x.example"));
        assertFalse(s.isBadSender(""));
        assertEquals(List.of("spammer@x.example", "@junk.example"), s.badmailfrom());
    }
}

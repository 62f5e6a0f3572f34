package jqmail.local.deliver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import jqmail.common.Outcome;
import jqmail.local.users.LocalUser;
import org.junit.jupiter.api.Test;

/** The spawner-to-worker request and the worker's report. */
class DeliveryWireTest {
    private static final LocalUser ANN = new LocalUser("ann", 1000, 1000, Path.of("/home/ann"), "-", "list");

    private static DeliveryWire.Request roundTrip(LocalDelivery.Request r) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DeliveryWire.write(b, r, 42);
        return DeliveryWire.read(new ByteArrayInputStream(b.toByteArray()));
    }

    @Test
    void aRequestComesBackAsItWasSent() throws Exception {
        LocalDelivery.Request r = new LocalDelivery.Request(ANN, "ann-list", "example.org", "bob@example.net",
            "./Maildir/", false);
        DeliveryWire.Request back = roundTrip(r);
        assertEquals(r, back.delivery());
        assertEquals(42, back.length());
        LocalDelivery.Request alias = r.withLines(List.of("|/usr/bin/log", "&carol@example.org"));
        assertEquals(alias, roundTrip(alias).delivery());
        LocalDelivery.Request none = r.withLines(List.of());
        assertEquals(List.of(), roundTrip(none).delivery().lines(), "no lines is not the account's own files");
    }

    @Test
    void theLinesAreBoundedAndSoIsEveryOtherField() throws Exception {
        LocalDelivery.Request big = new LocalDelivery.Request(ANN, "ann", "example.org", "", "./Maildir/", false)
            .withLines(List.of("&" + "x".repeat(DeliveryWire.MAX_LINES)));
        assertThrows(IOException.class, () -> roundTrip(big));
        LocalDelivery.Request longSender = new LocalDelivery.Request(ANN, "ann", "example.org",
            "x".repeat(DeliveryWire.MAX_FIELD + 1), "./Maildir/", false);
        assertThrows(IOException.class, () -> roundTrip(longSender));
    }

    @Test
    void aReportLineIsOneLineWhateverItsTextHolds() throws Exception {
        byte[] line = DeliveryWire.line(new Outcome.TempFailure("a program said\rK all fine\nand more\0"));
        String read = DeliveryWire.readLine(new ByteArrayInputStream(line));
        assertEquals("Za program said_K all fine/and more_", read, "no CR, LF or NUL splits or ends it early");
        assertEquals(new Outcome.TempFailure("a program said_K all fine/and more_"), Outcome.decode(read));
        assertTrue(DeliveryWire.line(new Outcome.PermFailure("x".repeat(5000))).length <= DeliveryWire.MAX_REPORT);
    }

    @Test
    void anOverlongOrUnendedReportIsAnError() {
        assertThrows(IOException.class, () -> DeliveryWire.readLine(new ByteArrayInputStream(
            ("K" + "x".repeat(DeliveryWire.MAX_REPORT)).getBytes())));
        assertThrows(IOException.class, () -> DeliveryWire.readLine(new ByteArrayInputStream("Kdone".getBytes())));
    }
}

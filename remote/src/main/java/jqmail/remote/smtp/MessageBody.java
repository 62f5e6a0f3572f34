package jqmail.remote.smtp;

import java.io.IOException;
import java.io.InputStream;

/**
 * The message as jqmail stores it: LF line ends, possibly lone CRs, NULs,
 * 8-bit bytes and a last line without its LF. The client turns it into SMTP's
 * form while it streams it ({@code BodyEncoder}); it never holds it whole.
 */
public interface MessageBody {
    /** Stored bytes; sent as the SIZE= estimate (RFC 1870) and checked against the peer's limit. */
    long size();

    /** A fresh stream from the first byte; the client closes it. */
    InputStream open() throws IOException;
}

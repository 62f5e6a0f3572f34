package jqmail.common.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The server's side of STARTTLS (RFC 3207), given to a session by a
 * transport that can do it: tcpserver, when control/servercert.pem holds a
 * key and certificate. A session without one does not offer STARTTLS.
 */
public interface StartTls {
    /** The connection after the handshake: its streams, and "TLSv1.3 TLS_AES_128_GCM_SHA256". */
    record Upgraded(InputStream in, OutputStream out, String summary) {
    }

    /** Performs the handshake over the connection; an IOException leaves it unusable. */
    Upgraded upgrade() throws IOException;
}

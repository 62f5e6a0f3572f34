package jqmail.common.smtp;

/**
 * What a listener offers a session beyond plain SMTP: STARTTLS (through
 * {@code startTls}), TLS already up from the first byte (465: its summary,
 * "TLSv1.3 TLS_AES_256_GCM_SHA384"), AUTH (through {@code auth}, only once
 * TLS is up), and whether AUTH is required before MAIL (587 and 465: the
 * submission ports, where only authenticated users may send).
 */
public record Access(StartTls startTls, String tlsSummary, Authenticator auth, boolean authRequired) {
    /** Port 25 without a certificate, qmail-smtpd on a pipe, sendmail -bs. */
    public static final Access PLAIN = new Access(null, null, null, false);

    public static Access startTls(StartTls tls) {
        return new Access(tls, null, null, false);
    }
}

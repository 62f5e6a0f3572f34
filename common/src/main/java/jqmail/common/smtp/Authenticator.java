package jqmail.common.smtp;

import java.io.IOException;

/**
 * Checks a user name and password for SMTP AUTH (and POP3): tcpserver's
 * sessions ask the auth service, which alone reads password data. The
 * remote address goes along, so that the service can slow and limit
 * failures per address.
 */
public interface Authenticator {
    /** OK, wrong credentials, too many failures from that address lately, or trouble checking at all. */
    enum Verdict { OK, BAD, LIMITED, TEMPORARY }

    /** The verdict, and on OK the account's canonical name (a virtual user's NAME for NAME@me). */
    record Result(Verdict verdict, String account) {
        public static Result of(Verdict v) {
            return new Result(v, null);
        }
    }

    /** An IOException means the service could not be asked: a temporary failure for the client. */
    Result check(String service, String user, String password, String remoteIp) throws IOException;
}

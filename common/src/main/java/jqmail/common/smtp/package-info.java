/**
 * The SMTP session shared by qmail-smtpd, tcpserver's in-JVM sessions and
 * {@code sendmail -bs}: {@link jqmail.common.smtp.SmtpSession} (the dialogue
 * and its one state variable), {@link jqmail.common.smtp.Reply} (every reply),
 * {@link jqmail.common.smtp.Verb} (the command table),
 * {@link jqmail.common.smtp.SmtpPath} (MAIL and RCPT arguments),
 * {@link jqmail.common.smtp.RecipientPolicy} (relay and account checks),
 * {@link jqmail.common.smtp.DataReader} (DATA to stored bytes, the only place
 * that decides where the data ends) and {@link jqmail.common.smtp.SmtpIo}
 * (bounded lines, pipelined replies, timeouts). The man page is qmail-smtpd's.
 */
package jqmail.common.smtp;

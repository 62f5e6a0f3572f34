/**
 * Types and codecs every jqmail program shares: validated protocol values
 * ({@link jqmail.common.Address}, {@link jqmail.common.QueueId}), qmail's
 * envelope format ({@link jqmail.common.EnvelopeReader},
 * {@link jqmail.common.EnvelopeWriter}), the qmail-queue exit table
 * ({@link jqmail.common.QueueExit}), the home and its control files
 * ({@link jqmail.common.Home}, {@link jqmail.common.Control}) and the client
 * side of the queue daemon's injection socket ({@link jqmail.common.InjectClient}).
 *
 * <p>This module depends on the JDK only: the per-message programs
 * (qmail-queue, sendmail, qmail-inject, qmail-smtpd) load it and must start
 * fast, so nothing here touches jnr, picocli or reflection.
 *
 * <p>Addresses and envelope records are bytes, not text: qmail's interfaces
 * are 8-bit clean. A {@code String} here maps each byte to one char
 * (ISO-8859-1), which round-trips every byte exactly.
 */
package jqmail.common;

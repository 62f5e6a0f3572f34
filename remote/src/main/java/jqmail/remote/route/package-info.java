/**
 * Where remote mail goes: qmail-remote's choice of hosts, and qmail-tcpto's
 * memory of hosts that did not answer.
 *
 * <p>{@link jqmail.remote.route.Router} turns a recipient domain into the
 * {@link jqmail.remote.route.Hop}s to try, in order, or a
 * {@link jqmail.remote.route.RouteFailure} whose text is the delivery
 * report; {@link jqmail.remote.route.DnsResolver} asks DNS for it;
 * {@link jqmail.remote.route.DownedHosts} is the process-wide table of
 * addresses whose connections timed out.
 *
 * <p>FILES
 * <pre>
 * control/smtproutes        qmail's artificial routes and smarthost (see SmtpRoutes)
 * control/dnsservers        DNS servers to ask, one address[:port] a line; default /etc/resolv.conf
 * control/remoteipfamilies  "ipv6 ipv4" (default), "ipv4 ipv6", "ipv4" or "ipv6"
 * </pre>
 *
 * <p>SECURITY
 * <p>DNS answers are untrusted input: names become {@code Hop.host} only as
 * dnsjava parsed them, and addresses are used as they are. Nothing here asks
 * for a PTR record, and every address handed out carries its host name, so
 * asking it for a name starts no reverse lookup either.
 */
package jqmail.remote.route;

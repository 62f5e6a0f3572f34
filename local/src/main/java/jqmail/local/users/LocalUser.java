package jqmail.local.users;

import java.nio.file.Path;

/**
 * Who a local address belongs to, qmail-lspawn's answer: the account, its
 * ids and home, and the extension. {@code dash} is "" for the account's own
 * address and "-" when {@code ext} follows ({@code user-ext}).
 */
public record LocalUser(String user, int uid, int gid, Path home, String dash, String ext) {
}

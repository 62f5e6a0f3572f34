package jqmail.remote.smtp;

/**
 * What became of one recipient, in qmail-remote's letters.
 *
 * @param recipient the address as the caller gave it
 * @param code      {@code 'K'} delivered, {@code 'Z'} temporary failure, {@code 'D'} permanent failure
 * @param text      what happened, qmail-remote style: {@code "192.0.2.1 accepted message.\nRemote host said: 250 ok"};
 *                  lines separated by LF, printable ASCII otherwise
 */
public record RecipientResult(String recipient, char code, String text) {
    public RecipientResult {
        if (recipient == null || text == null) {
            throw new IllegalArgumentException("null recipient or text");
        }
        if (code != 'K' && code != 'Z' && code != 'D') {
            throw new IllegalArgumentException("code must be K, Z or D: " + code);
        }
    }

    public boolean delivered() {
        return code == 'K';
    }
}

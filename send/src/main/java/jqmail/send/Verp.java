package jqmail.send;

/**
 * qmail's VERP: a sender {@code pre@host-@[]} becomes, for recipient
 * {@code box@rhost}, {@code pre box=rhost@host} (e.g. {@code list-owner-@x.org-@[]}
 * and {@code joe@y.com} give {@code list-owner-joe=y.com@x.org}).
 */
final class Verp {
    private Verp() {
    }

    static String expand(String sender, String recipient) {
        if (!sender.endsWith("-@[]")) {
            return sender;
        }
        String s = sender.substring(0, sender.length() - 4);
        int at = s.lastIndexOf('@');
        if (at < 0) {
            return sender;
        }
        String pre = s.substring(0, at);
        String host = s.substring(at + 1);
        int rat = recipient.lastIndexOf('@');
        String box = rat < 0 ? recipient : recipient.substring(0, rat);
        String rhost = rat < 0 ? "" : recipient.substring(rat + 1);
        return pre + box + "=" + rhost + "@" + host;
    }
}

package jqmail.queue.inject;

import java.util.ArrayList;
import java.util.List;

/** What qmail-inject or sendmail was asked to do, from its command line. */
public final class Request {
    /** Where recipients come from: qmail-inject's -a, -h, -A (its default) and -H. */
    public enum Recipients { ARGS, HEADER, ARGS_ELSE_HEADER, BOTH }

    public Recipients source = Recipients.ARGS_ELSE_HEADER;
    /** -n: print the message as it would be queued instead of queueing it. */
    public boolean print;
    /** -f: the envelope sender as given; null for the default. */
    public String sender;
    /** sendmail -F: the sender's full name; null for the environment's. */
    public String fullName;
    /** sendmail -f also makes the From: address (as qmail's sendmail wrapper and Postfix do). */
    public boolean senderIsAuthor;
    public final List<String> args = new ArrayList<>();
}

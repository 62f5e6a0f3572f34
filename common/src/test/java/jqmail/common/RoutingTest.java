package jqmail.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingTest {
    private final Routing routing = new Routing(List.of("Example.COM"),
        List.of(new String[] {"joe@virt.org", "joe"}, new String[] {"virt.org", "v"},
            new String[] {".sub.org", "s"}, new String[] {"except.sub.org", ""}),
        "example.com");

    @Test
    void localsAreCaseInsensitive() {
        assertEquals(new Routing.Route(Routing.Channel.LOCAL, "u@EXAMPLE.com"), routing.route("u@EXAMPLE.com"));
    }

    @Test
    void addressWithoutAtGetsEnvnoathost() {
        assertEquals(new Routing.Route(Routing.Channel.LOCAL, "postmaster@example.com"), routing.route("postmaster"));
    }

    @Test
    void virtualDomainsInQmailsOrder() {
        assertEquals("joe-joe@virt.org", routing.route("joe@virt.org").address());
        assertEquals("v-ann@virt.org", routing.route("ann@virt.org").address());
        assertEquals("s-x@a.sub.org", routing.route("x@a.sub.org").address());
        assertEquals(Routing.Channel.REMOTE, routing.route("x@except.sub.org").channel());
        assertEquals(Routing.Channel.REMOTE, routing.route("x@elsewhere.net").channel());
    }

    @Test
    void catchAllTakesTheRest() {
        Routing r = new Routing(List.of(), List.<String[]>of(new String[] {"", "all"}), "h");
        assertEquals(new Routing.Route(Routing.Channel.LOCAL, "all-x@y.z"), r.route("x@y.z"));
    }
}

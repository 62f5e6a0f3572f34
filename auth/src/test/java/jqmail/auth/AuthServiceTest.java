package jqmail.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class AuthServiceTest {
    @Test
    void failuresCountPerIpv4AddressAndPerIpv6Prefix() {
        assertEquals("192.0.2.7", AuthService.limitKey("192.0.2.7"));
        assertEquals(AuthService.limitKey("2001:db8:1:2::1"), AuthService.limitKey("2001:db8:1:2:ffff:ffff:ffff:fffe"),
            "one /64 is one subscriber");
        assertNotEquals(AuthService.limitKey("2001:db8:1:2::1"), AuthService.limitKey("2001:db8:1:3::1"));
        assertEquals("unknown", AuthService.limitKey("unknown"));
    }

    @Test
    void nameAtMeIsTheVirtualUser() {
        assertEquals("carol", AuthService.account("carol@Test.Example", "test.example"));
        assertEquals("carol@elsewhere.example", AuthService.account("carol@elsewhere.example", "test.example"));
        assertEquals("carol", AuthService.account("carol", "test.example"));
    }
}

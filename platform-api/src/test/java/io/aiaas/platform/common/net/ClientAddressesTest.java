package io.aiaas.platform.common.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {

    private static final ClientAddresses BEHIND_INGRESS = new ClientAddresses(List.of("10.0.0.0/8", "fd00::/8"));

    private static String caller(ClientAddresses addresses, String connection, String... forwardedFor) {
        return addresses.callerOf(connection, () -> List.of(forwardedFor));
    }

    @Test
    void withoutTrustedProxiesTheHeaderIsNeverRead() {
        ClientAddresses none = new ClientAddresses(List.of());
        assertEquals("198.51.100.9", none.callerOf("198.51.100.9", () -> fail("the header was read")));
        assertNull(none.callerOf(null, () -> fail("the header was read")));
    }

    @Test
    void aConnectionFromAnUntrustedAddressIsTheCallerWhateverItClaims() {
        assertEquals("198.51.100.9", BEHIND_INGRESS.callerOf("198.51.100.9", () -> fail("the header was read")));
    }

    @Test
    void theTrustedProxysOwnEntryIsTheCaller() {
        assertEquals("203.0.113.9", caller(BEHIND_INGRESS, "10.1.2.3", "203.0.113.9"));
        assertEquals("2001:db8::7", caller(BEHIND_INGRESS, "fd00::5", "2001:db8::7"));
    }

    @Test
    void whatTheClientWroteBeforeTheProxysEntryIsIgnored() {
        // the client sent "X-Forwarded-For: 203.0.113.9"; the ingress appended the address it saw
        assertEquals("198.51.100.9", caller(BEHIND_INGRESS, "10.1.2.3", "203.0.113.9, 198.51.100.9"));
        assertEquals("198.51.100.9", caller(BEHIND_INGRESS, "10.1.2.3", "203.0.113.9", "198.51.100.9"),
                "a second header line continues the list");
    }

    @Test
    void everyTrustedHopIsWalkedPast() {
        // client -> load balancer (10.9.9.9) -> ingress pod (10.1.2.3) -> platform-api
        assertEquals("203.0.113.9", caller(BEHIND_INGRESS, "10.1.2.3", "192.0.2.1, 203.0.113.9,10.9.9.9"));
    }

    @Test
    void aProxyThatSaysNothingIsTheCaller() {
        assertEquals("10.1.2.3", caller(BEHIND_INGRESS, "10.1.2.3"));
        assertEquals("10.1.2.3", caller(BEHIND_INGRESS, "10.1.2.3", " , "));
        assertEquals("10.9.9.9", caller(BEHIND_INGRESS, "10.1.2.3", "10.9.9.9"), "a chain of proxies only");
    }

    @Test
    void portsAndBracketsAreDropped() {
        assertEquals("203.0.113.9", caller(BEHIND_INGRESS, "10.1.2.3", "203.0.113.9:51234"));
        assertEquals("2001:db8::7", caller(BEHIND_INGRESS, "10.1.2.3", "[2001:db8::7]:443"));
        assertEquals("203.0.113.9", caller(BEHIND_INGRESS, "::ffff:10.1.2.3", "203.0.113.9"),
                "a proxy on an IPv4-mapped address is its IPv4 address");
    }

    @Test
    void anEntryThatIsNoAddressEndsTheWalkAndIsNamed() {
        assertEquals("unknown", caller(BEHIND_INGRESS, "10.1.2.3", "203.0.113.9, unknown"));
        String named = caller(BEHIND_INGRESS, "10.1.2.3", "x".repeat(500));
        assertEquals(67, named.length());
        assertTrue(named.endsWith("..."));
    }

    @Test
    void aTrustedProxyThatIsNotANetworkStopsTheStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClientAddresses(List.of("10.0.0.0/8", "ingress.local")));
        assertTrue(e.getMessage().startsWith("aiaas.http.trusted-proxies: 'ingress.local' is not"), e.getMessage());
    }
}

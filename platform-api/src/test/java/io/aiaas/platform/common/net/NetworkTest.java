package io.aiaas.platform.common.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NetworkTest {

    @Test
    void networksAreWrittenCanonically() {
        assertEquals("203.0.113.0/24", Network.parse(" 203.0.113.0/24 ").toString());
        assertEquals("198.51.100.7/32", Network.parse("198.51.100.7").toString());
        assertEquals("2001:db8::/32", Network.parse("2001:DB8:0:0::/32").toString());
        assertEquals("::1/128", Network.parse("::1").toString());
        assertEquals("::/0", Network.parse("::/0").toString());
        assertEquals("0.0.0.0/0", Network.parse("0.0.0.0/0").toString());
        assertEquals("2001:db8:0:1::1/128", Network.parse("2001:db8:0:1:0:0:0:1").toString());
        assertEquals("2001:0:0:1::/64", Network.parse("2001:0:0:1::/64").toString(), "the longer zero run is ::");
        assertEquals("fe80::1:0:0:0/128", Network.parse("fe80:0:0:0:1::").toString(), "the first of equal runs");
    }

    @Test
    void addressesInsideAndOutside() {
        Network net = Network.parse("10.20.0.0/14");
        assertTrue(net.contains(Network.client("10.23.255.255")));
        assertFalse(net.contains(Network.client("10.24.0.0")));
        assertTrue(Network.parse("0.0.0.0/0").contains(Network.client("192.0.2.1")));
        assertFalse(Network.parse("0.0.0.0/0").contains(Network.client("::1")), "IPv4 networks hold no IPv6 address");
        assertTrue(Network.parse("2001:db8::/32").contains(Network.client("2001:db8:ffff::5")));
        assertFalse(Network.parse("2001:db8::/32").contains(Network.client("2001:db9::5")));
        // an IPv4-mapped IPv6 client (a dual-stack socket) is its IPv4 address
        assertTrue(Network.parse("127.0.0.0/8").contains(Network.client("::ffff:127.0.0.1")));
        assertTrue(Network.parse("192.0.2.0/25").contains(Network.client("192.0.2.127")));
        assertFalse(Network.parse("192.0.2.0/25").contains(Network.client("192.0.2.128")));
    }

    @Test
    void whatIsNotANetworkIsRefusedWithTheReasonAndNeverLookedUp() {
        assertEquals("10.1.2.3/8 has bits set beyond /8; the network is 10.0.0.0/8",
                assertThrows(Network.InvalidNetwork.class, () -> Network.parse("10.1.2.3/8")).getMessage());
        for (String bad : new String[] {"", "localhost", "example.com", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0/8",
            "256.1.1.1", "1.2.3.4/", "::1/129", "2001:db8::/032x", "01.2.3.4", "1.2.3.4/08x", "fe80::1%eth0",
            "1.2.3.4 /8"}) {
            assertThrows(Network.InvalidNetwork.class, () -> Network.parse(bad), bad);
        }
        assertEquals(null, Network.client("not-an-address"));
    }
}

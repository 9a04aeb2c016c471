package io.kuzet.server.registry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CIDR allow-lists, IPv4 and IPv6, as checked at device login (docs/device-trust.md). */
class SourceNetworksTest {
    private static boolean allows(SourceNetworks n, String address) throws Exception {
        return n.contains(InetAddress.getByName(address));
    }

    @Test
    void ipv4BlocksMatchOnTheirPrefixOnly() throws Exception {
        SourceNetworks n = SourceNetworks.parse(List.of("10.64.0.0/10", "192.0.2.17"));
        assertTrue(allows(n, "10.64.0.1"));
        assertTrue(allows(n, "10.127.255.255"));
        assertFalse(allows(n, "10.128.0.0"));
        assertTrue(allows(n, "192.0.2.17"));
        assertFalse(allows(n, "192.0.2.18"));
        assertFalse(allows(n, "::ffff:10.200.0.1"), "an IPv4-mapped address is compared as IPv4");
        assertTrue(allows(n, "::ffff:10.64.0.9"));
    }

    @Test
    void ipv6BlocksMatchAndNeverMatchIpv4() throws Exception {
        SourceNetworks n = SourceNetworks.parse(List.of("2001:db8:40::/48"));
        assertTrue(allows(n, "2001:db8:40:1::5"));
        assertFalse(allows(n, "2001:db8:41::1"));
        assertFalse(allows(n, "32.1.13.184"));
    }

    @Test
    void emptyListAllowsEverySource() throws Exception {
        assertTrue(SourceNetworks.parse(List.of()).isAny());
        assertTrue(allows(SourceNetworks.ANY, "203.0.113.9"));
    }

    @Test
    void malformedBlocksAreRefusedWithoutANameLookup() {
        assertThrows(IllegalArgumentException.class, () -> SourceNetworks.parse(List.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> SourceNetworks.parse(List.of("example.org/24")));
        assertThrows(IllegalArgumentException.class, () -> SourceNetworks.parse(List.of("10.0.0.0/x")));
        assertThrows(IllegalArgumentException.class, () -> SourceNetworks.parse(List.of("")));
    }
}

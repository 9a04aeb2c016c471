package io.kuzet.server.registry;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The networks a device may connect from: a list of CIDR blocks, IPv4 ({@code 10.20.0.0/16}) and IPv6
 * ({@code 2001:db8::/32}); a bare address is a single host. An empty list ({@link #ANY}) allows every source.
 * Immutable and thread-safe; {@link #contains} allocates nothing beyond {@link InetAddress#getAddress()}.
 */
public final class SourceNetworks {
    /** No restriction. */
    public static final SourceNetworks ANY = new SourceNetworks(List.of(), new byte[0][], new int[0]);

    private final List<String> text;
    private final byte[][] networks;
    private final int[] prefixBits;

    private SourceNetworks(List<String> text, byte[][] networks, int[] prefixBits) {
        this.text = text;
        this.networks = networks;
        this.prefixBits = prefixBits;
    }

    /** Parses CIDR blocks; throws {@link IllegalArgumentException} naming the first bad entry. */
    public static SourceNetworks parse(Collection<String> cidrs) {
        if (cidrs == null || cidrs.isEmpty()) {
            return ANY;
        }
        List<String> text = new ArrayList<>();
        byte[][] networks = new byte[cidrs.size()][];
        int[] bits = new int[cidrs.size()];
        int i = 0;
        for (String raw : cidrs) {
            String cidr = raw.strip();
            int slash = cidr.indexOf('/');
            String address = slash < 0 ? cidr : cidr.substring(0, slash);
            if (address.isEmpty() || !address.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
                throw new IllegalArgumentException("allowed source '" + raw + "' is not an IPv4 or IPv6 CIDR block");
            }
            byte[] bytes;
            try {
                bytes = InetAddress.getByName(address).getAddress(); // a literal: no name lookup
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("allowed source '" + raw + "' is not an IPv4 or IPv6 CIDR block", e);
            }
            int max = bytes.length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? max : Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("allowed source '" + raw + "' has a bad prefix length", e);
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("allowed source '" + raw + "' has prefix /" + prefix + ", not in 0.." + max);
            }
            networks[i] = bytes;
            bits[i] = prefix;
            text.add(cidr);
            i++;
        }
        return new SourceNetworks(List.copyOf(text), networks, bits);
    }

    public boolean isAny() {
        return networks.length == 0;
    }

    /** True when {@code address} is inside one of the blocks (always true for {@link #ANY}). */
    public boolean contains(InetAddress address) {
        if (isAny()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        for (int n = 0; n < networks.length; n++) {
            if (networks[n].length == bytes.length && matches(networks[n], bytes, prefixBits[n])) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(byte[] network, byte[] address, int bits) {
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (network[i] != address[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xFF << (8 - rest);
        return (network[full] & mask) == (address[full] & mask);
    }

    /** The blocks as written. */
    public List<String> cidrs() {
        return text;
    }

    @Override
    public String toString() {
        return isAny() ? "any" : String.join(",", text);
    }
}

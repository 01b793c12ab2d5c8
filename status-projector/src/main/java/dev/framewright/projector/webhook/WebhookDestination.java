package dev.framewright.projector.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a webhook may go. A job's callback URL is chosen by a client, so without a check it is a way to make the
 * projector POST into the private network it runs in (cloud metadata endpoints, internal admin APIs): by default
 * only public unicast addresses are allowed. The host is resolved once, every address it resolves to is checked,
 * and the request connects to the checked address (the dispatcher never resolves again, so a rebinding DNS name
 * cannot swap in 127.0.0.1 between the check and the connection). Development stacks switch the check off, not the
 * single resolution.
 */
final class WebhookDestination {

    /** What the check found: a refusal (permanent), a failure to resolve (retried), or the address to connect to. */
    sealed interface Verdict {
    }

    /** The URL must never be called: the delivery fails at once. */
    record Refused(String reason) implements Verdict {
    }

    /** The host does not resolve now: a failed attempt, retried with backoff like any other. */
    record Unresolved(String reason) implements Verdict {
    }

    /** Connect to {@code address}; the Host header, SNI and certificate check use {@code host}. */
    record Allowed(String host, int port, boolean tls, InetAddress address, String requestUri) implements Verdict {
    }

    /** A block of addresses no webhook may reach. */
    private record Block(byte[] network, int bits, String what) {
        static Block of(String cidr, String what) {
            String[] parts = cidr.split("/");
            try {
                return new Block(InetAddress.getByName(parts[0]).getAddress(), Integer.parseInt(parts[1]), what);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(cidr, e);
            }
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** IANA special-purpose and non-unicast IPv4 blocks (RFC 6890 and later). */
    private static final List<Block> V4 = List.of(
            Block.of("0.0.0.0/8", "'this network'"),
            Block.of("10.0.0.0/8", "private"),
            Block.of("100.64.0.0/10", "carrier-grade NAT"),
            Block.of("127.0.0.0/8", "loopback"),
            Block.of("169.254.0.0/16", "link-local (cloud metadata)"),
            Block.of("172.16.0.0/12", "private"),
            Block.of("192.0.0.0/24", "IETF protocol assignments"),
            Block.of("192.0.2.0/24", "documentation"),
            Block.of("192.88.99.0/24", "6to4 relay anycast"),
            Block.of("192.168.0.0/16", "private"),
            Block.of("198.18.0.0/15", "benchmarking"),
            Block.of("198.51.100.0/24", "documentation"),
            Block.of("203.0.113.0/24", "documentation"),
            Block.of("224.0.0.0/4", "multicast"),
            Block.of("240.0.0.0/4", "reserved (and 255.255.255.255, broadcast)"));

    /**
     * IPv6 blocks. Those that embed or translate to an IPv4 address (NAT64, 6to4, Teredo, IPv4-compatible) are
     * refused whole: what they reach depends on gateways the projector cannot see. IPv4-mapped addresses are checked
     * as the IPv4 address they are.
     */
    private static final List<Block> V6 = List.of(
            Block.of("::/128", "unspecified"),
            Block.of("::1/128", "loopback"),
            Block.of("::/96", "IPv4-compatible"),
            Block.of("64:ff9b::/96", "NAT64"),
            Block.of("64:ff9b:1::/48", "local-use NAT64"),
            Block.of("100::/64", "discard-only"),
            Block.of("2001::/32", "Teredo"),
            Block.of("2001:db8::/32", "documentation"),
            Block.of("2002::/16", "6to4"),
            Block.of("fc00::/7", "unique local"),
            Block.of("fe80::/10", "link-local"),
            Block.of("fec0::/10", "site-local"),
            Block.of("ff00::/8", "multicast"));

    private WebhookDestination() {
    }

    /** Resolves the host once (blocking) and checks every address, unless private networks are allowed. */
    static Verdict check(URI url, boolean allowPrivateNetworks, HostResolver resolver) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return new Refused("only http and https webhooks are sent");
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            return new Refused("the URL has no host");
        }
        if (url.getRawUserInfo() != null) {
            return new Refused("the URL carries credentials (user info)");
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            return new Unresolved(bare + " does not resolve");
        } catch (RuntimeException e) {
            return new Unresolved("could not resolve " + bare + ": " + e);
        }
        if (addresses == null || addresses.isEmpty()) {
            return new Unresolved(bare + " resolves to no address");
        }
        if (!allowPrivateNetworks) {
            for (InetAddress address : addresses) {
                Optional<String> why = forbidden(address);
                if (why.isPresent()) {
                    return new Refused(bare + " resolves to " + address.getHostAddress() + ", a " + why.get()
                            + " address; webhooks go to public addresses only");
                }
            }
        }
        boolean tls = scheme.equals("https");
        int port = url.getPort() >= 0 ? url.getPort() : tls ? 443 : 80;
        String uri = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        return new Allowed(bare, port, tls, addresses.get(0), uri);
    }

    /** What kind of non-public address this is, or empty for a public unicast one. */
    static Optional<String> forbidden(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address) {
            if (isV4Mapped(b)) {
                return forbiddenV4(java.util.Arrays.copyOfRange(b, 12, 16)).map(what -> "IPv4-mapped " + what);
            }
            return V6.stream().filter(block -> block.contains(b)).map(Block::what).findFirst();
        }
        return address instanceof Inet4Address ? forbiddenV4(b) : Optional.of("unknown kind of");
    }

    private static Optional<String> forbiddenV4(byte[] b) {
        return V4.stream().filter(block -> block.contains(b)).map(Block::what).findFirst();
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
    }
}

package dev.framewright.projector.webhook;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Where a webhook may go. A job's callback URL is chosen by a client, so without a check it is a way to make the
 * projector POST into the private network it runs in (cloud metadata endpoints, internal admin APIs): by default
 * only public addresses are allowed. Development stacks switch the check off.
 */
final class WebhookDestination {

    private WebhookDestination() {
    }

    /** Why this URL must not be called, or empty when it may. Resolves the host (blocking). */
    static Optional<String> refusal(URI url, boolean allowPrivateNetworks) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.of("only http and https webhooks are sent");
        }
        if (url.getHost() == null) {
            return Optional.of("the URL has no host");
        }
        if (allowPrivateNetworks) {
            return Optional.empty();
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(url.getHost())) {
                if (isPrivate(address)) {
                    return Optional.of(url.getHost() + " resolves to " + address.getHostAddress()
                            + ", a loopback, private or link-local address; webhooks go to public addresses only");
                }
            }
            return Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.empty(); // not permanent: DNS may answer on the next attempt, which checks again
        }
    }

    static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address) {
            return (b[0] & 0xFE) == 0xFC; // fc00::/7, unique local
        }
        int first = b[0] & 0xFF;
        int second = b[1] & 0xFF;
        return first == 0 || (first == 100 && second >= 64 && second <= 127) // 100.64/10, carrier-grade NAT
                || (first == 198 && (second == 18 || second == 19)); // 198.18/15, benchmarking
    }
}

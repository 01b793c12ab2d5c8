package dev.framewright.projector.webhook;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;

/** {@link WebhookDestination}'s rules with this deployment's settings and resolver (the JDK's). */
@ApplicationScoped
public class DestinationCheck {

    private final boolean allowPrivateNetworks;
    private final HostResolver resolver;

    @Inject
    public DestinationCheck(WebhooksConfig config) {
        this(config.allowPrivateNetworks(), HostResolver.JDK);
    }

    /** For tests: another resolver (DNS rebinding), or the check switched on in a stack that has it off. */
    public DestinationCheck(boolean allowPrivateNetworks, HostResolver resolver) {
        this.allowPrivateNetworks = allowPrivateNetworks;
        this.resolver = resolver;
    }

    /** Blocking: resolves the host once. */
    WebhookDestination.Verdict check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return new WebhookDestination.Refused("not a URL: " + e.getMessage());
        }
        return WebhookDestination.check(uri, allowPrivateNetworks, resolver);
    }
}

package dev.framewright.projector.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookDestinationTest {

    /** Answers the given addresses for every name, as a DNS server the tenant controls would. */
    private static HostResolver answering(String... addresses) {
        return host -> {
            List<InetAddress> list = new java.util.ArrayList<>();
            for (String a : addresses) {
                list.add(InetAddress.getByName(a));
            }
            return list;
        };
    }

    private static WebhookDestination.Verdict check(String url, HostResolver resolver) {
        return WebhookDestination.check(URI.create(url), false, resolver);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "0.0.0.0", "0.1.2.3", "10.0.0.5", "100.64.0.1", "100.127.255.254", "127.0.0.1", "127.8.9.10",
            "169.254.169.254", "172.16.3.4", "172.31.255.255", "192.0.0.8", "192.0.2.1", "192.88.99.1",
            "192.168.1.1", "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1",
            "239.255.255.250", "240.0.0.1", "255.255.255.255",
            "::", "::1", "::127.0.0.1", "::8.8.8.8", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.1.2.3",
            "64:ff9b::7f00:1", "64:ff9b::808:808", "64:ff9b:1::1", "100::1", "2001::1", "2001:db8::1", "2002:7f00:1::1",
            "2002:808:808::1", "fc00::1", "fd12:3456::1", "fe80::1", "febf::1", "fec0::1", "ff02::1", "ff0e::1"})
    void refusesEveryNonPublicAddress(String address) throws UnknownHostException {
        assertThat(WebhookDestination.forbidden(InetAddress.getByName(address))).as(address).isPresent();
        assertThat(check("https://hooks.example.com/x", answering(address)))
                .isInstanceOf(WebhookDestination.Refused.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.32.0.1",
            "192.0.1.1", "198.17.255.255", "198.20.0.1", "223.255.255.255", "2606:4700:4700::1111",
            "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8"})
    void allowsPublicUnicastAddresses(String address) throws UnknownHostException {
        assertThat(WebhookDestination.forbidden(InetAddress.getByName(address))).as(address).isEmpty();
    }

    @Test
    void oneForbiddenAddressAmongPublicOnesRefusesTheHost() {
        assertThat(check("https://hooks.example.com/x", answering("93.184.216.34", "127.0.0.1")))
                .isInstanceOf(WebhookDestination.Refused.class);
    }

    @Test
    void connectsToTheAddressItChecked() {
        WebhookDestination.Verdict verdict = check("https://hooks.example.com/in?x=1", answering("93.184.216.34"));
        assertThat(verdict).isInstanceOf(WebhookDestination.Allowed.class);
        WebhookDestination.Allowed allowed = (WebhookDestination.Allowed) verdict;
        assertThat(allowed.address().getHostAddress()).isEqualTo("93.184.216.34");
        assertThat(allowed.host()).isEqualTo("hooks.example.com");
        assertThat(allowed.port()).isEqualTo(443);
        assertThat(allowed.tls()).isTrue();
        assertThat(allowed.requestUri()).isEqualTo("/in?x=1");
    }

    @Test
    void anUnresolvableHostIsAFailedAttemptNotAnAllowedOne() {
        HostResolver nothing = host -> {
            throw new UnknownHostException(host);
        };
        assertThat(check("https://nowhere.invalid/x", nothing)).isInstanceOf(WebhookDestination.Unresolved.class);
        assertThat(check("https://nowhere.invalid/x", host -> List.of()))
                .isInstanceOf(WebhookDestination.Unresolved.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.0.0.5/hook", "http://172.16.3.4/hook",
            "http://192.168.1.1/hook", "http://169.254.169.254/latest/meta-data/", "http://[::1]/hook",
            "http://[fd00::1]/hook", "http://0.0.0.0/hook", "http://100.64.0.1/hook", "http://[::ffff:127.0.0.1]/hook",
            "http://[64:ff9b::a9fe:a9fe]/hook", "http://255.255.255.255/hook"})
    void refusesLiteralsAndLocalNamesWithTheJdkResolver(String url) {
        assertThat(WebhookDestination.check(URI.create(url), false, HostResolver.JDK))
                .isInstanceOf(WebhookDestination.Refused.class);
    }

    @Test
    void privateNetworksAreAllowedWhenTheStackSaysSoStillAtTheResolvedAddress() {
        WebhookDestination.Verdict verdict = WebhookDestination.check(URI.create("http://127.0.0.1:8080/hook"), true,
                HostResolver.JDK);
        assertThat(verdict).isInstanceOf(WebhookDestination.Allowed.class);
        assertThat(((WebhookDestination.Allowed) verdict).port()).isEqualTo(8080);
        assertThat(check("https://93.184.216.34/hook", HostResolver.JDK)).isInstanceOf(WebhookDestination.Allowed.class);
    }

    @Test
    void refusesOtherSchemesAndCredentials() {
        assertThat(WebhookDestination.check(URI.create("file:///etc/passwd"), true, HostResolver.JDK))
                .isInstanceOf(WebhookDestination.Refused.class);
        assertThat(WebhookDestination.check(URI.create("gopher://example.com/"), true, HostResolver.JDK))
                .isInstanceOf(WebhookDestination.Refused.class);
        assertThat(WebhookDestination.check(URI.create("https://user:pw@example.com/"), true, answering("8.8.8.8")))
                .isInstanceOf(WebhookDestination.Refused.class);
    }
}

package dev.framewright.projector.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookDestinationTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.0.0.5/hook", "http://172.16.3.4/hook",
            "http://192.168.1.1/hook", "http://169.254.169.254/latest/meta-data/", "http://[::1]/hook",
            "http://[fd00::1]/hook", "http://0.0.0.0/hook", "http://100.64.0.1/hook"})
    void refusesDestinationsInsideThePrivateNetwork(String url) {
        assertThat(WebhookDestination.refusal(URI.create(url), false)).isPresent();
    }

    @Test
    void allowsPublicAddressesAndPrivateOnesWhenTheStackSaysSo() {
        assertThat(WebhookDestination.refusal(URI.create("https://93.184.216.34/hook"), false)).isEmpty();
        assertThat(WebhookDestination.refusal(URI.create("http://127.0.0.1:8080/hook"), true)).isEmpty();
    }

    @Test
    void refusesOtherSchemes() {
        assertThat(WebhookDestination.refusal(URI.create("file:///etc/passwd"), true)).isPresent();
        assertThat(WebhookDestination.refusal(URI.create("gopher://example.com/"), true)).isPresent();
    }
}

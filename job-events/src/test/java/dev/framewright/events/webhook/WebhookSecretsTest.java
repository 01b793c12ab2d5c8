package dev.framewright.events.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookSecretsTest {

    private static final byte[] BODY = "{\"id\":1}".getBytes(StandardCharsets.UTF_8);
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void aRotationSignsWithBothSecretsAndEitherVerifies() {
        long t = Instant.now().getEpochSecond();
        String header = WebhookSignature.sign(List.of("whsec_new", "whsec_old"), t, BODY);

        assertThat(header).matches("t=\\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}");
        assertThat(WebhookSignature.verify("whsec_new", header, BODY, Instant.now(), Duration.ofMinutes(5))).isTrue();
        assertThat(WebhookSignature.verify("whsec_old", header, BODY, Instant.now(), Duration.ofMinutes(5))).isTrue();
        assertThat(WebhookSignature.verify("whsec_other", header, BODY, Instant.now(), Duration.ofMinutes(5)))
                .isFalse();
        assertThat(WebhookSignature.verify("whsec_new", header, "{\"id\":2}".getBytes(StandardCharsets.UTF_8),
                Instant.now(), Duration.ofMinutes(5))).isFalse();
        assertThat(WebhookSignature.verify("whsec_new", header, BODY, Instant.now().plusSeconds(600),
                Duration.ofMinutes(5))).as("a replay").isFalse();
    }

    @Test
    void oneSecretKeepsTheSingleValueHeader() {
        assertThat(WebhookSignature.sign("whsec_a", 1700000000L, BODY)).matches("t=1700000000,v1=[0-9a-f]{64}");
    }

    @Test
    void aSealedSecretOpensOnlyWithItsKeyAndTenant() {
        SecretBox box = SecretBox.of(KEY);
        String secret = WebhookSecrets.generate();
        byte[] sealed = box.seal(secret, "acme");

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(secret.substring(6));
        assertThat(box.open(sealed, "acme")).isEqualTo(secret);
        assertThatThrownBy(() -> box.open(sealed, "globex")).isInstanceOf(IllegalStateException.class);
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        assertThatThrownBy(() -> SecretBox.of(Base64.getEncoder().encodeToString(otherKey)).open(sealed, "acme"))
                .isInstanceOf(IllegalStateException.class);
        byte[] altered = sealed.clone();
        altered[altered.length - 1] ^= 1;
        assertThatThrownBy(() -> box.open(altered, "acme")).isInstanceOf(IllegalStateException.class);
        assertThat(box.seal(secret, "acme")).as("a fresh nonce every time").isNotEqualTo(sealed);
    }

    @Test
    void theKeyMustBe32Bytes() {
        assertThatThrownBy(() -> SecretBox.of("c2hvcnQ=")).hasMessageContaining("32");
        assertThatThrownBy(() -> SecretBox.of("not base64!")).hasMessageContaining("base64");
        assertThat(SecretBox.of(WebhookSecrets.DEV_ENCRYPTION_KEY)).isNotNull();
    }

    @Test
    void generatedSecretsAreLongRandomAndShownOnlyByTheirPrefix() {
        String a = WebhookSecrets.generate();
        assertThat(a).matches("whsec_[0-9A-Za-z]{40}").isNotEqualTo(WebhookSecrets.generate());
        assertThat(WebhookSecrets.shown(a)).hasSize(12).isEqualTo(a.substring(0, 12));
        assertThat(WebhookSecrets.newId()).matches("whk_[0-9A-Za-z]{16}");
    }

    @Test
    void theDevelopmentDefaultsAreNamedAsRefusals() {
        assertThat(WebhookSecrets.devDefaultsInUse(Optional.empty(), KEY)).isEmpty();
        assertThat(WebhookSecrets.devDefaultsInUse(Optional.of("whsec_" + "x".repeat(40)), KEY)).isEmpty();
        assertThat(WebhookSecrets.devDefaultsInUse(Optional.of("whsec_dev"), KEY)).get(
                org.assertj.core.api.InstanceOfAssertFactories.STRING).contains("FRAMEWRIGHT_WEBHOOK_SECRET");
        assertThat(WebhookSecrets.devDefaultsInUse(Optional.empty(), WebhookSecrets.DEV_ENCRYPTION_KEY)).get(
                org.assertj.core.api.InstanceOfAssertFactories.STRING).contains("FRAMEWRIGHT_WEBHOOK_SECRET_KEY");
    }
}

package dev.framewright.api.webhook;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.framewright.events.webhook.WebhookSecrets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Outside Quarkus the launch mode is a packaged service's (NORMAL): what a production start checks. */
class WebhookSecretStoreStartupTest {

    private static WebhookSecretsConfig config(String key, boolean allowDev) {
        return new WebhookSecretsConfig() {
            public String secretKey() {
                return key;
            }

            public Duration rotationOverlap() {
                return Duration.ofHours(24);
            }

            public boolean allowDevSecrets() {
                return allowDev;
            }
        };
    }

    @Test
    void aRealDeploymentRefusesTheDevelopmentKey() {
        assertThatThrownBy(() -> new WebhookSecretStore(null, config(WebhookSecrets.DEV_ENCRYPTION_KEY, false)).check(null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("FRAMEWRIGHT_WEBHOOK_SECRET_KEY");
        assertThatCode(() -> new WebhookSecretStore(null, config(WebhookSecrets.DEV_ENCRYPTION_KEY, true)).check(null))
                .doesNotThrowAnyException();
        assertThatCode(() -> new WebhookSecretStore(null,
                config(Base64.getEncoder().encodeToString(new byte[32]), false)).check(null)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new WebhookSecretStore(null, config("short", false))).hasMessageContaining("32");
    }
}

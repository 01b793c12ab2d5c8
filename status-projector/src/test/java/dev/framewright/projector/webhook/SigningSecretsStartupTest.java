package dev.framewright.projector.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.framewright.events.webhook.WebhookSecrets;
import io.quarkus.runtime.LaunchMode;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Outside Quarkus the launch mode is a packaged service's (NORMAL): what a production start checks. */
class SigningSecretsStartupTest {

    private static final String REAL_KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void aRealDeploymentRefusesTheDevelopmentSecretAndKey() {
        assertThat(LaunchMode.current()).isEqualTo(LaunchMode.NORMAL);
        assertThatThrownBy(() -> new SigningSecrets(null, Optional.of("whsec_dev"), REAL_KEY, false).check(null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("(FRAMEWRIGHT_WEBHOOK_SECRET)");
        assertThatThrownBy(() -> new SigningSecrets(null, Optional.empty(), WebhookSecrets.DEV_ENCRYPTION_KEY, false)
                .check(null)).hasMessageContaining("FRAMEWRIGHT_WEBHOOK_SECRET_KEY");
    }

    @Test
    void startsWithARealKeyOrOnADevelopmentStack() {
        assertThatCode(() -> new SigningSecrets(null, Optional.empty(), REAL_KEY, false).check(null))
                .doesNotThrowAnyException();
        assertThatCode(() -> new SigningSecrets(null, Optional.of("whsec_dev"), WebhookSecrets.DEV_ENCRYPTION_KEY, true)
                .check(null)).doesNotThrowAnyException();
    }

    @Test
    void aMalformedKeyFailsAtOnce() {
        assertThatThrownBy(() -> new SigningSecrets(null, Optional.empty(), "c2hvcnQ=", true))
                .hasMessageContaining("32 random bytes");
    }
}

package dev.framewright.transcoder.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.events.FailureCode;
import dev.framewright.transcoder.media.MediaException;
import dev.framewright.transcoder.storage.StorageUnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(30));

    @Test
    void classifiesFailures() {
        assertThat(RetryPolicy.classify(new MediaException(FailureCode.LIMITS_EXCEEDED, "x")))
                .isEqualTo(FailureCode.LIMITS_EXCEEDED);
        assertThat(RetryPolicy.classify(new StorageUnavailableException("down", null)))
                .isEqualTo(FailureCode.STORAGE_UNAVAILABLE);
        assertThat(RetryPolicy.classify(new CompletionException(new StorageUnavailableException("down", null))))
                .isEqualTo(FailureCode.STORAGE_UNAVAILABLE);
        assertThat(RetryPolicy.classify(new IllegalStateException("kafka send timed out")))
                .isEqualTo(FailureCode.INTERNAL);
    }

    @Test
    void retriesOnlyTransientFailuresUpToMaxAttempts() {
        for (FailureCode permanent : new FailureCode[] {FailureCode.UNSUPPORTED_MEDIA, FailureCode.INVALID_OUTPUT,
                FailureCode.LIMITS_EXCEEDED, FailureCode.INPUT_MISSING, FailureCode.TIMEOUT}) {
            assertThat(policy.retryAfter(permanent, 1)).as(permanent.wireName()).isFalse();
        }
        for (FailureCode transientCode : new FailureCode[] {FailureCode.STORAGE_UNAVAILABLE, FailureCode.STALLED,
                FailureCode.INTERNAL}) {
            assertThat(policy.retryAfter(transientCode, 1)).isTrue();
            assertThat(policy.retryAfter(transientCode, 2)).isTrue();
            assertThat(policy.retryAfter(transientCode, 3)).isFalse();
        }
    }

    @Test
    void backoffDoublesWithJitterAndIsCapped() {
        for (int i = 0; i < 50; i++) {
            assertThat(policy.backoff(1).toMillis()).isBetween(1000L, 2000L);
            assertThat(policy.backoff(2).toMillis()).isBetween(2000L, 4000L);
            assertThat(policy.backoff(3).toMillis()).isBetween(4000L, 8000L);
            assertThat(policy.backoff(30).toMillis()).isBetween(15_000L, 30_000L);
        }
    }
}

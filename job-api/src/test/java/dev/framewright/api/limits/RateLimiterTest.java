package dev.framewright.api.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.framewright.api.tenant.TenantLimits;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    /** A clock the test moves by hand. */
    static final class ManualClock implements TimeMeter {
        long nanos = TimeUnit.DAYS.toNanos(1);

        void advance(Duration d) {
            nanos += d.toNanos();
        }

        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    }

    static LimitsConfig limits(int perSecond, int burst) {
        return new LimitsConfig() {
            public int requestsPerSecond() { return perSecond; }
            public int burst() { return burst; }
            public int maxQueuedJobsPerTenant() { return 1000; }
            public Duration activeJobsRefresh() { return Duration.ofMillis(100); }
            public long maxQueueDepth() { return 10_000; }
            public Duration queueDepthRefresh() { return Duration.ofSeconds(2); }
            public int maxEventStreams() { return 100; }
            public String transcoderGroup() { return "transcoder"; }
            public Duration maxRetention() { return Duration.ofDays(30); }
            public Duration maxWait() { return Duration.ofSeconds(30); }
            public int maxInlineInputBytes() { return 4 << 20; }
        };
    }

    final ManualClock clock = new ManualClock();

    @Test
    void allowsTheBurstThenRefillsAtTheRate() {
        RateLimiter limiter = new RateLimiter(limits(2, 3), clock);
        for (int i = 0; i < 3; i++) {
            limiter.acquire("acme", TenantLimits.NONE);
        }
        RetryLaterException refused = catchThrowableOfType(RetryLaterException.class,
                () -> limiter.acquire("acme", TenantLimits.NONE));
        assertThat(refused.problem().status()).isEqualTo(429);
        assertThat(refused.problem().code()).isEqualTo("rate_limited");
        assertThat(refused.retryAfterSeconds()).isEqualTo(1); // 500 ms rounds up to a whole second

        clock.advance(Duration.ofMillis(499));
        assertThatThrownBy(() -> limiter.acquire("acme", TenantLimits.NONE)).isInstanceOf(RetryLaterException.class);
        clock.advance(Duration.ofMillis(1));
        limiter.acquire("acme", TenantLimits.NONE); // one token every 500 ms
        assertThatThrownBy(() -> limiter.acquire("acme", TenantLimits.NONE)).isInstanceOf(RetryLaterException.class);

        clock.advance(Duration.ofSeconds(10)); // refills to the burst, never beyond
        for (int i = 0; i < 3; i++) {
            limiter.acquire("acme", TenantLimits.NONE);
        }
        assertThatThrownBy(() -> limiter.acquire("acme", TenantLimits.NONE)).isInstanceOf(RetryLaterException.class);
    }

    @Test
    void tenantsHaveTheirOwnBuckets() {
        RateLimiter limiter = new RateLimiter(limits(1, 1), clock);
        limiter.acquire("a", TenantLimits.NONE);
        assertThatThrownBy(() -> limiter.acquire("a", TenantLimits.NONE)).isInstanceOf(RetryLaterException.class);
        limiter.acquire("b", TenantLimits.NONE);
    }

    @Test
    void retryAfterIsWholeSecondsUntilTheNextToken() {
        RateLimiter limiter = new RateLimiter(limits(1, 1), clock);
        TenantLimits slow = new TenantLimits(1, 1, null);
        limiter.acquire("a", slow);
        // A slower override: one request every... the override sets 1/s, so the wait is just under a second.
        clock.advance(Duration.ofMillis(1));
        assertThat(catchThrowableOfType(RetryLaterException.class, () -> limiter.acquire("a", slow)).retryAfterSeconds())
                .isEqualTo(1);
    }

    @Test
    void tenantOverridesReplaceTheDefaults() {
        RateLimiter limiter = new RateLimiter(limits(1, 1), clock);
        TenantLimits generous = new TenantLimits(10, 5, null);
        for (int i = 0; i < 5; i++) {
            limiter.acquire("big", generous);
        }
        assertThatThrownBy(() -> limiter.acquire("big", generous)).isInstanceOf(RetryLaterException.class);
        clock.advance(Duration.ofMillis(100));
        limiter.acquire("big", generous); // 10/s: a token every 100 ms

        // Lowering the override takes effect at once, with a fresh bucket of the new size.
        TenantLimits tight = new TenantLimits(1, 2, null);
        limiter.acquire("big", tight);
        limiter.acquire("big", tight);
        RetryLaterException refused = catchThrowableOfType(RetryLaterException.class, () -> limiter.acquire("big", tight));
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
    }
}

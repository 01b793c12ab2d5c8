package dev.framewright.transcoder.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.framewright.transcoder.worker.Watchdog.Verdict;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WatchdogTest {

    private final FakeClock clock = new FakeClock();
    private final AtomicBoolean cancel = new AtomicBoolean();
    private final AtomicInteger cancelChecks = new AtomicInteger();

    private Watchdog watchdog(Thread worker) {
        return new Watchdog(clock, Duration.ofHours(1), Duration.ofSeconds(120), Duration.ofSeconds(2), () -> {
            cancelChecks.incrementAndGet();
            return cancel.get();
        }, worker);
    }

    @Test
    void stallsWhenMediaTimeStopsAdvancing() {
        Watchdog w = watchdog(null);
        w.expectProgress(true);
        for (int i = 1; i <= 20; i++) { // 200 s of slow but steady progress: never stalled
            clock.advance(Duration.ofSeconds(10));
            w.progress("transcoding", i * 0.5);
            assertThat(w.tick()).isEqualTo(Verdict.NONE);
        }
        // Callbacks keep coming but the position does not move: that is a stall.
        for (int i = 0; i < 11; i++) {
            clock.advance(Duration.ofSeconds(10));
            w.progress("transcoding", 10.0);
            assertThat(w.tick()).isEqualTo(Verdict.NONE);
        }
        clock.advance(Duration.ofSeconds(10));
        assertThat(w.tick()).isEqualTo(Verdict.STALLED);
    }

    @Test
    void aNewStageCountsAsProgressAndStallsAreOnlyCountedWhileRendering() {
        Watchdog w = watchdog(null);
        clock.advance(Duration.ofSeconds(300)); // downloading a big input: no media progress expected
        assertThat(w.tick()).isEqualTo(Verdict.NONE);
        w.expectProgress(true);
        clock.advance(Duration.ofSeconds(100));
        w.progress("transcoding", 30);
        clock.advance(Duration.ofSeconds(100));
        w.progress("stills", 0); // a new stage starting at 0 is progress too
        clock.advance(Duration.ofSeconds(100));
        assertThat(w.tick()).isEqualTo(Verdict.NONE);
        clock.advance(Duration.ofSeconds(20));
        assertThat(w.tick()).isEqualTo(Verdict.STALLED);
    }

    @Test
    void timesOutAtTheDeadlineAndInterruptsTheWorker() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        worker.start();
        Watchdog w = new Watchdog(clock, Duration.ofSeconds(30), Duration.ofSeconds(120), Duration.ofSeconds(2),
                () -> false, worker);
        clock.advance(Duration.ofSeconds(29));
        assertThat(w.tick()).isEqualTo(Verdict.NONE);
        clock.advance(Duration.ofSeconds(1));
        assertThat(w.tick()).isEqualTo(Verdict.TIMEOUT);
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(w.close()).isEqualTo(Verdict.TIMEOUT);
    }

    @Test
    void looksForACancelEveryTwoSeconds() {
        Watchdog w = watchdog(null);
        for (int i = 0; i < 8; i++) { // 4 s in 0.5 s ticks
            clock.advance(Duration.ofMillis(500));
            assertThat(w.tick()).isEqualTo(Verdict.NONE);
        }
        assertThat(cancelChecks.get()).isEqualTo(2);
        cancel.set(true);
        clock.advance(Duration.ofMillis(1500));
        assertThat(w.tick()).isEqualTo(Verdict.NONE);
        clock.advance(Duration.ofMillis(500));
        assertThat(w.tick()).isEqualTo(Verdict.CANCELED);
    }

    @Test
    void aFailingCancelCheckIsRetriedNextTime() {
        AtomicInteger calls = new AtomicInteger();
        Watchdog w = new Watchdog(clock, Duration.ofMinutes(10), Duration.ofSeconds(120), Duration.ofSeconds(2), () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("store down");
            }
            return true;
        }, null);
        clock.advance(Duration.ofSeconds(2));
        assertThat(w.tick()).isEqualTo(Verdict.NONE);
        clock.advance(Duration.ofSeconds(2));
        assertThat(w.tick()).isEqualTo(Verdict.CANCELED);
    }

    @Test
    void afterCloseNothingInterrupts() {
        Thread me = Thread.currentThread();
        Watchdog w = new Watchdog(clock, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2),
                () -> true, me);
        assertThat(w.close()).isEqualTo(Verdict.NONE);
        clock.advance(Duration.ofSeconds(10));
        assertThat(w.tick()).isEqualTo(Verdict.NONE);
        assertThat(w.abort(Verdict.SHUTDOWN)).isFalse();
        assertThat(Thread.interrupted()).isFalse();
    }

    @Test
    void shutdownAbortIsReported() {
        Watchdog w = watchdog(null);
        assertThat(w.abort(Verdict.SHUTDOWN)).isTrue();
        assertThat(w.close()).isEqualTo(Verdict.SHUTDOWN);
    }
}

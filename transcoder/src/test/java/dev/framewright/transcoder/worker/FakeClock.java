package dev.framewright.transcoder.worker;

import java.time.Duration;
import java.util.function.LongSupplier;

/** A monotonic nanosecond clock the test moves by hand. */
final class FakeClock implements LongSupplier {

    private long nanos = 1_000_000_000L;

    @Override
    public synchronized long getAsLong() {
        return nanos;
    }

    synchronized void advance(Duration d) {
        nanos += d.toNanos();
    }
}

package dev.framewright.transcoder.worker;

import dev.framewright.events.MediaInfo;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Whether this instance has the scratch disk and memory a job needs, estimated before the work starts, so a job
 * waits for room instead of filling the disk or getting the worker OOM-killed halfway.
 */
final class Admission {

    /** An answer: {@code fits}, or what is needed against what there is. */
    record Check(boolean fits, boolean everFits, String resource, long needed, long available) {

        String describe() {
            return resource + ": needs " + mb(needed) + " MiB, " + mb(available) + " MiB available";
        }

        private static long mb(long bytes) {
            return bytes >> 20;
        }
    }

    private final TranscoderConfig.Admission config;
    private final LongSupplier usableDisk;
    private final LongSupplier totalDisk;
    private final LongSupplier availableMemory;
    private final LongSupplier totalMemory;

    Admission(TranscoderConfig.Admission config, LongSupplier usableDisk, LongSupplier totalDisk,
            LongSupplier availableMemory, LongSupplier totalMemory) {
        this.config = config;
        this.usableDisk = usableDisk;
        this.totalDisk = totalDisk;
        this.availableMemory = availableMemory;
        this.totalMemory = totalMemory;
    }

    /** Measures the file system holding {@code workRoot} and this machine's (or container's) memory. */
    static Admission of(TranscoderConfig.Admission config, Path workRoot) {
        return new Admission(config, () -> store(workRoot, true), () -> store(workRoot, false),
                Admission::memoryAvailable, Admission::memoryTotal);
    }

    /** Input, outputs and intermediates in the scratch directory, plus a reserve. */
    Check disk(long inputBytes) {
        long needed = (long) (Math.max(0, inputBytes) * config.diskFactor()) + (config.diskReserveMb() << 20);
        long available = usableDisk.getAsLong();
        return new Check(!config.enabled() || needed <= available, !config.enabled() || needed <= totalDisk.getAsLong(),
                "scratch disk", needed, available);
    }

    /**
     * Decoded frames in flight: a BGR and a YUV copy of a frame, times the frames queued per output, times the
     * outputs (each has its scaler and encoder lookahead), plus a fixed allowance for codec state.
     */
    Check memory(MediaInfo info, int outputs) {
        long pixels = info.width() == null || info.height() == null ? 0 : (long) info.width() * info.height();
        long perFrame = pixels * 3 + pixels * 3 / 2;
        long needed = perFrame * config.framesInFlight() * Math.max(1, outputs) + (64L << 20) * Math.max(1, outputs);
        long available = availableMemory.getAsLong();
        return new Check(!config.enabled() || needed <= available,
                !config.enabled() || needed <= totalMemory.getAsLong(), "memory", needed, available);
    }

    private static long store(Path dir, boolean usable) {
        try {
            Files.createDirectories(dir);
            var store = Files.getFileStore(dir);
            return usable ? store.getUsableSpace() : store.getTotalSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE; // cannot tell: don't block work on it
        }
    }

    /** MemAvailable (page cache counts as available), bounded by a cgroup v2 limit when the JVM runs in one. */
    static long memoryAvailable() {
        long available = meminfo("MemAvailable:");
        if (available < 0) {
            available = osBean().getFreeMemorySize();
        }
        long limit = cgroup("memory.max");
        long current = cgroup("memory.current");
        if (limit > 0 && current >= 0) {
            available = Math.min(available, limit - current);
        }
        return available;
    }

    static long memoryTotal() {
        long total = osBean().getTotalMemorySize();
        long limit = cgroup("memory.max");
        return limit > 0 ? Math.min(total, limit) : total;
    }

    private static com.sun.management.OperatingSystemMXBean osBean() {
        return (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    }

    private static long meminfo(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    private static long cgroup(String file) {
        try {
            String v = Files.readString(Path.of("/sys/fs/cgroup", file)).trim();
            return v.equals("max") ? -1 : Long.parseLong(v);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}

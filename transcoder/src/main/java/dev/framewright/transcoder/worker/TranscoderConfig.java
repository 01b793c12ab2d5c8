package dev.framewright.transcoder.worker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Transcoder settings; every key can be set as an environment variable (FRAMEWRIGHT_TRANSCODER_...). */
@ConfigMapping(prefix = "framewright.transcoder")
public interface TranscoderConfig {

    /**
     * Jobs one instance runs at once. Each encode already uses every core, so 1 is right for most machines;
     * scale out with more instances in the consumer group instead.
     */
    @WithDefault("1")
    int parallelism();

    /** Scratch space for inputs and outputs while a job runs; cleaned after each job. Empty = the JVM's temp dir. */
    Optional<String> workDir();

    /** Minimum time between two JobProgress events of one job. */
    @WithDefault("1s")
    Duration progressInterval();

    /** Name of this instance in JobStarted events. Empty = host name and process id. */
    Optional<String> workerId();

    /** Video encoding defaults. */
    Video video();

    interface Video {
        /** x264 constant rate factor: lower is better quality and bigger files. */
        @WithDefault("23")
        int crf();

        /** x264 preset; the ffmpeg CLI's default is {@code medium}, {@code veryfast} trades a little size for speed. */
        @WithDefault("veryfast")
        String preset();

        /** AAC bitrate in bits per second. */
        @WithDefault("128000")
        int audioBitrate();
    }
}

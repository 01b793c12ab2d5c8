package dev.framewright.transcoder.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.framewright.events.MediaInfo;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdmissionAndQueuesTest {

    private static final TranscoderConfig.Admission CONFIG = new TranscoderConfig.Admission() {
        public boolean enabled() {
            return true;
        }

        public double diskFactor() {
            return 3.0;
        }

        public long diskReserveMb() {
            return 512;
        }

        public int framesInFlight() {
            return 8;
        }

        public Duration maxWait() {
            return Duration.ofSeconds(60);
        }
    };

    @Test
    void diskNeedsThreeTimesTheInputPlusAReserve() {
        long gib = 1L << 30;
        Admission a = new Admission(CONFIG, () -> 4 * gib, () -> 100 * gib, () -> 8 * gib, () -> 16 * gib);
        assertThat(a.disk(1 * gib).fits()).isTrue(); // 3 GiB + 0.5 GiB <= 4 GiB
        Admission.Check big = a.disk(2 * gib);
        assertThat(big.fits()).isFalse();
        assertThat(big.everFits()).isTrue();
        assertThat(big.describe()).contains("scratch disk", "6656 MiB", "4096 MiB");
        assertThat(a.disk(40 * gib).everFits()).isFalse();
    }

    @Test
    void memoryScalesWithPixelsAndOutputs() {
        long gib = 1L << 30;
        MediaInfo uhd = MediaInfo.summary("mp4", 10.0, 3840, 2160, "h264", 25.0, null, null, null);
        Admission plenty = new Admission(CONFIG, () -> gib, () -> gib, () -> 8 * gib, () -> 16 * gib);
        assertThat(plenty.memory(uhd, 2).fits()).isTrue();
        // 3840x2160 x 4.5 bytes x 8 frames x 6 outputs ≈ 1.8 GiB + 384 MiB codec allowance
        Admission tight = new Admission(CONFIG, () -> gib, () -> gib, () -> 1 * gib, () -> 16 * gib);
        assertThat(tight.memory(uhd, 6).fits()).isFalse();
        assertThat(tight.memory(uhd, 6).everFits()).isTrue();
        MediaInfo audio = MediaInfo.summary("mp3", 10.0, null, null, null, null, "mp3", 44100, 2);
        assertThat(tight.memory(audio, 1).fits()).isTrue();
    }

    @Test
    void queuesBecomeRequestTopics() {
        assertThat(QueueTopicsConfigSourceFactory.topics("default"))
                .isEqualTo("framewright.job-requests.default.v1");
        assertThat(QueueTopicsConfigSourceFactory.topics(" default, gpu ,default"))
                .isEqualTo("framewright.job-requests.default.v1,framewright.job-requests.gpu.v1");
        assertThatThrownBy(() -> QueueTopicsConfigSourceFactory.topics("Bad Queue"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

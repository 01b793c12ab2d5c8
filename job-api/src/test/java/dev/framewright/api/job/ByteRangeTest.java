package dev.framewright.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void resolvesTheFormsPlayersSend() {
        assertThat(ByteRange.parse("bytes=0-99", 1000)).isEqualTo(new ByteRange(0, 99));
        assertThat(ByteRange.parse("bytes=500-", 1000)).isEqualTo(new ByteRange(500, 999));
        assertThat(ByteRange.parse("bytes=-100", 1000)).isEqualTo(new ByteRange(900, 999));
        assertThat(ByteRange.parse("bytes=900-5000", 1000)).isEqualTo(new ByteRange(900, 999));
        assertThat(ByteRange.parse("bytes=-5000", 1000)).isEqualTo(new ByteRange(0, 999));
    }

    @Test
    void servesTheWholeFileForNoOrMalformedOrMultipleRanges() {
        assertThat(ByteRange.parse(null, 1000)).isNull();
        assertThat(ByteRange.parse("bytes=-", 1000)).isNull();
        assertThat(ByteRange.parse("items=0-1", 1000)).isNull();
        assertThat(ByteRange.parse("bytes=0-1,5-9", 1000)).isNull();
        assertThat(ByteRange.parse("bytes=99999999999999999999-", 1000)).isNull();
    }

    @Test
    void refusesRangesOutsideTheFile() {
        assertThat(ByteRange.parse("bytes=1000-", 1000)).isSameAs(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=5-2", 1000)).isSameAs(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=-0", 1000)).isSameAs(ByteRange.UNSATISFIABLE);
    }

    @Test
    void describesItselfForS3AndTheResponse() {
        ByteRange range = new ByteRange(10, 19);
        assertThat(range.length()).isEqualTo(10);
        assertThat(range.header()).isEqualTo("bytes=10-19");
        assertThat(range.contentRange(100)).isEqualTo("bytes 10-19/100");
    }
}

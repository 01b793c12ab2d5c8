package dev.framewright.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class JobEventsChannelTest {

    @Test
    void manyJobIdsAreSplitIntoPayloadsPostgresAcceptsAndReadBackExactly() {
        List<UUID> ids = IntStream.range(0, 1000).mapToObj(i -> UUID.randomUUID()).toList();
        List<String> payloads = JobEventsChannel.payloads(ids);
        assertThat(payloads).hasSizeGreaterThan(1)
                .allSatisfy(p -> assertThat(p.getBytes(StandardCharsets.UTF_8).length)
                        .isLessThanOrEqualTo(JobEventsChannel.MAX_PAYLOAD_BYTES));
        Set<UUID> read = new HashSet<>();
        payloads.forEach(p -> read.addAll(JobEventsChannel.jobIds(p)));
        assertThat(read).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void anEmptyOrUnreadablePayloadMeansAnyJob() {
        assertThat(JobEventsChannel.payloads(List.of())).isEmpty();
        assertThat(JobEventsChannel.jobIds("")).isNull();
        assertThat(JobEventsChannel.jobIds("v2:whatever")).isNull();
        UUID id = UUID.randomUUID();
        assertThat(JobEventsChannel.jobIds(id.toString())).containsExactly(id);
    }
}

package dev.framewright.transcoder.oneshot;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.framewright.events.JobEventJson;
import dev.framewright.events.JobRequested;
import java.util.UUID;

/**
 * A work item file as the one-shot mode reads it: the {@code JobRequested} JSON that {@link JobEventJson} writes
 * (the body of a request record). One that does not map to a request is {@link Malformed}, keeping the job id and
 * tenant when they can be read, so the job can still be told it failed.
 */
public sealed interface WorkItem {

    /** Larger than any request record the broker takes by default (1 MiB): not a work item. */
    int MAX_BYTES = 1024 * 1024;

    record Request(JobRequested job) implements WorkItem {
    }

    /**
     * @param jobId  the item's {@code jobId} when it is a UUID, else null
     * @param tenant the item's {@code tenant} when it is a string, else null
     * @param reason what is wrong, short, for the log and the JobFailed
     */
    record Malformed(UUID jobId, String tenant, String reason) implements WorkItem {
    }

    static WorkItem parse(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            return new Malformed(null, null, "The work item takes " + bytes.length + " bytes, more than " + MAX_BYTES);
        }
        JsonNode tree;
        try {
            tree = JobEventJson.mapper().readTree(bytes);
        } catch (JacksonException e) {
            return new Malformed(null, null, "The work item is not JSON: " + shortly(e));
        } catch (java.io.IOException e) {
            return new Malformed(null, null, "The work item could not be read: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            return new Malformed(null, null, "The work item is not a JSON object");
        }
        try {
            return new Request(JobEventJson.mapper().treeToValue(tree, JobRequested.class));
        } catch (JacksonException | IllegalArgumentException e) {
            return new Malformed(uuid(tree.get("jobId")), text(tree.get("tenant")),
                    "The work item is not a JobRequested: " + shortly(e));
        }
    }

    private static UUID uuid(JsonNode node) {
        try {
            return node != null && node.isTextual() ? UUID.fromString(node.asText()) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }

    /** Jackson's message without the source excerpt it appends (the item's bytes), and bounded. */
    private static String shortly(Exception e) {
        String m = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
        m = m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse("");
        return m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }
}

package dev.framewright.events;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The PostgreSQL notification channel between the projector (which {@code pg_notify}s it in each fold's transaction)
 * and job-api (which {@code LISTEN}s and wakes the Server-Sent Event streams of the jobs named). A payload is the
 * changed job ids, comma-separated; an empty payload means "any job may have changed".
 */
public final class JobEventsChannel {

    /** The channel's name. */
    public static final String NAME = "framewright_job_events";

    /** PostgreSQL refuses payloads of 8000 bytes or more; a little room is left. */
    public static final int MAX_PAYLOAD_BYTES = 7900;

    private JobEventsChannel() {
    }

    /** The payloads that name every job id once, each within {@link #MAX_PAYLOAD_BYTES}. */
    public static List<String> payloads(Collection<UUID> jobIds) {
        List<String> payloads = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (UUID id : new LinkedHashSet<>(jobIds)) {
            String text = id.toString(); // ASCII: chars are bytes
            if (current.length() > 0 && current.length() + 1 + text.length() > MAX_PAYLOAD_BYTES) {
                payloads.add(current.toString());
                current.setLength(0);
            }
            if (current.length() > 0) {
                current.append(',');
            }
            current.append(text);
        }
        if (current.length() > 0) {
            payloads.add(current.toString());
        }
        return payloads;
    }

    /**
     * The job ids a payload names; {@code null} for "any job" (an empty payload, or one this reader cannot parse, so
     * that a newer writer's format wakes too many streams rather than too few).
     */
    public static Set<UUID> jobIds(String payload) {
        if (payload == null || payload.isBlank()) {
            return null;
        }
        Set<UUID> ids = new HashSet<>();
        for (String part : payload.split(",")) {
            try {
                ids.add(UUID.fromString(part.trim()));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return ids;
    }
}

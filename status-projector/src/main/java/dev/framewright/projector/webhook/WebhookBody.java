package dev.framewright.projector.webhook;

import dev.framewright.events.JobEvent;
import dev.framewright.projector.fold.JobRow;
import dev.framewright.projector.fold.OutputState;
import dev.framewright.projector.store.JsonValues;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The notification a receiver gets, built when the event is folded (so it shows the job as the event left it). The
 * dispatcher adds the delivery {@code id} before signing. The envelope is snake_case like the HTTP API; {@code event}
 * is the event exactly as the job-events contract writes it (camelCase), as the SSE history serves it.
 */
public final class WebhookBody {

    private WebhookBody() {
    }

    public static JsonObject of(JobRow row, JobEvent event, Instant createdAt) {
        JsonArray outputs = new JsonArray();
        for (OutputState o : row.outputs) {
            JsonObject summary = new JsonObject()
                    .put("name", o.name())
                    .put("type", o.type())
                    .put("status", o.status())
                    .put("files", o.files().size());
            if (o.error() != null) {
                summary.put("error", new JsonObject().put("code", o.error().code()).put("message", o.error().message()));
            }
            outputs.add(summary);
        }
        JsonObject job = new JsonObject()
                .put("id", row.id.toString())
                .put("tenant", row.tenant)
                .put("status", row.status)
                .put("queue", row.queue)
                .put("labels", new JsonObject(new java.util.LinkedHashMap<>(row.labels)))
                .put("attempt", row.attempt)
                .put("progress", row.progressPercent)
                .put("outputs", outputs);
        if (row.errorCode != null) {
            job.put("error", new JsonObject().put("code", row.errorCode).put("message", row.errorMessage));
        }
        return new JsonObject()
                .put("type", event.type())
                .put("created_at", createdAt.toString())
                .put("job", job)
                .put("event", JsonValues.toJsonObject(event));
    }
}

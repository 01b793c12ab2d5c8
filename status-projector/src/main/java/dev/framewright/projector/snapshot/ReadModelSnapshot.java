package dev.framewright.projector.snapshot;

/**
 * The comparable state of every job in the read model, for checking that two folds of the same events (a replay,
 * another order, a rebuilt database) agree. One row per job, ordered by id: {@code id uuid, state jsonb} where state
 * is every {@code jobs} column but {@code updated_at}, plus the set of folded event ids (with type and attempt,
 * ordered by event id, not by seq) and the set of queued webhook notifications (event id, url, type; not their
 * delivery progress). Plain SQL without parameters, so it runs from JDBC, psql or the reactive client alike.
 *
 * <p>{@code created_at} is the earliest event time, or job-api's seed time where job-api seeded the row: compare
 * a replay with a live database after removing it ({@code state - 'created_at'}).
 */
public final class ReadModelSnapshot {

    public static final String SQL = """
            SELECT j.id,
                   (to_jsonb(j) - 'updated_at')
                   || jsonb_build_object(
                        'events', coalesce((SELECT jsonb_agg(jsonb_build_array(e.event_id, e.type, e.attempt)
                                                             ORDER BY e.event_id)
                                            FROM job_events e WHERE e.job_id = j.id), '[]'::jsonb),
                        'webhooks', coalesce((SELECT jsonb_agg(jsonb_build_array(w.event_id, w.url, w.event_type)
                                                               ORDER BY w.event_id, w.url)
                                              FROM webhook_deliveries w WHERE w.job_id = j.id), '[]'::jsonb)
                      ) AS state
            FROM jobs j
            ORDER BY j.id""";

    private ReadModelSnapshot() {
    }
}

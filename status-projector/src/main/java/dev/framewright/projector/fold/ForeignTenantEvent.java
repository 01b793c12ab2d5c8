package dev.framewright.projector.fold;

import dev.framewright.events.JobEvent;

/**
 * An event whose tenant is not the tenant of the job it names. Only a record written past the API can say so (a
 * hostile or broken producer on the topics); it must not touch the job, so the fold refuses it and the projector
 * parks it (reason {@value #REASON}) like any record it cannot fold.
 */
public final class ForeignTenantEvent extends IllegalArgumentException {

    public static final String REASON = "tenant_mismatch";

    ForeignTenantEvent(JobEvent event, String owner) {
        super("The event " + event.eventId() + " names job " + event.jobId() + " of another tenant (the event says '"
                + event.tenant() + "', the job belongs to '" + owner + "')");
    }
}

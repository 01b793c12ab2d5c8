package dev.framewright.projector.admin;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.framewright.projector.ProjectorConfig;
import dev.framewright.projector.park.ParkedRecord;
import dev.framewright.projector.park.ParkedRecords;
import dev.framewright.projector.park.Reapplier;
import dev.framewright.projector.park.Reapplier.Outcome;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Operator endpoints of the projector (port 8082, never the public job-api): list parked records, and re-apply one
 * or all of them after a fix. {@code curl -X POST localhost:8082/admin/parked/reapply} is the documented command.
 */
@Path("/admin/parked")
@Produces(MediaType.APPLICATION_JSON)
public class ParkedResource {

    private static final String PROBLEM = "application/problem+json";

    private final ParkedRecords parked;
    private final Reapplier reapplier;
    private final Optional<String> token;

    public ParkedResource(ParkedRecords parked, Reapplier reapplier, ProjectorConfig config) {
        this.parked = parked;
        this.reapplier = reapplier;
        this.token = config.adminToken().filter(t -> !t.isBlank());
    }

    /** A parked record as the operator sees it; {@code payload} is the body as text when it is UTF-8. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record View(long id, String topic, int partition, long offset, String key, String ceType,
            String errorClass, String errorCode, String sqlState, String errorMessage, UUID jobId, String tenant,
            Instant parkedAt, Instant reappliedAt, int reapplyAttempts, int payloadBytes, String payload,
            String payloadBase64) {

        static View of(ParkedRecord r, boolean withPayload) {
            byte[] p = r.payload();
            String text = withPayload && p != null ? utf8(p) : null;
            String base64 = withPayload && p != null && text == null ? Base64.getEncoder().encodeToString(p) : null;
            return new View(r.id(), r.topic(), r.partition(), r.offset(), r.key(), r.ceType(), r.errorClass(),
                    r.errorCode(), r.sqlState(), r.errorMessage(), r.jobId(), r.tenant(), r.parkedAt(),
                    r.reappliedAt(), r.reapplyAttempts(), p == null ? 0 : p.length, text, base64);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ReapplyView(long id, String outcome, String errorCode, String errorMessage) {

        static ReapplyView of(Reapplier.Result r) {
            return new ReapplyView(r.id(), r.outcome().name().toLowerCase(), r.errorCode(), r.errorMessage());
        }
    }

    @GET
    public Uni<Response> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
            @QueryParam("after") @DefaultValue("0") long after, @QueryParam("limit") @DefaultValue("100") int limit,
            @QueryParam("all") @DefaultValue("false") boolean all) {
        if (!allowed(auth)) {
            return Uni.createFrom().item(unauthorized());
        }
        return parked.list(after, Math.max(1, Math.min(limit, 1000)), all)
                .map(rs -> Response.ok(rs.stream().map(r -> View.of(r, false)).toList()).build());
    }

    @GET
    @Path("/{id}")
    public Uni<Response> get(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("id") long id) {
        if (!allowed(auth)) {
            return Uni.createFrom().item(unauthorized());
        }
        return parked.get(id).map(r -> r.map(p -> Response.ok(View.of(p, true)).build()).orElseGet(() -> notFound(id)));
    }

    /** 200 with the outcome: {@code reapplied}, {@code still_parked} (with the new reason) or {@code already_reapplied}. */
    @POST
    @Path("/{id}/reapply")
    public Uni<Response> reapply(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("id") long id) {
        if (!allowed(auth)) {
            return Uni.createFrom().item(unauthorized());
        }
        return reapplier.reapply(id).map(r -> r.outcome() == Outcome.NOT_FOUND ? notFound(id)
                : Response.ok(ReapplyView.of(r)).build()).onFailure().recoverWithItem(ParkedResource::unavailable);
    }

    /** Every unresolved record, oldest first (at most {@code limit} per call). */
    @POST
    @Path("/reapply")
    public Uni<Response> reapplyAll(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
            @QueryParam("limit") @DefaultValue("1000") int limit) {
        if (!allowed(auth)) {
            return Uni.createFrom().item(unauthorized());
        }
        return reapplier.reapplyAll(Math.max(1, Math.min(limit, 10_000))).map(results -> {
            long reapplied = results.stream().filter(r -> r.outcome() == Outcome.REAPPLIED).count();
            List<ReapplyView> views = results.stream().map(ReapplyView::of).toList();
            return Response.ok(Map.of("reapplied", reapplied, "still_parked", results.size() - reapplied,
                    "results", views)).build();
        }).onFailure().recoverWithItem(ParkedResource::unavailable);
    }

    private boolean allowed(String auth) {
        if (token.isEmpty()) {
            return true;
        }
        String expected = "Bearer " + token.get();
        return auth != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                auth.getBytes(StandardCharsets.UTF_8));
    }

    private static Response unauthorized() {
        return Response.status(401).type(PROBLEM).entity(Map.of("type", "about:blank", "title", "Unauthorized",
                "status", 401, "code", "unauthorized")).build();
    }

    /** The database failed transiently (a failure the record causes keeps it parked, with 200): try again. */
    private static Response unavailable(Throwable failure) {
        return Response.status(503).type(PROBLEM).entity(Map.of("type", "about:blank", "title", "Service Unavailable",
                "status", 503, "code", "database_unavailable", "detail", String.valueOf(failure.getMessage())))
                .build();
    }

    private static Response notFound(long id) {
        return Response.status(404).type(PROBLEM).entity(Map.of("type", "about:blank", "title", "Not Found",
                "status", 404, "code", "not_found", "detail", "No parked record " + id)).build();
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}

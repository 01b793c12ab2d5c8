package dev.framewright.api.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * The server span of a submission ({@code POST /v1/jobs}): its context goes with {@code JobRequested} into Kafka, so
 * the transcoder's and projector's spans of the job join the same trace. A span on the worker thread that runs the
 * submission, where the publish happens (the HTTP layer's own threads are not where the Kafka send is made).
 */
@TracedSubmission
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class SubmissionTracing {

    private static final TextMapGetter<HttpServerRequest> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpServerRequest request) {
            return request.headers().names();
        }

        @Override
        public String get(HttpServerRequest request, String key) {
            return request == null ? null : request.getHeader(key);
        }
    };

    @Inject
    OpenTelemetry openTelemetry;

    @Inject
    Tracer tracer;

    @Inject
    CurrentVertxRequest current;

    @AroundInvoke
    Object trace(InvocationContext invocation) throws Exception {
        HttpServerRequest request = current.getCurrent() == null ? null : current.getCurrent().request();
        Context parent = request == null ? Context.current()
                : openTelemetry.getPropagators().getTextMapPropagator().extract(Context.current(), request, HEADERS);
        Span span = tracer.spanBuilder(request == null ? "submit job" : request.method() + " " + request.path())
                .setParent(parent).setSpanKind(SpanKind.SERVER).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            return invocation.proceed();
        } catch (Exception e) {
            span.setStatus(StatusCode.ERROR, e.toString());
            throw e;
        } finally {
            span.end();
        }
    }
}

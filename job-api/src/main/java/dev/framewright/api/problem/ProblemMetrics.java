package dev.framewright.api.problem;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Counts every problem answered, by its stable {@code code} and status: rejections of submissions (invalid_spec,
 * rate_limited, payload_too_large…) as well as reads (not_found). Codes are a fixed set, so the series are bounded.
 */
@ApplicationScoped
public class ProblemMetrics {

    private final MeterRegistry registry;

    public ProblemMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @ServerResponseFilter
    public void count(ContainerResponseContext response) {
        if (response.getEntity() instanceof Problem problem) {
            count(problem);
        }
    }

    /** For problems answered outside JAX-RS (the request-body limit). */
    public void count(Problem problem) {
        Counter.builder("framewright.api.problems").description("Problem responses, by code and status")
                .tag("code", problem.code() == null ? "unknown" : problem.code())
                .tag("status", Integer.toString(problem.status())).register(registry).increment();
    }
}

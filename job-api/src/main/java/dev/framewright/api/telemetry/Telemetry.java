package dev.framewright.api.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The OpenTelemetry SDK, configured by the standard {@code OTEL_*} environment variables and off unless
 * {@code OTEL_SDK_DISABLED=false}. The Kafka connector finds this bean and traces every record it sends
 * (W3C {@code traceparent} headers). Plain SDK rather than quarkus-opentelemetry: see OPERATIONS.md, "Traces".
 */
@ApplicationScoped
public class Telemetry {

    public static final String JOB_ID = "framewright.job.id";

    @Produces
    @Singleton
    OpenTelemetry openTelemetry(@ConfigProperty(name = "quarkus.application.name") String service) {
        return AutoConfiguredOpenTelemetrySdk.builder()
                // Defaults; OTEL_* environment variables and -Dotel.* override them.
                .addPropertiesSupplier(() -> Map.of(
                        "otel.sdk.disabled", "true",
                        "otel.service.name", service,
                        "otel.traces.exporter", "otlp",
                        "otel.metrics.exporter", "none", // metrics are Prometheus' (/q/metrics)
                        "otel.logs.exporter", "none"))
                .build()
                .getOpenTelemetrySdk();
    }

    void close(@Disposes OpenTelemetry openTelemetry) {
        if (openTelemetry instanceof OpenTelemetrySdk sdk) {
            sdk.close();
        }
    }

    @Produces
    @Singleton
    Tracer tracer(OpenTelemetry openTelemetry) {
        return openTelemetry.getTracer("dev.framewright");
    }
}

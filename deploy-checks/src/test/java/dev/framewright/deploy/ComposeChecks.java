package dev.framewright.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.framewright.events.Topics;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Cross-checks of docker-compose.yml against the services' configuration and Dockerfiles. */
final class ComposeChecks {

    private static final Set<String> CONDITIONS = Set.of("service_started", "service_healthy", "service_completed_successfully");
    private static final Pattern HEALTH_URL = Pattern.compile("(?:/dev/tcp/127\\.0\\.0\\.1/|localhost:|127\\.0\\.0\\.1:)(\\d+)");

    private ComposeChecks() {
    }

    static List<String> check(ObjectNode compose, Map<String, ServiceConfig> services) {
        List<String> problems = new ArrayList<>();
        JsonNode all = compose.path("services");
        all.fields().forEachRemaining(entry -> {
            String name = entry.getKey();
            JsonNode s = entry.getValue();
            String image = s.path("image").asText();
            if (!s.has("build") && (Kustomize.splitImage(image)[1] == null || image.endsWith(":latest"))) {
                problems.add(name + ": image " + image + " is not pinned to a tag");
            }
            s.path("depends_on").fields().forEachRemaining(dep -> {
                JsonNode target = all.path(dep.getKey());
                String condition = dep.getValue().path("condition").asText();
                if (target.isMissingNode()) {
                    problems.add(name + ": depends on unknown service " + dep.getKey());
                } else if (!CONDITIONS.contains(condition)) {
                    problems.add(name + ": depends_on " + dep.getKey() + " has no valid condition (" + condition + ")");
                } else if (condition.equals("service_healthy") && !target.has("healthcheck")) {
                    problems.add(name + ": waits for " + dep.getKey() + " to be healthy, which has no healthcheck");
                } else if (condition.equals("service_completed_successfully") && !"no".equals(target.path("restart").asText("no"))) {
                    problems.add(name + ": waits for one-shot " + dep.getKey() + " to complete, but it restarts");
                }
            });
        });
        for (ServiceConfig svc : services.values()) {
            JsonNode s = all.path(svc.module);
            if (s.isMissingNode()) {
                problems.add(svc.module + ": not in docker-compose.yml");
                continue;
            }
            String context = s.path("build").path("context").asText();
            String dockerfile = s.path("build").path("dockerfile").asText();
            if (!context.equals("./" + svc.module) || !Files.isRegularFile(svc.dir.resolve(dockerfile))) {
                problems.add(svc.module + ": must build from ./" + svc.module + " with its src/main/docker/Dockerfile.jvm");
            }
            s.path("environment").fieldNames().forEachRemaining(var -> {
                if (!svc.readsEnv(var)) {
                    problems.add(svc.module + ": environment " + var + " is not read by " + svc.module);
                }
            });
            boolean published = false;
            for (JsonNode port : s.path("ports")) {
                String[] parts = port.asText().split(":");
                published |= Integer.parseInt(parts[parts.length - 1]) == svc.httpPort();
            }
            if (!published) {
                problems.add(svc.module + ": does not publish quarkus.http.port " + svc.httpPort());
            }
            String test = textOf(s.path("healthcheck").path("test"));
            Matcher port = HEALTH_URL.matcher(test);
            if (!test.contains("/q/health/ready") || !port.find() || Integer.parseInt(port.group(1)) != svc.httpPort()) {
                problems.add(svc.module + ": healthcheck must GET /q/health/ready on port " + svc.httpPort() + ": " + test);
            }
            Set<String> deps = new TreeSet<>();
            s.path("depends_on").fieldNames().forEachRemaining(deps::add);
            if (!deps.contains("kafka-init")) {
                problems.add(svc.module + ": must wait for kafka-init (its topics)");
            }
            if (svc.readsEnv("QUARKUS_DATASOURCE_REACTIVE_URL") && !deps.contains("postgres")) {
                problems.add(svc.module + ": must wait for postgres");
            }
            if (svc.readsEnv("FRAMEWRIGHT_S3_BUCKET") && !deps.contains("minio-init")) {
                problems.add(svc.module + ": must wait for minio-init (its bucket)");
            }
            if (s.path("environment").has("FRAMEWRIGHT_S3_BUCKET")
                    && !textOf(all.path("minio-init").path("command")).contains("local/" + s.path("environment").path("FRAMEWRIGHT_S3_BUCKET").asText())) {
                problems.add(svc.module + ": its bucket is not created by minio-init");
            }
        }
        // Every topic of the contract and of the queues job-api accepts, with the contract's partition count.
        String init = textOf(all.path("kafka-init").path("command")) + " " + textOf(all.path("kafka-init").path("entrypoint"));
        String queues = all.path("job-api").path("environment").path("FRAMEWRIGHT_QUEUES")
                .asText(services.get("job-api").property("framewright.queues"));
        Set<String> topics = new TreeSet<>(List.of(Topics.JOB_LIFECYCLE, Topics.DEAD_LETTER));
        K8sChecks.split(queues).forEach(q -> topics.add(Topics.requests(q)));
        for (String topic : topics) {
            if (!Pattern.compile("(^|[\\s;])" + Pattern.quote(topic) + "([\\s;]|$)").matcher(init).find()) {
                problems.add("kafka-init: does not create " + topic);
            }
        }
        if (!init.contains("--partitions " + Topics.DEFAULT_PARTITIONS)) {
            problems.add("kafka-init: topics need " + Topics.DEFAULT_PARTITIONS + " partitions");
        }
        String consumed = all.path("transcoder").path("environment").path("FRAMEWRIGHT_TRANSCODER_QUEUES").asText("default");
        for (String q : K8sChecks.split(queues)) {
            if (!K8sChecks.split(consumed).contains(q)) {
                problems.add("transcoder: does not consume queue " + q + " that job-api accepts");
            }
        }
        String grace = all.path("transcoder").path("stop_grace_period").asText("10s");
        if (K8sChecks.duration(grace).compareTo(K8sChecks.duration(services.get("transcoder").property("quarkus.shutdown.timeout"))) <= 0) {
            problems.add("transcoder: stop_grace_period " + grace + " must exceed quarkus.shutdown.timeout");
        }
        return problems;
    }

    /** A YAML string or list of strings as one string. */
    static String textOf(JsonNode node) {
        if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            node.forEach(n -> parts.add(n.asText()));
            return String.join(" ", parts);
        }
        return node.asText();
    }
}

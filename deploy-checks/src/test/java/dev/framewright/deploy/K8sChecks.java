package dev.framewright.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.framewright.events.Topics;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cross-checks of rendered Kubernetes manifests against the services' own configuration. Each check adds a
 * sentence to {@link #problems}; the tests assert there are none (and that a drifted manifest produces one).
 */
final class K8sChecks {

    static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "CronJob", "Job", "ScaledJob");
    static final Map<String, String> PROBES = Map.of(
            "readinessProbe", "/q/health/ready", "livenessProbe", "/q/health/live", "startupProbe", "/q/health/started");

    private final List<ObjectNode> docs;
    private final Set<String> externalSecrets;
    private final Map<String, ServiceConfig> services;
    final List<String> problems = new ArrayList<>();

    private K8sChecks(List<ObjectNode> docs, Set<String> externalSecrets, Map<String, ServiceConfig> services) {
        this.docs = docs;
        this.externalSecrets = externalSecrets;
        this.services = services;
    }

    /**
     * @param externalSecrets Secrets the overlay expects to exist in the cluster rather than render
     */
    static List<String> check(List<ObjectNode> docs, Set<String> externalSecrets, Map<String, ServiceConfig> services) {
        K8sChecks c = new K8sChecks(docs, externalSecrets, services);
        c.run();
        return c.problems;
    }

    private void run() {
        for (ObjectNode d : docs) {
            if (WORKLOADS.contains(kind(d))) {
                workload(d);
            }
            switch (kind(d)) {
                case "Service" -> service(d);
                case "PodDisruptionBudget" -> pdb(d);
                case "HorizontalPodAutoscaler" -> hpa(d);
                case "ScaledObject" -> scaledObject(d);
                case "ScaledJob" -> scaledJob(d);
                case "KafkaTopic" -> kafkaTopic(d);
                default -> {
                }
            }
        }
        topicsAndQueues();
        for (ObjectNode d : docs) {
            boolean transcoderSet = kind(d).equals("StatefulSet") && "transcoder".equals(moduleOf(d).orElse(null));
            if (transcoderSet && docs.stream().filter(p -> kind(p).equals("PodDisruptionBudget"))
                    .noneMatch(p -> selects(p.path("spec").path("selector").path("matchLabels"), d))) {
                problems.add(Kustomize.id(d) + ": no PodDisruptionBudget selects its pods");
            }
        }
    }

    // --- workloads ---

    private void workload(ObjectNode d) {
        String id = Kustomize.id(d);
        JsonNode pod = Kustomize.podSpec(d);
        Optional<String> module = moduleOf(d);
        for (ObjectNode c : Kustomize.containers(d)) {
            String where = id + " container " + c.path("name").asText();
            envRefs(where, c);
            if (module.isEmpty()) {
                continue;
            }
            ServiceConfig svc = services.get(module.get());
            String tag = Kustomize.splitImage(c.path("image").asText())[1];
            if (tag == null || tag.equals("latest")) {
                problems.add(where + ": image " + c.path("image").asText() + " is not pinned to a tag");
            }
            for (JsonNode e : c.path("env")) {
                String name = e.path("name").asText();
                if (!svc.readsEnv(name)) {
                    problems.add(where + ": env " + name + " is not read by " + svc.module);
                }
            }
            if (!c.path("resources").path("requests").has("cpu") || !c.path("resources").path("requests").has("memory")
                    || !c.path("resources").path("limits").has("memory")) {
                problems.add(where + ": needs cpu and memory requests and a memory limit");
            }
            if (!pod.path("securityContext").path("runAsNonRoot").asBoolean(false)) {
                problems.add(id + ": pods must set securityContext.runAsNonRoot");
            }
            if (kind(d).equals("Deployment") || kind(d).equals("StatefulSet")) {
                server(where, c, svc);
            } else {
                command(where, c, svc);
            }
        }
        if (module.isPresent() && module.get().equals("transcoder") && !Set.of("CronJob", "Job", "ScaledJob").contains(kind(d))) {
            transcoder(d, services.get("transcoder"));
        }
    }

    /** A long-running service: its port, its probes. */
    private void server(String where, ObjectNode c, ServiceConfig svc) {
        JsonNode http = null;
        for (JsonNode p : c.path("ports")) {
            if (p.path("name").asText().equals("http")) {
                http = p;
            }
        }
        if (http == null || http.path("containerPort").asInt() != svc.httpPort()) {
            problems.add(where + ": needs a port named http = quarkus.http.port " + svc.httpPort());
        }
        for (Map.Entry<String, String> probe : PROBES.entrySet()) {
            JsonNode get = c.path(probe.getKey()).path("httpGet");
            if (get.isMissingNode()) {
                if (!probe.getKey().equals("startupProbe")) {
                    problems.add(where + ": no " + probe.getKey());
                }
                continue;
            }
            if (!get.path("path").asText().equals(probe.getValue())) {
                problems.add(where + ": " + probe.getKey() + " path " + get.path("path").asText() + ", expected " + probe.getValue());
            }
            if (!portOf(c, get.path("port")).equals(Optional.of(svc.httpPort()))) {
                problems.add(where + ": " + probe.getKey() + " port " + get.path("port").asText() + " is not " + svc.httpPort());
            }
        }
    }

    /** A one-off command in a service image: the main class it runs exists in the module. */
    private void command(String where, ObjectNode c, ServiceConfig svc) {
        for (JsonNode arg : c.path("command")) {
            String a = arg.asText();
            if (a.matches("dev\\.framewright(\\.\\w+)+")) {
                if (!Files.isRegularFile(svc.dir.resolve("src/main/java/" + a.replace('.', '/') + ".java"))) {
                    problems.add(where + ": main class " + a + " is not in " + svc.module);
                }
            }
        }
    }

    private void transcoder(ObjectNode d, ServiceConfig svc) {
        String id = Kustomize.id(d);
        if (!kind(d).equals("StatefulSet")) {
            problems.add(id + ": the transcoder runs as a StatefulSet (stable pod names for static membership)");
        }
        ObjectNode c = Kustomize.containers(d).get(0);
        JsonNode instance = env(c, "FRAMEWRIGHT_TRANSCODER_INSTANCE_ID");
        if (instance == null || !instance.path("valueFrom").path("fieldRef").path("fieldPath").asText().equals("metadata.name")) {
            problems.add(id + ": FRAMEWRIGHT_TRANSCODER_INSTANCE_ID must come from metadata.name");
        }
        long grace = Kustomize.podSpec(d).path("terminationGracePeriodSeconds").asLong(30);
        Duration shutdown = duration(svc.property("quarkus.shutdown.timeout"));
        Duration jobGrace = duration(withDefault(svc, "shutdownGrace"));
        if (!(grace > shutdown.toSeconds() && shutdown.compareTo(jobGrace) > 0)) {
            problems.add(id + ": needs terminationGracePeriodSeconds (" + grace + ") > quarkus.shutdown.timeout ("
                    + shutdown + ") > shutdown-grace (" + jobGrace + ")");
        }
    }

    /** configMapKeyRef and secretKeyRef resolve to a key of a rendered ConfigMap or Secret (or an external Secret). */
    private void envRefs(String where, ObjectNode c) {
        List<String> names = new ArrayList<>();
        for (JsonNode e : c.path("env")) {
            if (names.contains(e.path("name").asText())) {
                problems.add(where + ": env " + e.path("name").asText() + " set twice");
            }
            names.add(e.path("name").asText());
            JsonNode cm = e.path("valueFrom").path("configMapKeyRef");
            if (!cm.isMissingNode() && configMapValue(cm.path("name").asText(), cm.path("key").asText()) == null) {
                problems.add(where + ": env " + e.path("name").asText() + " refers to missing ConfigMap key "
                        + cm.path("name").asText() + "/" + cm.path("key").asText());
            }
            JsonNode s = e.path("valueFrom").path("secretKeyRef");
            if (!s.isMissingNode() && !externalSecrets.contains(s.path("name").asText())) {
                Optional<ObjectNode> secret = find("Secret", s.path("name").asText());
                String key = s.path("key").asText();
                if (secret.isEmpty() || !(secret.get().path("data").has(key) || secret.get().path("stringData").has(key))) {
                    problems.add(where + ": env " + e.path("name").asText() + " refers to missing Secret key "
                            + s.path("name").asText() + "/" + key);
                }
            }
        }
        if (c.has("envFrom")) {
            problems.add(where + ": envFrom sets variables nobody checks; map each key with env instead");
        }
    }

    // --- services, budgets, autoscalers ---

    private void service(ObjectNode s) {
        JsonNode selector = s.path("spec").path("selector");
        List<ObjectNode> matched = docs.stream().filter(d -> WORKLOADS.contains(kind(d)) && selects(selector, d)).toList();
        if (selector.isEmpty() || matched.isEmpty()) {
            problems.add(Kustomize.id(s) + ": selector " + selector + " matches no workload's pods");
        }
        for (JsonNode port : s.path("spec").path("ports")) {
            for (ObjectNode w : matched) {
                boolean found = Kustomize.containers(w).stream().anyMatch(c -> portOf(c, port.path("targetPort")).isPresent());
                if (!found) {
                    problems.add(Kustomize.id(s) + ": targetPort " + port.path("targetPort").asText() + " is no port of " + Kustomize.id(w));
                }
            }
        }
    }

    private void pdb(ObjectNode p) {
        long matched = docs.stream()
                .filter(d -> WORKLOADS.contains(kind(d)) && selects(p.path("spec").path("selector").path("matchLabels"), d)).count();
        if (matched != 1) {
            problems.add(Kustomize.id(p) + ": selector matches " + matched + " workloads, expected exactly one");
        }
    }

    private void hpa(ObjectNode h) {
        Optional<ObjectNode> target = target(h);
        if (target.isEmpty()) {
            problems.add(Kustomize.id(h) + ": scaleTargetRef " + h.path("spec").path("scaleTargetRef") + " does not exist");
            return;
        }
        noReplicas(h, target.get());
        for (JsonNode m : h.path("spec").path("metrics")) {
            String resource = m.path("resource").path("name").asText();
            if (!resource.isEmpty() && Kustomize.containers(target.get()).stream()
                    .anyMatch(c -> !c.path("resources").path("requests").has(resource))) {
                problems.add(Kustomize.id(h) + ": scales on " + resource + " utilization, but a container requests no " + resource);
            }
        }
        if (h.path("spec").path("minReplicas").asInt(1) > h.path("spec").path("maxReplicas").asInt()) {
            problems.add(Kustomize.id(h) + ": minReplicas > maxReplicas");
        }
    }

    private void scaledObject(ObjectNode so) {
        String id = Kustomize.id(so);
        Optional<ObjectNode> target = target(so);
        if (target.isEmpty()) {
            problems.add(id + ": scaleTargetRef " + so.path("spec").path("scaleTargetRef") + " does not exist");
            return;
        }
        noReplicas(so, target.get());
        int min = so.path("spec").path("minReplicaCount").asInt(0);
        int max = so.path("spec").path("maxReplicaCount").asInt(100);
        if (min > max) {
            problems.add(id + ": minReplicaCount > maxReplicaCount");
        }
        kafkaTriggers(id, so, target.get(), max);
    }

    /**
     * A KEDA ScaledJob of the transcoder: each pod takes one record of the group and exits (max-jobs 1), as a dynamic
     * member (a pod never comes back under its name), is not restarted in place (its record went back to the group),
     * and has the StatefulSets' shutdown budget. Its Kafka triggers are checked as a ScaledObject's are.
     */
    private void scaledJob(ObjectNode sj) {
        String id = Kustomize.id(sj);
        if (!"transcoder".equals(moduleOf(sj).orElse(null))) {
            return;
        }
        ObjectNode c = Kustomize.containers(sj).get(0);
        if (!envValue(c, "FRAMEWRIGHT_TRANSCODER_MAX_JOBS").orElse("").equals("1")) {
            problems.add(id + ": each pod must take one record (FRAMEWRIGHT_TRANSCODER_MAX_JOBS=1)");
        }
        if (env(c, "FRAMEWRIGHT_TRANSCODER_INSTANCE_ID") != null) {
            problems.add(id + ": a Job's pod must not be a static member (FRAMEWRIGHT_TRANSCODER_INSTANCE_ID)");
        }
        JsonNode pod = Kustomize.podSpec(sj);
        if (!pod.path("restartPolicy").asText().equals("Never")) {
            problems.add(id + ": restartPolicy must be Never (a restarted container would take another record)");
        }
        ServiceConfig svc = services.get("transcoder");
        long grace = pod.path("terminationGracePeriodSeconds").asLong(30);
        Duration shutdown = duration(svc.property("quarkus.shutdown.timeout"));
        if (grace <= shutdown.toSeconds()) {
            problems.add(id + ": needs terminationGracePeriodSeconds (" + grace + ") > quarkus.shutdown.timeout (" + shutdown + ")");
        }
        kafkaTriggers(id, sj, sj, sj.path("spec").path("maxReplicaCount").asInt(100));
    }

    /** The scaler's Kafka triggers measure the transcoder group's lag on a topic its target consumes. */
    private void kafkaTriggers(String id, ObjectNode so, ObjectNode target, int max) {
        ObjectNode c = Kustomize.containers(target).get(0);
        String group = transcoderGroup();
        Set<String> consumed = consumedTopics(target);
        if (!so.path("spec").path("triggers").elements().hasNext()) {
            problems.add(id + ": no triggers");
        }
        for (JsonNode t : so.path("spec").path("triggers")) {
            JsonNode md = t.path("metadata");
            if (!t.path("type").asText().equals("kafka")) {
                problems.add(id + ": trigger " + t.path("type").asText() + " is not kafka");
                continue;
            }
            if (!md.path("consumerGroup").asText().equals(group)) {
                problems.add(id + ": consumerGroup " + md.path("consumerGroup").asText() + " is not the transcoder's group " + group);
            }
            String topic = md.path("topic").asText();
            if (!consumed.contains(topic)) {
                problems.add(id + ": topic " + topic + " is not one " + Kustomize.id(target) + " consumes " + consumed);
            }
            Optional<ObjectNode> kt = docs.stream()
                    .filter(d -> kind(d).equals("KafkaTopic") && d.path("spec").path("topicName").asText().equals(topic)).findFirst();
            if (kt.isEmpty()) {
                problems.add(id + ": topic " + topic + " has no KafkaTopic");
            } else if (max > kt.get().path("spec").path("partitions").asInt()) {
                problems.add(id + ": maxReplicaCount " + max + " exceeds the " + kt.get().path("spec").path("partitions").asInt()
                        + " partitions of " + topic + " (idle consumers)");
            }
            String fromEnv = md.path("bootstrapServersFromEnv").asText();
            if (!md.has("bootstrapServers") && (fromEnv.isEmpty() || env(c, fromEnv) == null)) {
                problems.add(id + ": bootstrapServersFromEnv " + fromEnv + " is not an env var of the target");
            }
        }
    }

    private void kafkaTopic(ObjectNode t) {
        JsonNode spec = t.path("spec");
        String id = Kustomize.id(t);
        if (spec.path("topicName").asText().isEmpty() || spec.path("partitions").asInt() < 1 || spec.path("replicas").asInt() < 1) {
            problems.add(id + ": needs topicName, partitions and replicas");
        }
        if (!spec.path("config").has("cleanup.policy") || !spec.path("config").has("retention.ms")) {
            problems.add(id + ": state cleanup.policy and retention.ms");
        }
        if (t.path("metadata").path("labels").path("strimzi.io/cluster").asText().isEmpty()) {
            problems.add(id + ": no strimzi.io/cluster label");
        }
    }

    /** Every topic of the contract has a KafkaTopic; every queue job-api accepts has a transcoder consuming it. */
    private void topicsAndQueues() {
        Set<String> expected = new java.util.TreeSet<>(List.of(Topics.JOB_LIFECYCLE, Topics.DEAD_LETTER));
        Set<String> consumed = new java.util.TreeSet<>();
        for (ObjectNode d : docs) {
            Optional<String> module = moduleOf(d);
            if (module.isEmpty() || !Set.of("Deployment", "StatefulSet", "ScaledJob").contains(kind(d))) {
                continue;
            }
            if (module.get().equals("job-api")) {
                String queues = envValue(Kustomize.containers(d).get(0), "FRAMEWRIGHT_QUEUES")
                        .orElse(services.get("job-api").property("framewright.queues"));
                split(queues).forEach(q -> expected.add(Topics.requests(q)));
            }
            if (module.get().equals("transcoder")) {
                consumed.addAll(consumedTopics(d));
            }
        }
        for (String topic : expected) {
            long n = docs.stream()
                    .filter(d -> kind(d).equals("KafkaTopic") && d.path("spec").path("topicName").asText().equals(topic)).count();
            if (n != 1) {
                problems.add("topic " + topic + ": " + n + " KafkaTopic resources, expected one");
            }
            if (topic.startsWith("framewright.job-requests.") && !consumed.contains(topic)) {
                problems.add("topic " + topic + ": job-api accepts its queue, but no transcoder consumes it");
            }
        }
    }

    // --- helpers ---

    /** The service module whose image a workload runs ({@code .../job-api:tag} → job-api), if any. */
    static Optional<String> moduleOf(JsonNode d) {
        for (ObjectNode c : Kustomize.containers(d)) {
            String repo = Kustomize.splitImage(c.path("image").asText())[0];
            String last = repo.substring(repo.lastIndexOf('/') + 1);
            if (repo.contains("framewright") && Repo.SERVICES.contains(last)) {
                return Optional.of(last);
            }
        }
        return Optional.empty();
    }

    private Set<String> consumedTopics(JsonNode transcoder) {
        String queues = envValue(Kustomize.containers(transcoder).get(0), "FRAMEWRIGHT_TRANSCODER_QUEUES").orElse("default");
        Set<String> out = new java.util.TreeSet<>();
        split(queues).forEach(q -> out.add(Topics.requests(q)));
        return out;
    }

    /** The group id the transcoder's channel uses: its property, an expansion's default resolved. */
    private String transcoderGroup() {
        String raw = services.get("transcoder").property("mp.messaging.incoming.job-requests.group.id");
        Matcher m = Pattern.compile("\\$\\{[^:}]+:([^}]*)}").matcher(raw);
        return m.matches() ? m.group(1) : raw;
    }

    /** A literal env value, or the ConfigMap value it refers to. */
    private Optional<String> envValue(JsonNode container, String name) {
        JsonNode e = env(container, name);
        if (e == null) {
            return Optional.empty();
        }
        if (e.has("value")) {
            return Optional.of(e.get("value").asText());
        }
        JsonNode cm = e.path("valueFrom").path("configMapKeyRef");
        return Optional.ofNullable(configMapValue(cm.path("name").asText(), cm.path("key").asText()));
    }

    private String configMapValue(String name, String key) {
        return find("ConfigMap", name).map(cm -> cm.path("data").path(key)).filter(JsonNode::isTextual)
                .map(JsonNode::asText).orElse(null);
    }

    static JsonNode env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private Optional<ObjectNode> find(String kind, String name) {
        return docs.stream().filter(d -> kind(d).equals(kind) && d.path("metadata").path("name").asText().equals(name)).findFirst();
    }

    private Optional<ObjectNode> target(ObjectNode scaler) {
        JsonNode ref = scaler.path("spec").path("scaleTargetRef");
        return find(ref.path("kind").asText("Deployment"), ref.path("name").asText());
    }

    private void noReplicas(ObjectNode scaler, ObjectNode target) {
        if (target.path("spec").has("replicas")) {
            problems.add(Kustomize.id(target) + ": sets replicas, but " + Kustomize.id(scaler)
                    + " owns them (every apply would reset the autoscaler's choice)");
        }
    }

    /** A port reference (name or number) → the container's port number. */
    private static Optional<Integer> portOf(JsonNode container, JsonNode ref) {
        for (JsonNode p : container.path("ports")) {
            if (ref.isInt() ? p.path("containerPort").asInt() == ref.asInt() : p.path("name").asText().equals(ref.asText())) {
                return Optional.of(p.path("containerPort").asInt());
            }
        }
        return Optional.empty();
    }

    /** Whether every label of the selector is on the workload's pod template. */
    private static boolean selects(JsonNode selector, JsonNode workload) {
        JsonNode labels = kind(workload).equals("CronJob")
                ? workload.path("spec").path("jobTemplate").path("spec").path("template").path("metadata").path("labels")
                : workload.path("spec").path("template").path("metadata").path("labels");
        if (selector.isEmpty()) {
            return false;
        }
        Map<String, String> want = new HashMap<>();
        selector.fields().forEachRemaining(f -> want.put(f.getKey(), f.getValue().asText()));
        return want.entrySet().stream().allMatch(w -> w.getValue().equals(labels.path(w.getKey()).asText(null)));
    }

    static String kind(JsonNode d) {
        return d.path("kind").asText();
    }

    static List<String> split(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** {@code 28s}, {@code 2m}, {@code PT28S} → a Duration. */
    static Duration duration(String s) {
        s = s.trim();
        if (s.startsWith("P")) {
            return Duration.parse(s);
        }
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)?").matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + s);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** The {@code @WithDefault} of a member of TranscoderConfig (the transcoder's own default, e.g. shutdown-grace). */
    static String withDefault(ServiceConfig svc, String method) {
        String source = Repo.read(svc.dir.resolve("src/main/java/dev/framewright/transcoder/worker/TranscoderConfig.java"));
        Matcher m = Pattern.compile("@WithDefault\\(\"([^\"]+)\"\\)\\s+\\S+\\s+" + method + "\\(\\)").matcher(source);
        if (!m.find()) {
            throw new IllegalStateException("TranscoderConfig." + method + "() has no @WithDefault");
        }
        return m.group(1);
    }
}

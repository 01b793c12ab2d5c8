package dev.framewright.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** deploy/k8s rendered without a cluster and cross-checked against the services. */
class KustomizeTest {

    private static final Map<String, ServiceConfig> SERVICES = Fixtures.services();
    /** Secrets production expects in the cluster, created outside git (OPERATIONS.md says how). */
    static final Set<String> PRODUCTION_SECRETS = Set.of("framewright-postgres", "framewright-s3", "framewright-api-keys",
            "framewright-webhooks");

    static Path k8s() {
        return Repo.root().resolve("deploy/k8s");
    }

    static Set<String> externalSecrets(String overlay) {
        return overlay.equals("overlays/local") ? Set.of() : PRODUCTION_SECRETS;
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/local", "overlays/production", "overlays/scaled-job", "overlays/describe"})
    void overlayRendersAndMatchesTheServices(String overlay) {
        List<ObjectNode> docs = Kustomize.render(k8s().resolve(overlay));
        assertThat(docs).extracting(Kustomize::id).contains("Deployment/job-api", "StatefulSet/transcoder",
                "StatefulSet/transcoder-express", "Deployment/status-projector", "ScaledObject/transcoder",
                "HorizontalPodAutoscaler/job-api", "PodDisruptionBudget/transcoder", "CronJob/dlq-redrive");
        assertThat(K8sChecks.check(docs, externalSecrets(overlay), SERVICES)).isEmpty();
    }

    @Test
    void everyYamlFileUnderDeployParses() throws IOException {
        try (Stream<Path> files = Files.walk(k8s())) {
            List<Path> yamls = files.filter(f -> f.toString().endsWith(".yaml")).toList();
            assertThat(yamls).hasSizeGreaterThan(10);
            yamls.forEach(f -> assertThat(Repo.readAll(f)).as(f.toString()).isNotEmpty());
        }
    }

    @Test
    void overlaysSetWhatTheyPromise() {
        List<ObjectNode> local = Kustomize.render(k8s().resolve("overlays/local"));
        List<ObjectNode> prod = Kustomize.render(k8s().resolve("overlays/production"));
        assertThat(find(local, "ScaledObject/transcoder").path("spec").path("maxReplicaCount").asInt()).isEqualTo(1);
        assertThat(find(local, "KafkaTopic/job-lifecycle").path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(find(prod, "KafkaTopic/job-lifecycle").path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(find(prod, "Deployment/job-api").path("spec").path("template").path("spec").path("containers").get(0)
                .path("image").asText()).isEqualTo("registry.example.com/framewright/job-api:0.1.0");
        assertThat(prod).extracting(Kustomize::id).doesNotContain("Secret/framewright-s3");
        assertThat(prod).allMatch(d -> d.path("kind").asText().equals("Namespace")
                || d.path("metadata").path("namespace").asText().equals("framewright"));
    }

    /** Production's Secrets are created by hand: each is documented, with its keys, in OPERATIONS.md. */
    @Test
    void externalSecretsAreDocumented() {
        String ops = Repo.read(Repo.root().resolve("OPERATIONS.md"));
        PRODUCTION_SECRETS.forEach(s -> assertThat(ops).contains(s));
        List<ObjectNode> local = Kustomize.render(k8s().resolve("overlays/local"));
        assertThat(local).filteredOn(d -> d.path("kind").asText().equals("Secret"))
                .extracting(d -> d.path("metadata").path("name").asText()).containsExactlyInAnyOrderElementsOf(PRODUCTION_SECRETS);
    }

    /** A manifest that drifts from the services fails the checks: each row breaks one thing in a copy of deploy/k8s (~ is a line break). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            renamed env var            | base/transcoder.yaml             | FRAMEWRIGHT_TRANSCODER_WORK_DIR         | FRAMEWRIGHT_TRANSCODER_WORKDIR         | env FRAMEWRIGHT_TRANSCODER_WORKDIR is not read by transcoder
            env var of another service | base/status-projector.yaml       | name: FRAMEWRIGHT_WEBHOOK_SECRET_KEY    | name: FRAMEWRIGHT_S3_BUCKET            | env FRAMEWRIGHT_S3_BUCKET is not read by status-projector
            missing ConfigMap key      | base/config.yaml                 | s3.bucket:                              | s3.bucket-name:                        | missing ConfigMap key framewright/s3.bucket
            wrong container port       | base/job-api.yaml                | containerPort: 8080                     | containerPort: 8000                    | needs a port named http = quarkus.http.port 8080
            wrong probe path           | base/status-projector.yaml       | path: /q/health/ready                   | path: /health/ready                    | readinessProbe path /health/ready
            Service selector drift     | base/job-api.yaml                | selector:~    app.kubernetes.io/name: job-api~  ports: | selector:~    app.kubernetes.io/name: jobapi~  ports: | Service/job-api: selector
            KEDA target renamed        | base/transcoder-autoscaling.yaml | kind: StatefulSet~    name: transcoder-express | kind: StatefulSet~    name: transcoder-fast | does not exist
            more replicas than parts   | overlays/production/patches/replicas.yaml | maxReplicaCount: 6             | maxReplicaCount: 8                     | exceeds the 6 partitions
            queue without a consumer   | base/config.yaml                 | queues: default,express                 | queues: default,express,gpu            | framewright.job-requests.gpu.v1: 0 KafkaTopic resources
            PDB selects nothing        | base/transcoder.yaml             | maxUnavailable: 1~  selector:~    matchLabels:~      app.kubernetes.io/name: transcoder~      app.kubernetes.io/instance: transcoder-express | maxUnavailable: 1~  selector:~    matchLabels:~      app.kubernetes.io/name: transcoder~      app.kubernetes.io/instance: transcoder-x | StatefulSet/transcoder-express: no PodDisruptionBudget
            grace below shutdown       | base/transcoder.yaml             | terminationGracePeriodSeconds: 30       | terminationGracePeriodSeconds: 20      | needs terminationGracePeriodSeconds (20)
            dynamic instance id        | base/transcoder.yaml             | fieldPath: metadata.name                | fieldPath: metadata.uid                | INSTANCE_ID must come from metadata.name
            wrong consumer group       | base/transcoder-autoscaling.yaml | consumerGroup: transcoder               | consumerGroup: transcoders             | consumerGroup transcoders is not
            job pod takes many records | overlays/scaled-job/transcoder-batch.yaml | name: FRAMEWRIGHT_TRANSCODER_MAX_JOBS~                value: "1" | name: FRAMEWRIGHT_TRANSCODER_MAX_JOBS~                value: "5" | each pod must take one record
            job pod restarted in place | overlays/scaled-job/transcoder-batch.yaml | restartPolicy: Never           | restartPolicy: OnFailure               | restartPolicy must be Never
            more job pods than parts   | overlays/scaled-job/transcoder-batch.yaml | maxReplicaCount: 24            | maxReplicaCount: 30                    | exceeds the 24 partitions
            job pods for another queue | overlays/scaled-job/transcoder-batch.yaml | topic: framewright.job-requests.batch.v1 | topic: framewright.job-requests.default.v1 | is not one ScaledJob/transcoder-batch consumes
            batch queue not consumed   | overlays/scaled-job/transcoder-batch.yaml | value: batch                   | value: bulk                            | framewright.job-requests.batch.v1: job-api accepts its queue, but no transcoder consumes it
            """)
    void driftFails(String what, String file, String from, String to, String expected, @TempDir Path tmp) throws IOException {
        copy(k8s(), tmp);
        Path target = tmp.resolve(file);
        String text = Files.readString(target);
        String f = from.replace("~", "\n");
        assertThat(text).as(what + ": the text to break is in " + file).contains(f);
        Files.writeString(target, text.replace(f, to.replace("~", "\n")));
        String overlay = file.startsWith("overlays/production") ? "overlays/production"
                : file.startsWith("overlays/scaled-job") ? "overlays/scaled-job" : "overlays/local";
        List<String> problems = K8sChecks.check(Kustomize.render(tmp.resolve(overlay)), externalSecrets(overlay), SERVICES);
        assertThat(problems).as(what).anyMatch(p -> p.contains(expected));
    }

    /** The batch queue runs one Kubernetes Job per task beside the StatefulSets, which stay as they are. */
    @Test
    void scaledJobOverlayAddsAOneRecordJobPerTaskBesideTheStatefulSets() {
        List<ObjectNode> docs = Kustomize.render(k8s().resolve("overlays/scaled-job"));
        assertThat(docs).extracting(Kustomize::id).contains("StatefulSet/transcoder", "StatefulSet/transcoder-express",
                "ScaledJob/transcoder-batch", "KafkaTopic/job-requests-batch");
        ObjectNode job = find(docs, "ScaledJob/transcoder-batch");
        assertThat(Kustomize.containers(job).get(0).path("image").asText())
                .isEqualTo("registry.example.com/framewright/transcoder:0.1.0");
        assertThat(job.path("spec").path("jobTargetRef").path("backoffLimit").asInt(-1)).isZero();
        assertThat(find(docs, "ConfigMap/framewright").path("data").path("queues").asText())
                .isEqualTo("default,express,batch");
    }

    /** Model work has its own pods: only they serve the describe queue and have the model; job-api accepts both. */
    @Test
    void describeOverlayAddsModelPodsForTheDescribeQueue() {
        List<ObjectNode> docs = Kustomize.render(k8s().resolve("overlays/describe"));
        assertThat(docs).extracting(Kustomize::id).contains("StatefulSet/transcoder", "StatefulSet/transcoder-express",
                "StatefulSet/transcoder-describe", "ScaledObject/transcoder-describe", "KafkaTopic/job-requests-describe");
        assertThat(find(docs, "ConfigMap/framewright").path("data").path("queues").asText())
                .isEqualTo("default,express,describe");
        assertThat(env(find(docs, "StatefulSet/transcoder-describe"))).containsEntry("FRAMEWRIGHT_TRANSCODER_QUEUES",
                "describe").containsEntry("FRAMEWRIGHT_DESCRIBE_MODEL", "/models/classifier.onnx");
        assertThat(env(find(docs, "Deployment/job-api"))).containsEntry("FRAMEWRIGHT_DESCRIBE_MODEL",
                "/models/classifier.onnx");
        assertThat(env(find(docs, "StatefulSet/transcoder"))).doesNotContainKey("FRAMEWRIGHT_DESCRIBE_MODEL");
    }

    private static Map<String, String> env(ObjectNode workload) {
        Map<String, String> out = new java.util.TreeMap<>();
        Kustomize.containers(workload).get(0).path("env")
                .forEach(e -> out.put(e.path("name").asText(), e.path("value").asText()));
        return out;
    }

    @Test
    void aReplicasFieldUnderAnAutoscalerIsCaught() {
        List<ObjectNode> docs = Kustomize.render(k8s().resolve("overlays/local"));
        ((ObjectNode) find(docs, "StatefulSet/transcoder").path("spec")).put("replicas", 2);
        assertThat(K8sChecks.check(docs, Set.of(), SERVICES))
                .anyMatch(p -> p.startsWith("StatefulSet/transcoder: sets replicas, but ScaledObject/transcoder owns them"));
    }

    @Test
    void rendererRefusesWhatItDoesNotUnderstand(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("kustomization.yaml"), "resources: []\ncommonLabels: {a: b}\n");
        assertThatThrownBy(() -> Kustomize.render(tmp)).hasMessageContaining("'commonLabels' is not supported");
        Files.writeString(tmp.resolve("kustomization.yaml"), "resources: [missing.yaml]\n");
        assertThatThrownBy(() -> Kustomize.render(tmp)).hasMessageContaining("missing.yaml does not exist");
    }

    static ObjectNode find(List<ObjectNode> docs, String id) {
        return docs.stream().filter(d -> Kustomize.id(d).equals(id)).findFirst().orElseThrow(() -> new AssertionError(id));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path dest = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(f, dest);
                }
            }
        }
    }
}

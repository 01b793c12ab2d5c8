package dev.framewright.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where kubectl is installed, the real Kustomize renders each overlay and must agree, resource for resource, with
 * the minimal renderer the other checks use (so those checks see what a cluster would get). Skipped without
 * kubectl: CI needs no Kubernetes tooling.
 */
class KubectlKustomizeTest {

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/local", "overlays/production", "overlays/scaled-job",
            "overlays/describe"})
    void kubectlRendersWhatTheMinimalRendererRenders(String overlay) throws Exception {
        Path dir = KustomizeTest.k8s().resolve(overlay);
        String out = kubectl("kustomize", dir.toString());
        assumeTrue(out != null, "kubectl is not installed");
        List<ObjectNode> real = new ArrayList<>();
        var it = Repo.YAML.readValues(Repo.YAML.getFactory().createParser(out), JsonNode.class);
        while (it.hasNext()) {
            real.add((ObjectNode) it.next());
        }
        List<ObjectNode> ours = Kustomize.render(dir);
        assertThat(real).extracting(Kustomize::id).containsExactlyInAnyOrderElementsOf(ours.stream().map(Kustomize::id).toList());
        for (ObjectNode r : real) {
            assertThat(r).as(Kustomize.id(r)).isEqualTo(KustomizeTest.find(ours, Kustomize.id(r)));
        }
    }

    /** kubectl's stdout, or null when kubectl cannot be run. */
    private static String kubectl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("kubectl"));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException notInstalled) {
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("kubectl " + String.join(" ", args)).isZero();
        return out;
    }
}

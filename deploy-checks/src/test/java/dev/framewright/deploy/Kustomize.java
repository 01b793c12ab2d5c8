package dev.framewright.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A minimal Kustomize renderer for what deploy/k8s uses, so the overlays are checked without kubectl: resources
 * (files and directories with their own kustomization), patches (strategic merge patch files naming their target
 * by kind and name), images (newName, newTag) and namespace. Anything else in a kustomization fails the render
 * instead of being ignored; KubectlKustomizeTest compares this renderer with the real one where kubectl exists.
 */
final class Kustomize {

    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "namespace", "resources", "patches", "images");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PriorityClass", "StorageClass");
    /** Kinds Kubernetes knows: their lists of named items merge by name; custom resources' lists are replaced. */
    private static final Set<String> BUILT_IN_GROUPS = Set.of("v1", "apps/v1", "batch/v1", "policy/v1", "autoscaling/v2");

    private Kustomize() {
    }

    static List<ObjectNode> render(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no kustomization.yaml in " + dir);
        }
        ObjectNode k = Repo.readOne(file);
        k.fieldNames().forEachRemaining(f -> {
            if (!SUPPORTED.contains(f)) {
                throw new IllegalArgumentException(file + ": '" + f + "' is not supported by this renderer");
            }
        });
        List<ObjectNode> docs = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            Path p = dir.resolve(r.asText()).normalize();
            if (Files.isDirectory(p)) {
                docs.addAll(render(p));
            } else if (Files.isRegularFile(p)) {
                docs.addAll(Repo.readAll(p));
            } else {
                throw new IllegalArgumentException(file + ": resource " + r.asText() + " does not exist");
            }
        }
        for (JsonNode patch : k.path("patches")) {
            if (!patch.has("path") || patch.size() != 1) {
                throw new IllegalArgumentException(file + ": only patches with a path (no target, no inline patch)");
            }
            Path p = dir.resolve(patch.get("path").asText());
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException(file + ": patch " + p + " does not exist");
            }
            for (ObjectNode pd : Repo.readAll(p)) {
                List<ObjectNode> targets = docs.stream().filter(d -> sameObject(d, pd)).toList();
                if (targets.size() != 1) {
                    throw new IllegalArgumentException(p + ": patch of " + id(pd) + " matches " + targets.size() + " resources");
                }
                merge(targets.get(0), pd, BUILT_IN_GROUPS.contains(pd.path("apiVersion").asText()));
            }
        }
        for (JsonNode image : k.path("images")) {
            String name = image.get("name").asText();
            boolean used = false;
            for (ObjectNode d : docs) {
                for (ObjectNode c : containers(d)) {
                    String[] ref = splitImage(c.path("image").asText());
                    if (ref[0].equals(name)) {
                        String newName = image.has("newName") ? image.get("newName").asText() : ref[0];
                        String newTag = image.has("newTag") ? image.get("newTag").asText() : ref[1];
                        c.put("image", newTag == null ? newName : newName + ":" + newTag);
                        used = true;
                    }
                }
            }
            if (!used) {
                throw new IllegalArgumentException(file + ": image " + name + " is used by no container");
            }
        }
        if (k.has("namespace")) {
            for (ObjectNode d : docs) {
                if (!CLUSTER_SCOPED.contains(d.path("kind").asText()) && d.get("metadata") instanceof ObjectNode md) {
                    md.put("namespace", k.get("namespace").asText());
                }
            }
        }
        Set<String> seen = new HashSet<>();
        for (ObjectNode d : docs) {
            if (!d.has("apiVersion") || !d.has("kind") || d.path("metadata").path("name").asText().isEmpty()) {
                throw new IllegalArgumentException(dir + ": a resource without apiVersion, kind or metadata.name: " + d);
            }
            if (!seen.add(id(d) + "@" + d.path("metadata").path("namespace").asText())) {
                throw new IllegalArgumentException(dir + ": " + id(d) + " defined twice");
            }
        }
        return docs;
    }

    static String id(JsonNode d) {
        return d.path("kind").asText() + "/" + d.path("metadata").path("name").asText();
    }

    /** The containers of a workload's pod template (Deployment, StatefulSet, Job, CronJob, KEDA ScaledJob), or none. */
    static List<ObjectNode> containers(JsonNode d) {
        JsonNode podSpec = podSpec(d);
        List<ObjectNode> out = new ArrayList<>();
        if (podSpec != null) {
            for (String field : List.of("initContainers", "containers")) {
                podSpec.path(field).forEach(c -> out.add((ObjectNode) c));
            }
        }
        return out;
    }

    static JsonNode podSpec(JsonNode d) {
        return switch (d.path("kind").asText()) {
            case "Deployment", "StatefulSet", "Job", "DaemonSet" -> d.path("spec").path("template").path("spec");
            case "CronJob" -> d.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
            case "ScaledJob" -> d.path("spec").path("jobTargetRef").path("template").path("spec");
            default -> null;
        };
    }

    /** {@code registry/name:tag} → [registry/name, tag or null]; a digest stays in the name. */
    static String[] splitImage(String image) {
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon > slash && !image.contains("@")) {
            return new String[] {image.substring(0, colon), image.substring(colon + 1)};
        }
        return new String[] {image, null};
    }

    private static boolean sameObject(JsonNode a, JsonNode b) {
        return a.path("kind").asText().equals(b.path("kind").asText())
                && a.path("metadata").path("name").asText().equals(b.path("metadata").path("name").asText());
    }

    /** Strategic merge (built-in kinds: lists of named items merge by name) or JSON merge patch (custom kinds). */
    static void merge(ObjectNode target, JsonNode patch, boolean strategic) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode current = target.get(f.getKey());
            JsonNode value = f.getValue();
            if (value.isNull()) {
                target.remove(f.getKey());
            } else if (value.isObject() && current != null && current.isObject()) {
                merge((ObjectNode) current, value, strategic);
            } else if (strategic && value.isArray() && current != null && current.isArray() && named(value) && named(current)) {
                ArrayNode list = (ArrayNode) current;
                int inserted = 0; // Kustomize puts a patch's new items first, in the patch's order
                for (JsonNode item : value) {
                    JsonNode match = null;
                    for (JsonNode existing : list) {
                        if (existing.get("name").asText().equals(item.get("name").asText())) {
                            match = existing;
                        }
                    }
                    if (match != null) {
                        merge((ObjectNode) match, item, true);
                    } else {
                        list.insert(inserted++, item.deepCopy());
                    }
                }
            } else {
                target.set(f.getKey(), value.deepCopy());
            }
        }
    }

    private static boolean named(JsonNode list) {
        if (list.isEmpty()) {
            return false;
        }
        for (JsonNode item : list) {
            if (!item.isObject() || !item.has("name")) {
                return false;
            }
        }
        return true;
    }
}

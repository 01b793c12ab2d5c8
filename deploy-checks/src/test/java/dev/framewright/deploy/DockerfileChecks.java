package dev.framewright.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Static checks of a service's src/main/docker/Dockerfile.jvm. */
final class DockerfileChecks {

    /** What a Quarkus fast-jar consists of (quarkus.package.jar.type=fast-jar, the default). */
    static final Set<String> FAST_JAR = Set.of("target/quarkus-app/lib/", "target/quarkus-app/*.jar",
            "target/quarkus-app/app/", "target/quarkus-app/quarkus/");

    private DockerfileChecks() {
    }

    static List<String> check(ServiceConfig svc, Dockerfile df) {
        List<String> problems = new ArrayList<>();
        String where = svc.module + " " + svc.dir.relativize(df.path());
        List<String> from = df.all("FROM");
        if (from.size() != 1) {
            problems.add(where + ": expected one FROM, found " + from.size());
        } else {
            String base = from.get(0).split("\\s+")[0];
            String tag = Kustomize.splitImage(base)[1];
            if (!base.contains("@sha256:") && (tag == null || tag.equals("latest"))) {
                problems.add(where + ": base image " + base + " is not pinned to a tag");
            }
        }
        String user = df.last("USER");
        if (user == null || user.split(":")[0].equals("root") || user.split(":")[0].equals("0")) {
            problems.add(where + ": must end as a non-root USER, found " + user);
        }
        Set<String> exposed = new TreeSet<>();
        df.all("EXPOSE").forEach(e -> exposed.addAll(List.of(e.split("\\s+"))));
        if (!exposed.equals(Set.of(String.valueOf(svc.httpPort())))) {
            problems.add(where + ": EXPOSE " + exposed + " but quarkus.http.port is " + svc.httpPort());
        }
        Set<String> sources = new TreeSet<>();
        for (String copy : df.all("COPY")) {
            List<String> parts = new ArrayList<>(List.of(copy.split("\\s+")));
            parts.removeIf(p -> p.startsWith("--"));
            String dest = parts.remove(parts.size() - 1);
            sources.addAll(parts);
            if (!dest.startsWith("/deployments/")) {
                problems.add(where + ": COPY to " + dest + ", outside /deployments/");
            }
        }
        if (!sources.equals(FAST_JAR)) {
            problems.add(where + ": COPY sources " + sources + " are not the fast-jar layout " + FAST_JAR);
        }
        String type = svc.property("quarkus.package.jar.type");
        if (type != null && !type.equals("fast-jar")) {
            problems.add(where + ": quarkus.package.jar.type=" + type + " does not produce target/quarkus-app");
        }
        String entry = String.valueOf(df.last("ENTRYPOINT")) + " " + String.valueOf(df.last("CMD"));
        if (!entry.contains("/deployments/quarkus-run.jar") || !entry.contains("JAVA_OPTS")) {
            problems.add(where + ": the entrypoint must run /deployments/quarkus-run.jar with JAVA_OPTS");
        }
        if (df.all("ENV").stream().noneMatch(e -> e.matches("(?s)JAVA_OPTS=\".*-XX:MaxRAMPercentage=.*\""))) {
            problems.add(where + ": JAVA_OPTS must size the heap from the container's memory (-XX:MaxRAMPercentage)");
        }
        return problems;
    }

    /** The files a COPY source names in the module after `package` (the glob *.jar expanded). */
    static List<Path> resolve(Path module, String source) {
        Path p = module.resolve(source);
        if (!source.contains("*")) {
            return Files.exists(p) ? List.of(p) : List.of();
        }
        List<Path> out = new ArrayList<>();
        Pattern glob = Pattern.compile(p.getFileName().toString().replace(".", "\\.").replace("*", ".*"));
        if (Files.isDirectory(p.getParent())) {
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(p.getParent())) {
                dir.forEach(f -> {
                    if (glob.matcher(f.getFileName().toString()).matches()) {
                        out.add(f);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}

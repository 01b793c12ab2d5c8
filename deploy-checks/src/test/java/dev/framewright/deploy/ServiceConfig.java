package dev.framewright.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What one service module reads, from its own sources: its {@code application.properties}, its config mappings
 * and injected properties, and its container image's entrypoint.
 *
 * <p>The rule for "an environment variable this service reads" ({@link #readsEnv}): the variable is
 * <ol>
 *   <li>named in an expansion {@code ${VAR}} / {@code ${VAR:default}} of application.properties, or</li>
 *   <li>the MicroProfile Config environment name (every character that is not a letter or digit becomes
 *       {@code _}, then upper case) of a property the service declares: a key of application.properties
 *       (profile prefix removed), a property named in an expansion, a {@code @ConfigProperty(name = ...)}, or a
 *       member of a {@code @ConfigMapping} interface (prefix + kebab-case method names, nested groups followed), or</li>
 *   <li>read directly from the environment in the module's code ({@code System.getenv("VAR")},
 *       {@code env.get("VAR")}, {@code env.getOrDefault("VAR", ...)}: the redrive tool), or</li>
 *   <li>expanded by the image's ENTRYPOINT ({@code JAVA_OPTS}).</li>
 * </ol>
 * Quarkus properties the service never declares (e.g. {@code QUARKUS_LOG_LEVEL}) do not count: they would work,
 * but nothing in the repository says the service relies on them, so a manifest setting one is flagged and the
 * property belongs in application.properties first. A renamed property or variable in a manifest or in the
 * service therefore fails the checks.
 */
final class ServiceConfig {

    private static final Pattern EXPANSION = Pattern.compile("\\$\\{([^:}]+)");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern CONFIG_MAPPING = Pattern.compile("@ConfigMapping\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"\\s*\\)");
    private static final Pattern DIRECT_ENV =
            Pattern.compile("(?:getenv|env\\.get|env\\.getOrDefault)\\(\\s*\"([A-Z][A-Z0-9_]*)\"");
    private static final Pattern INTERFACE = Pattern.compile("\\binterface\\s+(\\w+)[^{]*\\{");
    private static final Pattern METHOD = Pattern.compile("([\\w.<>,?\\s\\[\\]]+?)\\s+(\\w+)\\(\\)\\s*;");
    private static final Pattern SHELL_VAR = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)");

    final String module;
    final Path dir;
    final Properties properties;
    /** Property names the service declares (see the class comment). */
    final Set<String> propertyNames = new TreeSet<>();
    /** Environment variable names the service reads (see the class comment). */
    final Set<String> envNames = new TreeSet<>();

    private ServiceConfig(String module, Path dir) {
        this.module = module;
        this.dir = dir;
        this.properties = load(dir.resolve("src/main/resources/application.properties"));
        for (String key : properties.stringPropertyNames()) {
            propertyNames.add(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key);
            Matcher m = EXPANSION.matcher(properties.getProperty(key));
            while (m.find()) {
                String name = m.group(1).trim();
                if (name.matches("[A-Z][A-Z0-9_]*")) {
                    envNames.add(name);
                } else {
                    propertyNames.add(name);
                }
            }
        }
        for (Path source : javaSources(dir.resolve("src/main/java"))) {
            String text = Repo.read(source);
            Matcher p = CONFIG_PROPERTY.matcher(text);
            while (p.find()) {
                propertyNames.add(p.group(1));
            }
            Matcher mapping = CONFIG_MAPPING.matcher(text);
            if (mapping.find()) {
                propertyNames.addAll(mappingProperties(mapping.group(1), text));
            }
            Matcher env = DIRECT_ENV.matcher(text);
            while (env.find()) {
                envNames.add(env.group(1));
            }
        }
        Path dockerfile = dir.resolve("src/main/docker/Dockerfile.jvm");
        if (Files.isRegularFile(dockerfile)) {
            Dockerfile.parse(dockerfile).all("ENTRYPOINT").forEach(entry -> {
                Matcher v = SHELL_VAR.matcher(entry);
                while (v.find()) {
                    envNames.add(v.group(1));
                }
            });
        }
        propertyNames.forEach(name -> envNames.add(envName(name)));
    }

    static ServiceConfig of(String module) {
        return new ServiceConfig(module, Repo.root().resolve(module));
    }

    boolean readsEnv(String name) {
        return envNames.contains(name);
    }

    /** quarkus.http.port */
    int httpPort() {
        return Integer.parseInt(properties.getProperty("quarkus.http.port"));
    }

    String property(String name) {
        return properties.getProperty(name);
    }

    /** MicroProfile Config's environment name of a property: non-alphanumerics become '_', upper case. */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }

    /** {@code maxVideoPixels} → {@code max-video-pixels}, as SmallRye's config mappings name members. */
    static String kebab(String method) {
        return method.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The properties of a {@code @ConfigMapping} interface: prefix + kebab-case member, following members whose
     * type is a nested interface of the same file as groups.
     */
    static List<String> mappingProperties(String prefix, String source) {
        Map<String, String> bodies = interfaceBodies(source);
        if (bodies.isEmpty()) {
            throw new IllegalArgumentException("@ConfigMapping without an interface: " + prefix);
        }
        String root = bodies.keySet().iterator().next();
        List<String> out = new ArrayList<>();
        collect(prefix, bodies.get(root), bodies, out);
        return out;
    }

    private static void collect(String prefix, String body, Map<String, String> bodies, List<String> out) {
        Matcher m = METHOD.matcher(body);
        while (m.find()) {
            String type = m.group(1).trim();
            if (List.of(type.split("\\s+")).contains("default") || List.of(type.split("\\s+")).contains("static")) {
                continue; // a method with a body is no config member
            }
            type = type.substring(type.lastIndexOf(' ') + 1).replaceAll("<.*", "");
            String name = prefix + "." + kebab(m.group(2));
            if (bodies.containsKey(type)) {
                collect(name, bodies.get(type), bodies, out);
            } else {
                out.add(name);
            }
        }
    }

    /** Each interface's own body (nested interface bodies cut out), outermost first. */
    private static Map<String, String> interfaceBodies(String source) {
        String code = source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
        Map<String, String> bodies = new LinkedHashMap<>();
        Matcher m = INTERFACE.matcher(code);
        while (m.find()) {
            int open = m.end() - 1;
            int depth = 0;
            StringBuilder own = new StringBuilder();
            for (int i = open; i < code.length(); i++) {
                char c = code.charAt(i);
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                    if (depth == 0) {
                        break;
                    }
                } else if (depth == 1) {
                    own.append(c);
                }
                if (depth > 1 && c == '{') {
                    own.append(';'); // a nested body ends the declaration before it
                }
            }
            bodies.put(m.group(1), own.toString());
        }
        return bodies;
    }

    private static Properties load(Path file) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private static List<Path> javaSources(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.framewright.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Where the API is and which key to send, from the first of: flags, environment ({@code FRAMEWRIGHT_API_URL},
 * {@code FRAMEWRIGHT_API_KEY}), the config file ({@code $FRAMEWRIGHT_CONFIG}, else
 * {@code $XDG_CONFIG_HOME/framewright/config}, else {@code ~/.config/framewright/config}: {@code api_url=} and
 * {@code api_key=} lines), the local stack's defaults.
 */
public class Connection {

    static final String DEFAULT_API = "http://localhost:8080";
    /** The local stack's development key (tenant {@code default}); never valid outside a local machine. */
    static final String DEV_KEY = "fw_dev_local_development_key_0000000001";

    @Option(names = "--api", paramLabel = "URL", description = "API base URL (env FRAMEWRIGHT_API_URL; default "
            + DEFAULT_API + ")", scope = picocli.CommandLine.ScopeType.INHERIT)
    String api;

    @Option(names = "--key", paramLabel = "KEY", description = "API key (env FRAMEWRIGHT_API_KEY; default: the local "
            + "stack's development key)", scope = picocli.CommandLine.ScopeType.INHERIT)
    String key;

    String apiUrl(Map<String, String> env) {
        String url = first(api, env.get("FRAMEWRIGHT_API_URL"), file(env).getProperty("api_url"), DEFAULT_API);
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    String apiKey(Map<String, String> env) {
        return first(key, env.get("FRAMEWRIGHT_API_KEY"), file(env).getProperty("api_key"), DEV_KEY);
    }

    static Path configFile(Map<String, String> env) {
        if (env.get("FRAMEWRIGHT_CONFIG") != null) {
            return Path.of(env.get("FRAMEWRIGHT_CONFIG"));
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("framewright").resolve("config");
    }

    private static Properties file(Map<String, String> env) {
        Properties props = new Properties();
        Path path = configFile(env);
        if (Files.isRegularFile(path)) {
            try (Reader reader = Files.newBufferedReader(path)) {
                props.load(reader);
            } catch (IOException e) {
                throw new CliException(Main.EXIT_USAGE, "Cannot read " + path + ": " + e.getMessage());
            }
        }
        return props;
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }
}

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
 * {@code api_key=} lines, or {@code <profile>.api_url=} and {@code <profile>.api_key=} for a profile chosen with
 * {@code --profile} or {@code FRAMEWRIGHT_PROFILE}), the local stack's defaults. The development key is used only
 * for an API on this machine: anywhere else a missing key is an error, never a silent fall-back.
 */
public class Connection {

    static final String DEFAULT_API = "http://localhost:8080";
    /** The local stack's development key (tenant {@code default}); never valid outside a local machine. */
    static final String DEV_KEY = "fw_dev_local_development_key_0000000001";

    @Option(names = "--api", paramLabel = "URL", description = "API base URL (env FRAMEWRIGHT_API_URL; default "
            + DEFAULT_API + ")", scope = picocli.CommandLine.ScopeType.INHERIT)
    String api;

    @Option(names = "--key", paramLabel = "KEY", description = "API key (env FRAMEWRIGHT_API_KEY; default, for an API "
            + "on this machine only: the local stack's development key)", scope = picocli.CommandLine.ScopeType.INHERIT)
    String key;

    @Option(names = "--profile", paramLabel = "NAME", description = "a server profile of the config file "
            + "(<NAME>.api_url=, <NAME>.api_key=; env FRAMEWRIGHT_PROFILE)", scope = picocli.CommandLine.ScopeType.INHERIT)
    String profile;

    String apiUrl(Map<String, String> env) {
        String url = first(api, env.get("FRAMEWRIGHT_API_URL"), fromFile(env, "api_url"),
                profile(env) == null ? DEFAULT_API : null);
        if (url == null) {
            throw new CliException(Main.EXIT_USAGE, "Profile '" + profile(env) + "' has no " + profile(env)
                    + ".api_url= in " + configFile(env));
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    String apiKey(Map<String, String> env) {
        String found = first(key, env.get("FRAMEWRIGHT_API_KEY"), fromFile(env, "api_key"));
        if (found != null) {
            return found;
        }
        String url = apiUrl(env);
        if (!isLocal(url)) {
            throw new CliException(Main.EXIT_USAGE, "No API key for " + url + ": pass --key, set FRAMEWRIGHT_API_KEY "
                    + "or api_key= in " + configFile(env) + " (the development key is only sent to this machine)");
        }
        return DEV_KEY;
    }

    private String profile(Map<String, String> env) {
        return first(profile, env.get("FRAMEWRIGHT_PROFILE"));
    }

    private String fromFile(Map<String, String> env, String name) {
        String p = profile(env);
        return file(env).getProperty(p == null ? name : p + "." + name);
    }

    /** Whether the API is on this machine (the only place the development key may go). */
    static boolean isLocal(String url) {
        try {
            String host = java.net.URI.create(url).getHost();
            return host != null && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]")
                    || host.equals("::1"));
        } catch (IllegalArgumentException e) {
            return false;
        }
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

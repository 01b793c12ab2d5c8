package dev.framewright.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the CLI sends requests and with which key: flags, environment, profiles, and never the dev key afar. */
class ConnectionTest {

    @TempDir
    Path dir;

    private Map<String, String> env(String config) throws Exception {
        Path file = dir.resolve("config");
        Files.writeString(file, config);
        Map<String, String> env = new HashMap<>();
        env.put("FRAMEWRIGHT_CONFIG", file.toString());
        return env;
    }

    @Test
    void theLocalStackNeedsNoSettings() throws Exception {
        Connection c = new Connection();
        Map<String, String> env = env("");
        assertThat(c.apiUrl(env)).isEqualTo("http://localhost:8080");
        assertThat(c.apiKey(env)).isEqualTo(Connection.DEV_KEY);
    }

    @Test
    void theDevelopmentKeyIsNeverSentToAnotherMachine() throws Exception {
        Connection c = new Connection();
        c.api = "https://jobs.example.com/";
        assertThatThrownBy(() -> c.apiKey(env(""))).isInstanceOf(CliException.class)
                .hasMessageContaining("No API key for https://jobs.example.com")
                .satisfies(e -> assertThat(((CliException) e).exitCode).isEqualTo(Main.EXIT_USAGE));
        c.api = "http://127.0.0.1:18080";
        assertThat(c.apiKey(env(""))).isEqualTo(Connection.DEV_KEY);
        c.api = "http://localhost.evil.example:8080";
        assertThatThrownBy(() -> c.apiKey(env(""))).isInstanceOf(CliException.class);
    }

    @Test
    void aProfileNamesAServerAndItsKey() throws Exception {
        String config = """
                api_url=http://localhost:8080
                api_key=fw_default_aaaaaaaaaaaaaaaaaaaaaaaa
                prod.api_url=https://jobs.example.com
                prod.api_key=fw_prod_bbbbbbbbbbbbbbbbbbbbbbbbbbbb
                broken.api_key=fw_x_cccccccccccccccccccccc
                """;
        Connection c = new Connection();
        assertThat(c.apiKey(env(config))).isEqualTo("fw_default_aaaaaaaaaaaaaaaaaaaaaaaa");

        c.profile = "prod";
        assertThat(c.apiUrl(env(config))).isEqualTo("https://jobs.example.com");
        assertThat(c.apiKey(env(config))).isEqualTo("fw_prod_bbbbbbbbbbbbbbbbbbbbbbbbbbbb");

        Connection fromEnv = new Connection();
        Map<String, String> env = env(config);
        env.put("FRAMEWRIGHT_PROFILE", "prod");
        assertThat(fromEnv.apiUrl(env)).isEqualTo("https://jobs.example.com");
        // A flag beats the profile.
        fromEnv.key = "fw_flag_dddddddddddddddddddddd";
        assertThat(fromEnv.apiKey(env)).isEqualTo("fw_flag_dddddddddddddddddddddd");

        c.profile = "broken";
        assertThatThrownBy(() -> c.apiUrl(env(config))).isInstanceOf(CliException.class)
                .hasMessageContaining("broken.api_url=");
    }
}

package dev.framewright.deploy;

import java.util.LinkedHashMap;
import java.util.Map;

/** The three services' configuration, read once per test class. */
final class Fixtures {

    private Fixtures() {
    }

    static Map<String, ServiceConfig> services() {
        Map<String, ServiceConfig> out = new LinkedHashMap<>();
        Repo.SERVICES.forEach(m -> out.put(m, ServiceConfig.of(m)));
        return out;
    }
}

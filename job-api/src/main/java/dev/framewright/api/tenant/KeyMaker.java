package dev.framewright.api.tenant;

import java.io.PrintStream;

/**
 * Makes a new API key for operators, without SQL and without a running service:
 *
 * <pre>java -cp job-api/target/quarkus-app/app/job-api-*.jar dev.framewright.api.tenant.KeyMaker acme</pre>
 *
 * It prints the key (hand it to the client once; it is not stored anywhere) and the bootstrap entry that
 * registers only its hash: add that to {@code FRAMEWRIGHT_AUTH_BOOTSTRAP_KEYS} and restart job-api.
 */
public final class KeyMaker {

    private KeyMaker() {
    }

    public static void main(String[] args) {
        if (args.length != 1 || !args[0].matches("[a-z0-9][a-z0-9_-]{0,62}")) {
            System.err.println("usage: KeyMaker <tenant>   (tenant: [a-z0-9][a-z0-9_-]{0,62})");
            System.exit(2);
        }
        print(args[0], ApiKeys.generate(args[0]), System.out);
    }

    static void print(String tenant, String key, PrintStream out) {
        String hash = ApiKeys.hash(key);
        out.println("tenant:    " + tenant);
        out.println("key:       " + key);
        out.println("sha256:    " + hash);
        out.println("bootstrap: " + tenant + ":sha256:" + hash);
    }
}

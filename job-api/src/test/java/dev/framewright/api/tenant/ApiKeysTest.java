package dev.framewright.api.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    static final String DEV_KEY = "fw_dev_local_development_key_0000000001";

    @Test
    void generatedKeysCarryATenantHintAndFortyRandomBase62Characters() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String key = ApiKeys.generate("Acme-Media_Co");
            assertThat(key).matches("fw_acmemediaco_[0-9A-Za-z]{40}");
            assertThat(ApiKeys.wellFormed(key)).isTrue();
            assertThat(seen.add(key)).isTrue();
        }
        assertThat(ApiKeys.generate("a-very-long-tenant-name-indeed")).startsWith("fw_averylongtenantn_");
    }

    @Test
    void hashIsTheHexSha256OfTheKey() {
        // Independently computed: printf %s fw_dev_local_development_key_0000000001 | sha256sum
        assertThat(ApiKeys.hash(DEV_KEY)).isEqualTo("5b71ba5b976eca3eaf0185ac4307317b34fbdbffa6a22161424c5b65c191a1f3");
        assertThat(ApiKeys.hash(DEV_KEY)).isNotEqualTo(ApiKeys.hash(DEV_KEY.replace('1', '2')));
    }

    @Test
    void sameHashComparesWholeValues() {
        String h = ApiKeys.hash(DEV_KEY);
        assertThat(ApiKeys.sameHash(h, new String(h.toCharArray()))).isTrue();
        assertThat(ApiKeys.sameHash(h, h.substring(0, 63) + (h.charAt(63) == '0' ? '1' : '0'))).isFalse();
        assertThat(ApiKeys.sameHash(h, h.substring(0, 32))).isFalse();
        assertThat(ApiKeys.sameHash(h, null)).isFalse();
    }

    @Test
    void malformedKeysAreRefusedBeforeAnyLookup() {
        assertThat(ApiKeys.wellFormed(DEV_KEY)).isTrue();
        assertThat(ApiKeys.wellFormed(null)).isFalse();
        assertThat(ApiKeys.wellFormed("")).isFalse();
        assertThat(ApiKeys.wellFormed("fw_short")).isFalse();
        assertThat(ApiKeys.wellFormed("sk_live_0123456789abcdefghij")).isFalse();
        assertThat(ApiKeys.wellFormed("fw_dev_' OR 1=1 --_________")).isFalse();
        assertThat(ApiKeys.wellFormed("fw_" + "a".repeat(500))).isFalse();
    }

    @Test
    void bootstrapEntriesTakeAKeyOrItsHash() {
        assertThat(BootstrapKeys.parse(" default:" + DEV_KEY + " "))
                .isEqualTo(new BootstrapKeys.Entry("default", ApiKeys.hash(DEV_KEY)));
        String hash = ApiKeys.hash("fw_acme_" + "x".repeat(40));
        assertThat(BootstrapKeys.parse("acme:sha256:" + hash.toUpperCase())).isEqualTo(new BootstrapKeys.Entry("acme", hash));
        assertThatThrownBy(() -> BootstrapKeys.parse(DEV_KEY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BootstrapKeys.parse("Bad Tenant:" + DEV_KEY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BootstrapKeys.parse("acme:sha256:abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BootstrapKeys.parse("acme:password")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("password");
    }

    @Test
    void keyMakerPrintsTheKeyItsHashAndTheBootstrapEntry() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        KeyMaker.print("acme", DEV_KEY, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("key:       " + DEV_KEY)
                .contains("bootstrap: acme:sha256:" + sha256Hex(DEV_KEY));
    }

    @Test
    void bearerHeaderParsing() {
        assertThat(AuthFilter.bearer("Bearer " + DEV_KEY)).isEqualTo(DEV_KEY);
        assertThat(AuthFilter.bearer("bearer   " + DEV_KEY + " ")).isEqualTo(DEV_KEY);
        assertThat(AuthFilter.bearer("Basic dXNlcjpwYXNz")).isNull();
        assertThat(AuthFilter.bearer("Bearer ")).isNull();
        assertThat(AuthFilter.bearer(null)).isNull();
        assertThat(AuthFilter.isApi("/v1/jobs")).isTrue();
        assertThat(AuthFilter.isApi("/V1/jobs")).isTrue();
        assertThat(AuthFilter.isApi("//v1/jobs")).isTrue();
        assertThat(AuthFilter.isApi("/v1")).isTrue();
        assertThat(AuthFilter.isApi("/q/health")).isFalse();
        assertThat(AuthFilter.isApi("/v10/x")).isFalse();
    }

    private static String sha256Hex(String s) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (byte b : d) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}

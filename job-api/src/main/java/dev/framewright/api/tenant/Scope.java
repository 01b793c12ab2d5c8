package dev.framewright.api.tenant;

import java.util.Locale;

/**
 * What a key may do, each scope including the ones before it. {@code read}: GET and HEAD of the tenant's jobs, files
 * and events. {@code submit}: also create, cancel and retry jobs, uploads and webhook secrets. {@code admin}: also
 * the operators' {@code /v1/admin} API (every tenant's keys and limits). Stored in {@code api_keys.scope}.
 */
public enum Scope {
    READ, SUBMIT, ADMIN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Scope fromWire(String name) {
        for (Scope s : values()) {
            if (s.wireName().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scope '" + name + "' (read, submit, admin)");
    }

    /** The scopes a request needs: admin paths need admin, anything but a read needs submit. */
    static Scope required(String method, String path) {
        String p = path.toLowerCase(Locale.ROOT);
        while (p.startsWith("//")) {
            p = p.substring(1);
        }
        if (p.equals("/v1/admin") || p.startsWith("/v1/admin/")) {
            return ADMIN;
        }
        return "GET".equalsIgnoreCase(method) || "HEAD".equalsIgnoreCase(method) ? READ : SUBMIT;
    }

    /** Whether a key of this scope may do what {@code needed} allows. */
    public boolean allows(Scope needed) {
        return ordinal() >= needed.ordinal();
    }
}

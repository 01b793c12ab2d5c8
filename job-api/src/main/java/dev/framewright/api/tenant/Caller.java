package dev.framewright.api.tenant;

import jakarta.enterprise.context.RequestScoped;

/** Who is calling: the tenant every read and write of this request is scoped to. Filled by the auth filter. */
@RequestScoped
public class Caller {

    private String tenant = "default";

    public String tenant() {
        return tenant;
    }

    public void authenticate(String tenant) {
        this.tenant = tenant;
    }
}

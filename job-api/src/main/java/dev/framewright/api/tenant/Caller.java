package dev.framewright.api.tenant;

import jakarta.enterprise.context.RequestScoped;

/**
 * Who is calling: the tenant every read and write of this request is scoped to. Filled by {@link AuthFilter} from
 * the request's API key; reading it on a request that was not authenticated is a bug and fails loudly.
 */
@RequestScoped
public class Caller {

    private String tenant;

    public String tenant() {
        if (tenant == null) {
            throw new IllegalStateException("The request was not authenticated");
        }
        return tenant;
    }

    public boolean authenticated() {
        return tenant != null;
    }

    public void authenticate(String tenant) {
        this.tenant = tenant;
    }
}

package io.aiaas.platform.access;

/** Names of the Keycloak realm roles the platform knows. */
public final class Roles {
    /** Platform operators: manage tenants and models, act on every tenant. */
    public static final String PLATFORM_ADMIN = "platform-admin";

    private Roles() {
    }
}

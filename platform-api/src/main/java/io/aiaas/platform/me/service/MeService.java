package io.aiaas.platform.me.service;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/** Describes the calling person: what their token says and which tenants they belong to. */
@ApplicationScoped
public class MeService {

    private final AccessService access;

    MeService(AccessService access) {
        this.access = access;
    }

    public MeView me(Caller caller) {
        return new MeView(caller.subject(), caller.email(), caller.emailVerified(), caller.username(),
                caller.platformAdmin(),
                access.memberships(caller).stream().map(m -> new MeView.TenantMembership(m.slug(), m.name(),
                        m.role().toLowerCase(Locale.ROOT), m.status().toLowerCase(Locale.ROOT), m.suspendedReason(),
                        m.suspensionNote()))
                        .toList());
    }
}

package io.aiaas.console.web;

import io.aiaas.console.api.AdminApi;
import io.aiaas.console.api.Me;
import io.aiaas.console.api.MeApi;
import io.quarkus.runtime.BlockingOperationControl;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The signed-in person for this request, as platform-api sees them (asked once per request, lazily). Templates reach
 * it as {@code inject:user}. The console decides nothing from it that the API does not also enforce: it only picks
 * the navigation and the 403 page before calling the API.
 */
@Named("user")
@RequestScoped
public class CurrentUser {

    private final MeApi api;
    private final AdminApi admin;
    private final SecurityIdentity identity;
    private Me me;
    private boolean failed;
    /**
     * Whether a tenant this platform admin does not belong to is closed, by slug: asked of the admin API once per
     * request (the layout and the page both ask); a page's parallel calls may ask too, hence concurrent.
     */
    private final Map<String, Boolean> closedAsAdminSees = new ConcurrentHashMap<>();

    CurrentUser(@RestClient MeApi api, @RestClient AdminApi admin, SecurityIdentity identity) {
        this.api = api;
        this.admin = admin;
        this.identity = identity;
    }

    /** Whether this request has a session; the layout shows the header's person and logout only then. */
    public boolean signedIn() {
        return !identity.isAnonymous();
    }

    public Me me() {
        if (me == null) {
            me = api.me();
        }
        return me;
    }

    /**
     * The person as far as it is known without failing: the header of an error page must render even when
     * platform-api cannot answer (or when the page is rendered where no blocking call is allowed); empty then.
     */
    public Optional<Me> known() {
        if (me != null) {
            return Optional.of(me);
        }
        if (failed || !signedIn() || !BlockingOperationControl.isBlockingAllowed()) {
            return Optional.empty();
        }
        try {
            return Optional.of(me());
        } catch (RuntimeException unavailable) {
            failed = true;
            return Optional.empty();
        }
    }

    /** The name for the header: the e-mail platform-api knows, else the token's principal. */
    public String displayName() {
        return known().map(Me::displayName).orElseGet(() -> identity.getPrincipal().getName());
    }

    /** Whether the admin navigation shows (the API enforces the role on every admin call regardless). */
    public boolean platformAdmin() {
        return known().map(Me::platformAdmin).orElse(false);
    }

    /** The tenants for the tenant switcher. */
    public java.util.List<Me.Membership> tenants() {
        return known().map(Me::tenants).orElse(java.util.List.of());
    }

    public Optional<Me.Membership> membership(String slug) {
        return me().tenants().stream().filter(t -> t.slug().equals(slug)).findFirst();
    }

    /** Whether this person may open the pages of the tenant (a member, or a platform admin). */
    public boolean canSee(String slug) {
        return me().platformAdmin() || membership(slug).isPresent();
    }

    /** Whether this person administers the tenant (its admin role, or a platform admin). */
    public boolean adminOf(String slug) {
        return me().platformAdmin() || membership(slug).map(Me.Membership::admin).orElse(false);
    }

    /**
     * Whether the navigation offers the tenant's admin-only pages (the webhook): as far as known without failing, so
     * that the layout always renders; the page and the API decide again.
     */
    public boolean navAdminOf(String slug) {
        return known().map(me -> me.platformAdmin()
                || me.tenants().stream().anyMatch(t -> t.slug().equals(slug) && t.admin())).orElse(false);
    }

    /**
     * Whether the tenant is closed, as this person's memberships say (as far as known without failing, so that the
     * layout's banner always renders): its pages then leave out the forms platform-api would refuse with 409
     * {@code tenant_closed}. /me does not list the tenants a platform admin is no member of, so for those the admin
     * API's view of the tenant decides (asked once per request); a member's pages never make that call.
     */
    public boolean closed(String slug) {
        Optional<Me> person = known();
        if (person.isEmpty()) {
            return false;
        }
        Optional<Me.Membership> membership = person.get().tenants().stream().filter(t -> t.slug().equals(slug))
                .findFirst();
        if (membership.isPresent()) {
            return membership.get().closed();
        }
        return person.get().platformAdmin() && closedOutside(slug);
    }

    /**
     * Why this person's tenant is suspended, as their memberships say: {@code non_payment} (platform-api suspended it
     * for an invoice unpaid past its grace), {@code operator} (a platform admin did), or null when it is not suspended
     * or is not theirs (a platform admin sees a tenant's status on its admin page).
     */
    public String suspension(String slug) {
        return known().flatMap(person -> person.tenants().stream().filter(t -> t.slug().equals(slug)).findFirst())
                .filter(Me.Membership::suspended)
                .map(m -> m.suspendedForNonPayment() ? "non_payment" : "operator").orElse(null);
    }

    /**
     * What the platform admin who suspended this person's tenant told it ({@code suspension_note} of /me), or null:
     * when there is none, when the tenant is not suspended by an operator, or when it is not theirs. The layout's
     * banner shows it as text (escaped like every value).
     */
    public String suspensionNote(String slug) {
        return known().flatMap(person -> person.tenants().stream().filter(t -> t.slug().equals(slug)).findFirst())
                .map(Me.Membership::operatorNote).orElse(null);
    }

    /**
     * Whether the admin API says the tenant is closed, asked once per request. When it cannot answer, the tenant is
     * taken as open: the page still renders, and a change the API refuses shows its 409 beside the form. Where no
     * blocking call is allowed (an error page on the I/O thread) nothing is asked and nothing is remembered.
     */
    private boolean closedOutside(String slug) {
        Boolean known = closedAsAdminSees.get(slug);
        if (known != null) {
            return known;
        }
        if (!BlockingOperationControl.isBlockingAllowed()) {
            return false;
        }
        boolean closed;
        try {
            closed = admin.tenant(slug).closed();
        } catch (RuntimeException unavailable) {
            closed = false;
        }
        closedAsAdminSees.put(slug, closed);
        return closed;
    }

    /**
     * Throws {@link NoAccess} (the 403 page) unless this person may see the tenant: an outsider never reaches a call
     * that could show the tenant's data.
     */
    public void requireTenant(String slug) {
        if (!canSee(slug)) {
            throw new NoAccess();
        }
    }

    /** Throws {@link NoAccess} unless this person is a platform admin. */
    public void requirePlatformAdmin() {
        if (!me().platformAdmin()) {
            throw new NoAccess();
        }
    }
}

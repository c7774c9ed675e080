package io.aiaas.console.admin;

import io.aiaas.console.api.Deprecation;
import io.aiaas.console.api.admin.ModelDetail;
import io.aiaas.console.api.admin.ModelGrant;
import io.aiaas.console.api.admin.Tenant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The access section of the admin model page ({@code #grants-section}): who may call the model in words, one row per
 * tenant it is shared with (with its revoke button) and the tenants the grant form offers: those of
 * {@code GET /admin/v1/tenants} that are not the owner, not closed and not granted already. After a refusal the tenant
 * chosen stays chosen (offered even when the list would leave it out: that is why it was refused), and a revoke button
 * that was refused keeps its row even when the grant is gone since the page was opened, so that the refusal is shown
 * beside it.
 */
public final class GrantSection {

    /** The grant form ({@code #grant-form}, its error in {@code #grant-form-error}). */
    static final String GRANT = "grant-form";

    private final ModelDetail model;
    private final List<Row> rows;
    private final List<Choice> choices;
    private final String chosen;

    /**
     * @param tenants every tenant, as {@code GET /admin/v1/tenants} lists them
     * @param chosen the tenant chosen in the grant form when it was refused, else null
     * @param revoked the tenant whose revoke button was refused, else null
     */
    GrantSection(ModelDetail model, List<Tenant> tenants, String chosen, String revoked) {
        this.model = model;
        this.chosen = chosen == null ? "" : chosen;
        Map<String, Tenant> bySlug = new TreeMap<>();
        tenants.forEach(t -> bySlug.put(t.slug(), t));
        Set<String> granted = new HashSet<>();
        List<Row> all = new ArrayList<>();
        for (ModelGrant g : model.grants()) {
            granted.add(g.tenant());
            all.add(new Row(g.tenant(), g.tenantName(), g));
        }
        if (revoked != null && !granted.contains(revoked)) {
            Tenant t = bySlug.get(revoked);
            all.add(new Row(revoked, t == null ? null : t.name(), null));
            all.sort(Comparator.comparing(Row::tenant));
        }
        this.rows = List.copyOf(all);
        List<Choice> offered = new ArrayList<>();
        for (Tenant t : bySlug.values()) {
            boolean excluded = t.slug().equals(model.ownerTenant()) || t.closed() || granted.contains(t.slug());
            if (!excluded || t.slug().equals(this.chosen)) {
                offered.add(new Choice(t.slug(), t.name()));
            }
        }
        if (!this.chosen.isEmpty() && !bySlug.containsKey(this.chosen)) {
            offered.add(new Choice(this.chosen, null));
            offered.sort(Comparator.comparing(Choice::slug));
        }
        this.choices = List.copyOf(offered);
    }

    /** The section as the page opens: nothing chosen, nothing refused. */
    static GrantSection of(ModelDetail model, List<Tenant> tenants) {
        return new GrantSection(model, tenants, null, null);
    }

    /** The id of a tenant's revoke form, {@code revoke-grant-<slug>}; its error adds {@code -error}. */
    static String revokeIdOf(String slug) {
        return "revoke-grant-" + slug;
    }

    public List<Row> rows() {
        return rows;
    }

    public List<Choice> choices() {
        return choices;
    }

    /** Whether the grant form's select shows that tenant chosen. */
    public boolean chosen(String slug) {
        return chosen.equals(slug);
    }

    /** Whether the model is shared with any tenant. */
    public boolean any() {
        return !model.grants().isEmpty();
    }

    /**
     * Who may call the model, in words: "Public: every tenant may call it.", or for a private model its owner and the
     * tenants it is shared with.
     */
    public String who() {
        if (!model.isPrivate()) {
            return "Public: every tenant may call it.";
        }
        String owner = model.ownerTenant();
        if (owner == null || owner.isBlank()) {
            return any() ? "Private: only the tenants listed below may call it; every other tenant gets 404."
                    : "Private, with no owner: no tenant may call it until it is shared with one.";
        }
        return any() ? "Private: only its owner, " + owner + ", and the tenants listed below may call it; every other"
                + " tenant gets 404." : "Private: only its owner, " + owner + ", may call it; every other tenant gets"
                + " 404.";
    }

    /** With grants on a public model: they have no effect until it is made private; else null. */
    public String publicNotice() {
        if (model.isPrivate() || !any()) {
            return null;
        }
        return "The model is public, so every tenant may call it and these grants have no effect now. They take effect"
                + " if it is made private.";
    }

    /**
     * One tenant's row.
     *
     * @param tenant the tenant's slug
     * @param name the tenant's name, or null when it is not known
     * @param grant the grant as the model card shows it, or null when it is not there (any more)
     */
    public record Row(String tenant, String name, ModelGrant grant) {

        /** The revoke form's id, {@code revoke-grant-<slug>}. */
        public String formId() {
            return revokeIdOf(tenant);
        }

        /** When it was granted, in UTC ("2026-12-01 10:00 UTC"), or a dash. */
        public String grantedAtText() {
            return Deprecation.utc(grantedAt());
        }

        public Instant grantedAt() {
            return grant == null ? null : grant.grantedAt();
        }

        public String grantedBy() {
            return grant == null || grant.grantedBy() == null ? "—" : grant.grantedBy();
        }
    }

    /**
     * A tenant the grant form offers.
     *
     * @param name its name, or null for a slug chosen that the tenant list does not have
     */
    public record Choice(String slug, String name) {

        /** What the option says: "Globex Inc (globex)", or the slug alone. */
        public String label() {
            return name == null || name.isBlank() ? slug : name + " (" + slug + ")";
        }
    }
}
